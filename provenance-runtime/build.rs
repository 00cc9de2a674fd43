//! Records the version of the rustc that builds this crate — the same one
//! that builds the experiment linking it — for `ProvenanceContext::rustc_version`
//! and `build.toolchain`,
//! and the target and profile of this build for its `build`.

use std::process::Command;

fn main() {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = stdout(&rustc, "--version")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("unknown ({} --version failed)", rustc.to_string_lossy()));
    println!("cargo:rustc-env=PROVENANCE_RUSTC_VERSION={version}");
    // `rustc -vV`'s release, commit hash and host, for `build.toolchain`
    // (empty when rustc does not say).
    let verbose = stdout(&rustc, "-vV").unwrap_or_default();
    for (ours, field) in [
        ("RELEASE", "release: "),
        ("COMMIT_HASH", "commit-hash: "),
        ("HOST", "host: "),
    ] {
        let value = verbose
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .map(str::trim)
            .unwrap_or_default();
        println!("cargo:rustc-env=PROVENANCE_RUSTC_{ours}={value}");
    }
    // The build this crate is part of: the experiment's, unless a profile
    // override builds dependencies differently.
    for (ours, cargo) in [
        ("TARGET", "TARGET"),
        ("PROFILE", "PROFILE"),
        ("OPT_LEVEL", "OPT_LEVEL"),
    ] {
        let value = std::env::var(cargo).unwrap_or_else(|_| "unknown".into());
        println!("cargo:rustc-env=PROVENANCE_BUILD_{ours}={value}");
    }
    println!("cargo:rerun-if-env-changed=RUSTC");
    println!("cargo:rerun-if-changed=build.rs");
}

/// What `rustc <arg>` prints, when it runs and succeeds.
fn stdout(rustc: &std::ffi::OsStr, arg: &str) -> Option<String> {
    Command::new(rustc)
        .arg(arg)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
}
