//! `rerun`: reproduce a logged run with one command.
//!
//! 1. The session (`--session` when the log holds several) and, with
//!    `--run`, the run whose result decides the verdict.
//! 2. A detached `git worktree` of the recorded commit (`--at` another) in
//!    a temporary folder, the stored patch of a dirty build applied and
//!    checked against `git.diff_hash` ([`crate::ops::rerun::worktree`]).
//! 3. The file inputs checked where the rerun will read them, as `verify`
//!    does; a changed or missing one stops the rerun unless
//!    `--allow-changed-inputs` ([`crate::ops::rerun::inputs`]).
//! 4. `cargo build` of the recorded package, target, profile and features
//!    with the recorded lock; a toolchain other than the recorded one is
//!    said ([`crate::ops::rerun::build`]).
//! 5. The program run with the recorded arguments, root seed and named
//!    variables, from the recorded working folder inside the worktree, its
//!    log written beside the old one ([`crate::ops::rerun::launch`]).
//! 6. The two logs compared as `diff --events` does, and one last line:
//!    `reproduced: identical`, or `not reproduced:` and each difference.
//!
//! Exit 0 reproduced, 1 it ran but differs, 2 it could not be rerun (one
//! line says why). Progress goes to standard error, a line a step (cargo's
//! own progress while it builds); the comparison and the verdict to
//! standard output.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::commands::diff::report::Report;
use crate::commands::diff::text::write_text;
use crate::commands::diff::{DiffArgs, choose, report};
use crate::commands::verify::Status;
use crate::error::CliError;
use crate::ops::reader::ReadOptions;
use crate::ops::rerun::Refusal;
use crate::ops::rerun::build::{self, Target};
use crate::ops::rerun::inputs::{self, Places};
use crate::ops::rerun::launch;
use crate::ops::rerun::worktree::{self, Worktree};
use crate::ops::scan::{CargoTarget, Context, GitRecord, ScanOptions, scan};
use crate::ops::schemas::Schemas;
use crate::output::out;

/// `rerun`.
#[derive(Debug, Args)]
pub struct RerunArgs {
    /// The log of the run to reproduce.
    #[arg(value_name = "LOG")]
    pub log: PathBuf,
    /// Which session of the log, when it holds several.
    #[arg(long, value_name = "SESSION_ID")]
    pub session: Option<String>,
    /// The run whose result decides the verdict (and its nested runs);
    /// default: every run of the session.
    #[arg(long, value_name = "RUN_ID")]
    pub run: Option<String>,
    /// Build this commit (or any revision git names) instead of the
    /// recorded one, with the same arguments and seed: "did my change alter
    /// this result?". The recorded uncommitted changes are not applied.
    #[arg(long, value_name = "COMMIT")]
    pub at: Option<String>,
    /// Leave the worktree in place (its path is printed).
    #[arg(long)]
    pub keep: bool,
    /// Run even when an input file's bytes differ from the record (the
    /// comparison then names the input).
    #[arg(long)]
    pub allow_changed_inputs: bool,
    /// The repository holding the commit (default: the recorded
    /// repository, else the one around the current folder).
    #[arg(long, value_name = "DIR")]
    pub repo: Option<PathBuf>,
    /// Cargo's target folder for the build (default: CARGO_TARGET_DIR when
    /// set, else provenance/rerun-target in the user's cache folder, kept
    /// so that later reruns build only the experiment's own crates).
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
    /// Relative tolerance for numbers in the comparison.
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    pub rtol: f64,
    /// Absolute tolerance for numbers in the comparison.
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    pub atol: f64,
    /// The program's arguments, instead of the recorded ones (needed when
    /// the recorded command line held a secret).
    #[arg(last = true, value_name = "ARGS")]
    pub args: Vec<String>,
    #[command(flatten)]
    pub read: ReadOptions,
}

/// One progress line on standard error, as cargo writes them.
fn step(err: &mut dyn Write, verb: &str, what: impl std::fmt::Display) -> Result<(), CliError> {
    writeln!(err, "{verb:>12} {what}").map_err(CliError::Output)
}

