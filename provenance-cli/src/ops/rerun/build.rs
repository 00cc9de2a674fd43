//! Building the recorded target: `cargo build` of the recorded package,
//! target, profile and features (docs/CONTEXT.md, *The build*), with the
//! recorded `Cargo.lock` (`--locked`), and the toolchain compared with the
//! recorded one.
//!
//! Cargo's progress and diagnostics go to the user's terminal as cargo
//! writes them (its bar included); its JSON messages on standard output
//! name the executable it built.

use std::ffi::OsString;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{Refusal, output};
use crate::ops::scan::{CargoTarget, Toolchain};

/// What to build, from the record.
pub(crate) struct Target<'t> {
    /// The recorded `build.cargo`.
    pub(crate) cargo: &'t CargoTarget,
    /// The package's manifest in the worktree.
    pub(crate) manifest: PathBuf,
    /// The recorded target triple, when it is not the compiler's host.
    pub(crate) triple: Option<String>,
    /// `--target-dir`, when given.
    pub(crate) target_dir: Option<PathBuf>,
}

/// The program that runs cargo: `$CARGO` (set when run by cargo), else
/// `cargo` from `PATH`.
fn cargo_program() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// `rustc -vV` as the build in `dir` will use it (a `rust-toolchain.toml`
/// there counts): its release, commit hash and host.
pub(crate) fn toolchain(dir: &Path) -> Result<Toolchain, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = output(&rustc, dir, ["-vV"])?;
    let text = String::from_utf8_lossy(&out);
    let field = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(": "))
            .map(|v| v.trim().to_string())
    };
    Ok(Toolchain {
        release: field("release"),
        commit_hash: field("commit-hash"),
        host: field("host"),
    })
}

/// Checks that `cargo` names something to build: a package, a target
/// kind (and a name, but for a library's tests) and the features.
///
/// # Errors
/// What the record lacks, with the reason it gives.
pub(crate) fn check_recorded(cargo: &CargoTarget) -> Result<(), Refusal> {
    selection(cargo).map(drop)
}

/// The package, the target-selecting options and the features.
fn selection(cargo: &CargoTarget) -> Result<(&str, Vec<OsString>, &[String]), Refusal> {
    let missing = |what: &str| {
        Refusal::new(format!(
            "the log does not record the cargo {what} the program was built as ({}); \
             build it by hand",
            cargo
                .reason
                .as_deref()
                .unwrap_or("written before build.cargo was recorded")
        ))
    };
    let package = cargo.package.as_deref().ok_or_else(|| missing("package"))?;
    let kind = cargo
        .target_kind
        .as_deref()
        .ok_or_else(|| missing("target"))?;
    let select: Vec<OsString> = match (kind, cargo.target_name.as_deref()) {
        ("bin" | "example" | "test" | "bench", Some(name)) => {
            vec![format!("--{kind}").into(), name.into()]
        }
        ("lib", _) => vec!["--lib".into()],
        _ => return Err(missing("target")),
    };
    let features = cargo
        .features
        .as_deref()
        .ok_or_else(|| missing("features"))?;
    Ok((package, select, features))
}

/// The cargo command line that builds `target` (for the progress line and
/// for the user to run by hand).
pub(crate) fn command_line(target: &Target<'_>, locked: bool) -> Result<Vec<OsString>, Refusal> {
    let cargo = target.cargo;
    let (package, select, features) = selection(cargo)?;
    let mut args: Vec<OsString> = Vec::new();
    // A library's unit tests are built by `cargo test --no-run`; every
    // other target by `cargo build`.
    if cargo.target_kind.as_deref() == Some("lib") {
        args.extend(["test".into(), "--no-run".into()]);
    } else {
        args.push("build".into());
    }
    args.push("--message-format=json-render-diagnostics".into());
    args.push("--manifest-path".into());
    args.push(target.manifest.clone().into());
    args.extend(["--package".into(), package.into()]);
    args.extend(select);
    if let Some(profile) = cargo.profile.as_deref() {
        args.extend(["--profile".into(), profile.into()]);
    }
    args.push("--no-default-features".into());
    if !features.is_empty() {
        args.extend(["--features".into(), features.join(",").into()]);
    }
    if let Some(triple) = &target.triple {
        args.extend(["--target".into(), triple.into()]);
    }
    if let Some(dir) = &target.target_dir {
        args.extend(["--target-dir".into(), dir.clone().into()]);
    }
    if locked {
        args.push("--locked".into());
    }
    Ok(args)
}

/// Runs cargo with `args` from `dir` and returns the executable it built
/// for the recorded target.
///
/// # Errors
/// Cargo fails (its errors are already on the terminal), or names no
/// executable.
pub(crate) fn build(
    dir: &Path,
    args: &[OsString],
    target: &Target<'_>,
) -> Result<PathBuf, Refusal> {
    let mut child = Command::new(cargo_program())
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| Refusal::new(format!("cannot run cargo: {e}")))?;
    let want = target.cargo.target_name.as_deref();
    let mut executable = None;
    if let Some(stdout) = child.stdout.take() {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if message["reason"] != "compiler-artifact" {
                continue;
            }
            let name = message["target"]["name"].as_str();
            let path = message["executable"].as_str();
            if let Some(path) = path
                && (want.is_none() || name == want)
            {
                executable = Some(PathBuf::from(path));
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| Refusal::new(format!("cargo did not finish: {e}")))?;
    if !status.success() {
        return Err(Refusal::new(format!(
            "the recorded target no longer builds: cargo {} failed ({status}); its errors are above",
            args.first()
                .map(|a| a.to_string_lossy())
                .unwrap_or_default()
        )));
    }
    executable.ok_or_else(|| {
        Refusal::new(format!(
            "cargo built no executable for the recorded target {}",
            want.unwrap_or("(the library's tests)")
        ))
    })
}

/// Where reruns build when neither `--target-dir` nor `CARGO_TARGET_DIR`
/// says: `provenance/rerun-target` in the user's cache folder
/// (`$XDG_CACHE_HOME`, else `~/.cache`; `%LOCALAPPDATA%` on Windows), so
/// the dependencies are compiled once for every rerun, not once per
/// worktree. `None` when `CARGO_TARGET_DIR` is set (cargo uses it) or no
/// cache folder is known (cargo then builds in the worktree).
pub(crate) fn default_target_dir() -> Option<PathBuf> {
    if std::env::var_os("CARGO_TARGET_DIR").is_some_and(|v| !v.is_empty()) {
        return None;
    }
    let absolute = |v: OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    let cache = if cfg!(windows) {
        std::env::var_os("LOCALAPPDATA").and_then(absolute)
    } else {
        std::env::var_os("XDG_CACHE_HOME")
            .and_then(absolute)
            .or_else(|| {
                std::env::var_os("HOME")
                    .and_then(absolute)
                    .map(|h| h.join(".cache"))
            })
    }?;
    Some(cache.join("provenance").join("rerun-target"))
}

/// The manifest's workspace holds a `Cargo.lock` in `worktree` between the
/// package's folder and the worktree's root.
pub(crate) fn has_lock(package_dir: &Path, worktree: &Path) -> bool {
    package_dir
        .ancestors()
        .take_while(|dir| dir.starts_with(worktree))
        .any(|dir| dir.join("Cargo.lock").is_file())
}