/// Runs `rerun`: 0 reproduced, 1 it differs.
///
/// # Errors
/// Whatever keeps the run from being rerun ([`CliError::Rerun`]), or a log
/// that cannot be read.
pub fn run(args: &RerunArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, CliError> {
    if args.log == Path::new("-") {
        return Err(CliError::Usage(
            "rerun needs the log as a file (its patches are beside it), not standard input".into(),
        ));
    }
    let options = ScanOptions {
        max_line: args.read.max_line_bytes,
        max_findings: 0,
        ..ScanOptions::default()
    };
    let scanned = scan(
        std::slice::from_ref(&args.log),
        &options,
        Schemas::default(),
    )?;
    let session = choose(&scanned, args.session.as_deref(), "--session")?;
    let context = session.context.as_ref().ok_or_else(|| {
        Refusal::new(format!(
            "session {} has no session.start line, so nothing records how it was built",
            session.id
        ))
    })?;
    if let Some(run) = &args.run
        && !session.runs.iter().any(|r| &r.id == run)
    {
        let ids: Vec<&str> = session.runs.iter().take(8).map(|r| r.id.as_str()).collect();
        return Err(Refusal::new(format!(
            "session {} has no run {run:?} (its runs include {})",
            session.id,
            ids.join(", ")
        ))
        .into());
    }
    let git = context.git.as_ref().ok_or_else(|| {
        Refusal::new("the log records no git state, so there is no source to rebuild")
    })?;
    let recorded_sha = context.sha().ok_or_else(|| {
        Refusal::new(format!(
            "the log names no commit ({}), so there is no source to rebuild",
            git.reason.as_deref().unwrap_or("no reason recorded")
        ))
    })?;
    // Everything the log must hold is checked before anything is made.
    let program_args = launch::arguments(context, &args.args)?;
    let cargo = context
        .build
        .as_ref()
        .and_then(|b| b.cargo.as_ref())
        .ok_or_else(|| {
            Refusal::new(
                "the log does not record the cargo target the program was built as (written \
                 before build.cargo was recorded); build it by hand",
            )
        })?;
    build::check_recorded(cargo)?;
    step(
        err,
        "Rerunning",
        format_args!("session {} of {}", session.id, args.log.display()),
    )?;

    let repo = repository(args.repo.as_deref(), git)?;
    let sha = worktree::commit(&repo, args.at.as_deref().unwrap_or(recorded_sha))?;
    let patch = match (&args.at, git.dirty) {
        (None, Some(true)) => Some(patch_file(&args.log, git)?),
        (Some(at), Some(true)) => {
            step(
                err,
                "Note",
                format_args!(
                    "the run was built with uncommitted changes; --at {at} builds that commit as committed, without them"
                ),
            )?;
            None
        }
        _ => None,
    };
    let mut tree = Worktree::add(&repo, &sha)?;
    step(
        err,
        "Worktree",
        format_args!("{} at {}", tree.path().display(), short(&sha)),
    )?;
    if let Some(patch) = &patch {
        tree.apply(patch)?;
        check_patch(&tree, git, patch, err)?;
    }

    let recorded_root = git.repo_root.as_deref().map(Path::new);
    let package_dir = package_dir(context, recorded_root, tree.path())?;
    let working_dir = context.working_dir.as_ref();
    let checked = inputs::check(
        &session.inputs,
        &Places {
            recorded_root,
            repo: &repo,
            worktree: tree.path(),
            working_dir: working_dir.and_then(|w| w.path.as_deref()).map(Path::new),
        },
    );
    check_inputs(&checked, args.allow_changed_inputs, err)?;
    inputs::link(&checked).map_err(Refusal::new)?;

    let executable = build_target(args, context, cargo, &package_dir, tree.path(), err)?;

    let cwd = run_folder(context, tree.path(), &package_dir)?;
    let new_log = launch::log_path(&args.log, &session.id);
    let mut launch = launch::variables(context, &new_log);
    launch.args = program_args;
    for note in &launch.notes {
        step(err, "Note", note)?;
    }
    let seed = launch
        .set
        .iter()
        .find(|(n, _)| n == "PROVENANCE_SEED")
        .map(|(_, v)| format!(" with PROVENANCE_SEED={v}"))
        .unwrap_or_default();
    // Printed as the log would record it: arguments given after `--` may
    // hold the secrets the recorded command line had redacted, and this
    // line ends up in CI logs and terminals' scrollback.
    let shown = ith_provenance_runtime::redacted_command_line(
        std::iter::once(executable.display().to_string())
            .chain(launch.args.iter().cloned())
            .collect(),
    );
    step(
        err,
        "Running",
        format_args!("{} in {}{seed}", shown.join(" "), cwd.display()),
    )?;
    let status = launch::run(&executable, &cwd, &launch)?;
    let written = std::fs::metadata(&new_log)
        .map(|m| m.len() > 0)
        .unwrap_or(false);
    if !written {
        return Err(Refusal::new(format!(
            "the program exited ({status}) without writing its log to {}",
            new_log.display()
        ))
        .into());
    }
    step(err, "Comparing", format_args!("with {}", new_log.display()))?;

    let mut report = report(
        &DiffArgs {
            a: args.log.clone(),
            b: new_log.clone(),
            session_a: Some(session.id.clone()),
            session_b: None,
            events: true,
            rtol: args.rtol,
            atol: args.atol,
            strict_identity: false,
            json: false,
            read: ReadOptions {
                max_line_bytes: args.read.max_line_bytes,
            },
            other_commit: args.at.is_some(),
            // Paths the program recorded inside the worktree stand for the
            // same paths in the repository it copies.
            moved: recorded_root.map(|root| {
                (
                    tree.path().to_string_lossy().into_owned(),
                    root.to_string_lossy().into_owned(),
                )
            }),
        },
        err,
    )?;
    focus(&mut report, args);
    write_text(&report, out)?;
    if args.keep {
        let kept = tree.keep();
        step(
            err,
            "Kept",
            format_args!(
                "{} (remove it with: git -C {} worktree remove --force {})",
                kept.display(),
                repo.display(),
                kept.display()
            ),
        )?;
    }
    drop(tree);
    out!(out, "{}", verdict(&report, args.at.as_deref(), &sha));
    Ok(if report.same { 0 } else { 1 })
}

/// The repository to make the worktree from: `--repo`, else the recorded
/// one when it is on this machine, else the one around the current folder.
fn repository(given: Option<&Path>, git: &GitRecord) -> Result<PathBuf, Refusal> {
    if let Some(dir) = given {
        return worktree::toplevel(dir).map_err(|e| {
            Refusal::new(format!(
                "--repo {} is not a git repository: {e}",
                dir.display()
            ))
        });
    }
    let recorded = git
        .repo_root
        .as_deref()
        .map(Path::new)
        .filter(|p| p.is_dir());
    if let Some(found) = recorded.and_then(|dir| worktree::toplevel(dir).ok()) {
        return Ok(found);
    }
    let here = std::env::current_dir()
        .map_err(|e| Refusal::new(format!("cannot read the current folder: {e}")))?;
    worktree::toplevel(&here).map_err(|_| {
        Refusal::new(format!(
            "the recorded repository {} is not on this machine and {} is in no git repository; \
             give a clone with --repo",
            git.repo_root.as_deref().unwrap_or("(none recorded)"),
            here.display()
        ))
    })
}

/// The stored patch of a dirty build, checked against its record: it
/// exists beside the log, is named from `diff_hash`, and has the recorded
/// bytes.
fn patch_file(log: &Path, git: &GitRecord) -> Result<PathBuf, Refusal> {
    let diff_hash = git.diff_hash.as_deref().ok_or_else(|| {
        Refusal::new(format!(
            "the run was built with uncommitted changes but no diff_hash was recorded ({})",
            git.reason.as_deref().unwrap_or("no reason recorded")
        ))
    })?;
    let record = git.patch.as_ref().ok_or_else(|| {
        Refusal::new(format!(
            "the run was built with uncommitted changes ({diff_hash}) and this log was written \
             before they were stored, so only their hash is known; rerun --at a commit that \
             holds them"
        ))
    })?;
    let file = record.file.as_deref().ok_or_else(|| {
        Refusal::new(format!(
            "the run was built with uncommitted changes but their patch was not stored: {}",
            record.reason.as_deref().unwrap_or("no reason recorded")
        ))
    })?;
    let folder = log
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let path = folder.join(file);
    let hex = diff_hash.strip_prefix("sha256:").unwrap_or(diff_hash);
    let named = Path::new(file).file_stem().and_then(|s| s.to_str()) == Some(hex);
    if !named {
        return Err(Refusal::new(format!(
            "the recorded patch {file} is not named after the recorded diff_hash {diff_hash}"
        )));
    }
    let bytes = std::fs::read(&path).map_err(|e| {
        Refusal::new(format!(
            "the patch of the uncommitted changes is missing: cannot read {} ({e}); it is \
             written beside the log, copy the patches/ folder with it",
            path.display()
        ))
    })?;
    let actual = ith_provenance_runtime::Sha256Hash::of(&bytes).to_string();
    if record.sha256.as_deref() != Some(actual.as_str()) {
        return Err(Refusal::new(format!(
            "the patch {} does not match the record (sha256 {actual}, recorded {}): it is not \
             the diff_hash {diff_hash} the run was built from",
            path.display(),
            record.sha256.as_deref().unwrap_or("none")
        )));
    }
    Ok(std::fs::canonicalize(&path).unwrap_or(path))
}

/// After the patch: the worktree's `diff_hash` is the recorded one, unless
/// the patch had secrets redacted (then said, and the rerun goes on).
fn check_patch(
    tree: &Worktree,
    git: &GitRecord,
    patch: &Path,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let recorded = git.diff_hash.as_deref().unwrap_or_default();
    let now = tree
        .diff_hash()
        .map_err(|e| Refusal::new(format!("cannot hash the patched worktree to check it: {e}")))?;
    let redacted = git
        .patch
        .as_ref()
        .map(|p| p.redacted.as_slice())
        .unwrap_or(&[]);
    if now.as_deref() == Some(recorded) {
        step(
            err,
            "Patched",
            format_args!("{} (diff_hash {})", patch.display(), short_hash(recorded)),
        )?;
        return Ok(());
    }
    if !redacted.is_empty() {
        step(
            err,
            "Note",
            format_args!(
                "the patch had secrets redacted in {}: those files differ from the build's",
                redacted.join(", ")
            ),
        )?;
        return Ok(());
    }
    Err(Refusal::new(format!(
        "the patch {} does not match the recorded diff_hash {recorded}: applied, it gives {}",
        patch.display(),
        now.as_deref().unwrap_or("a clean tree")
    ))
    .into())
}

/// The package's folder in the worktree: the recorded `crate.manifest_dir`
/// relative to the recorded repository root.
fn package_dir(
    context: &Context,
    recorded_root: Option<&Path>,
    tree: &Path,
) -> Result<PathBuf, Refusal> {
    let manifest_dir = context
        .krate
        .as_ref()
        .and_then(|k| k.manifest_dir.as_deref())
        .map(Path::new);
    let relative = match (manifest_dir, recorded_root) {
        (Some(dir), Some(root)) => dir.strip_prefix(root).map_err(|_| {
            Refusal::new(format!(
                "the crate's folder {} is not inside the recorded repository {}",
                dir.display(),
                root.display()
            ))
        })?,
        _ => {
            return Err(Refusal::new(
                "the log does not record the crate's folder and the repository root, so the \
                 package cannot be found in the commit",
            ));
        }
    };
    let dir = tree.join(relative);
    if !dir.join("Cargo.toml").is_file() {
        return Err(Refusal::new(format!(
            "the commit has no Cargo.toml in {} (the crate's recorded folder)",
            if relative.as_os_str().is_empty() {
                Path::new(".")
            } else {
                relative
            }
            .display()
        )));
    }
    Ok(dir)
}

/// Says what each input check found; stops at a changed, missing or
/// unreadable input unless allowed.
fn check_inputs(
    checked: &[inputs::Checked],
    allow: bool,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let bad: Vec<&inputs::Checked> = checked.iter().filter(|c| c.status != Status::Ok).collect();
    if let Some(first) = bad.first()
        && !allow
    {
        return Err(Refusal::new(format!(
            "input {} is {} at {}{}; rerun --allow-changed-inputs to run with it anyway{}",
            first.name,
            first.status.label(),
            first.path.display(),
            first
                .message
                .as_deref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default(),
            if bad.len() > 1 {
                format!(" ({} more inputs differ)", bad.len() - 1)
            } else {
                String::new()
            }
        ))
        .into());
    }
    for c in &bad {
        step(
            err,
            "Warning",
            format_args!(
                "input {} is {} at {}{}",
                c.name,
                c.status.label(),
                c.path.display(),
                c.message
                    .as_deref()
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default()
            ),
        )?;
    }
    if !checked.is_empty() {
        step(
            err,
            "Checked",
            format_args!(
                "{} input file(s), {} as recorded",
                checked.len(),
                checked.len() - bad.len()
            ),
        )?;
    }
    Ok(())
}

/// Builds the recorded target in the worktree, saying when the toolchain
/// is not the recorded one.
fn build_target(
    args: &RerunArgs,
    context: &Context,
    cargo: &CargoTarget,
    package_dir: &Path,
    tree: &Path,
    err: &mut dyn Write,
) -> Result<PathBuf, CliError> {
    let recorded_build = context.build.as_ref();
    let today = build::toolchain(package_dir).map_err(Refusal::new)?;
    if let Some(recorded) = recorded_build.and_then(|b| b.toolchain.as_ref())
        && (recorded.release != today.release || recorded.commit_hash != today.commit_hash)
    {
        let show = |t: &crate::ops::scan::Toolchain| {
            format!(
                "rustc {} ({})",
                t.release.as_deref().unwrap_or("?"),
                t.commit_hash.as_deref().map(short).unwrap_or("?")
            )
        };
        step(
            err,
            "Note",
            format_args!(
                "the run was built with {}, this build uses {}; for the recorded one: rustup toolchain install {} and rerun with RUSTUP_TOOLCHAIN={}",
                show(recorded),
                show(&today),
                recorded.release.as_deref().unwrap_or("?"),
                recorded.release.as_deref().unwrap_or("?"),
            ),
        )?;
    }
    let recorded_triple = recorded_build.and_then(|b| b.target.clone());
    let triple = recorded_triple.filter(|t| today.host.as_deref() != Some(t.as_str()));
    let target = Target {
        cargo,
        manifest: package_dir.join("Cargo.toml"),
        triple,
        target_dir: args.target_dir.clone().or_else(build::default_target_dir),
    };
    let locked = build::has_lock(package_dir, tree);
    if !locked {
        step(
            err,
            "Note",
            "the commit holds no Cargo.lock: cargo resolves the dependencies anew, and the comparison names any that differ",
        )?;
    }
    let command: Vec<OsString> = build::command_line(&target, locked)?;
    step(
        err,
        "Building",
        format_args!(
            "cargo {}",
            command
                .iter()
                .filter(|a| *a != "--message-format=json-render-diagnostics")
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" ")
        ),
    )?;
    Ok(build::build(package_dir, &command, &target)?)
}

/// The folder to run in: the recorded working folder's place in the
/// worktree, else the recorded folder itself when it is outside the
/// repository and still here, else the package's folder.
fn run_folder(context: &Context, tree: &Path, package_dir: &Path) -> Result<PathBuf, Refusal> {
    let recorded = context.working_dir.as_ref();
    if let Some(relative) = recorded.and_then(|w| w.in_repo.as_deref()) {
        let dir = tree.join(relative);
        std::fs::create_dir_all(&dir)
            .map_err(|e| Refusal::new(format!("cannot make {}: {e}", dir.display())))?;
        return Ok(dir);
    }
    if let Some(path) = recorded.and_then(|w| w.path.as_deref()).map(Path::new)
        && path.is_dir()
    {
        return Ok(path.to_path_buf());
    }
    Ok(package_dir.to_path_buf())
}

/// Keeps only what the verdict is about: with `--run`, only that run (and
/// the runs inside it) and the session's own records count.
fn focus(report: &mut Report, args: &RerunArgs) {
    if let Some(run) = &args.run {
        let inside = |id: &str| id == run || id.starts_with(&format!("{run}/"));
        report
            .differences
            .retain(|d| d.run.as_deref().is_none_or(inside));
        if let Some(types) = report.events.as_mut() {
            for t in types.iter_mut() {
                let elsewhere = t
                    .first_difference
                    .as_ref()
                    .and_then(|f| f.run.as_deref())
                    .is_some_and(|r| !inside(r));
                if elsewhere {
                    t.same = true;
                    t.first_difference = None;
                }
            }
        }
    }
    report.same = report.differences.is_empty()
        && report
            .events
            .as_ref()
            .is_none_or(|types| types.iter().all(|t| t.same));
}

/// The last line: `reproduced: identical`, or each difference named.
fn verdict(report: &Report, at: Option<&str>, sha: &str) -> String {
    let at = at
        .map(|at| format!(" (at {at} = {})", short(sha)))
        .unwrap_or_default();
    if report.same {
        return format!("reproduced: identical{at}");
    }
    let mut named: Vec<String> = report
        .differences
        .iter()
        .filter(|d| d.follows.is_none())
        .map(|d| d.path.clone())
        .collect();
    for t in report.events.iter().flatten().filter(|t| !t.same) {
        if let Some(name) = &t.series {
            let place = t
                .first_difference
                .as_ref()
                .map(|f| {
                    let run = f
                        .run
                        .as_deref()
                        .map(|r| format!(" in {r}"))
                        .unwrap_or_default();
                    let at = f
                        .step
                        .map_or_else(|| format!("point {}", f.index), |s| format!("step {s}"));
                    format!("{run} from {at}")
                })
                .unwrap_or_default();
            named.push(format!("events {} {name}{place}", t.event_type));
            continue;
        }
        let place = t
            .first_difference
            .as_ref()
            .map(|f| {
                let path = f
                    .path
                    .as_deref()
                    .map(|p| format!(".{p}"))
                    .unwrap_or_default();
                format!(" from event {}{path}", f.index)
            })
            .unwrap_or_default();
        named.push(format!("events {}{place}", t.event_type));
    }
    format!("not reproduced{at}: {}", named.join(", "))
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

fn short_hash(hash: &str) -> &str {
    let hex = hash.strip_prefix("sha256:").unwrap_or(hash);
    hex.get(..12).unwrap_or(hex)
}
