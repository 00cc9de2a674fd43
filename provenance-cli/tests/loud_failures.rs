//! Failures a user must not miss, through the real binaries: the main
//! example for bad settings and unwritable logs, and a user's own
//! experiment crate (built outside any git repository) for a missing
//! commit, `std::process::exit` inside a run and a caught panic. Each case
//! checks the exit status and the exact line on stderr.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

use provenance_test_support::experiment::{self, Experiment, Git};
use provenance_test_support::provenance;
use serde_json::Value;

/// Runs the main example from `dir` with exactly these provenance variables.
fn example(dir: &Path, env: &[(&str, &str)]) -> Output {
    example_command(dir, env)
        .output()
        .expect("the example runs")
}

/// The command [`example`] runs.
fn example_command(dir: &Path, env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(support::ith_epochs());
    command
        .current_dir(dir)
        .env_remove("PROVENANCE_SEED")
        .env_remove("PROVENANCE_LOG")
        .env_remove("PROVENANCE_STRICT")
        .env_remove("PROVENANCE_QUIET")
        .env("RUST_BACKTRACE", "0")
        .envs(env.iter().copied());
    command
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn first_line(log: &Path) -> Value {
    let text = std::fs::read_to_string(log).unwrap();
    serde_json::from_str(text.lines().next().expect("a first line")).unwrap()
}

#[test]
fn a_bad_seed_is_one_line_and_exit_2_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = example(dir.path(), &[("PROVENANCE_SEED", "4x2")]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "provenance: cannot start the session: PROVENANCE_SEED=\"4x2\" is not a valid seed: \
         expected an unsigned 64-bit integer, decimal (42) or hex (0x2a); unset it to draw a \
         fresh seed\n"
    );
    assert!(!dir.path().join("logs").exists(), "nothing was recorded");
}

#[test]
fn an_empty_seed_is_unset() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("run.ndjson");
    let out = example(
        dir.path(),
        &[
            ("PROVENANCE_SEED", ""),
            ("PROVENANCE_LOG", log.to_str().unwrap()),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        first_line(&log)["context"]["root_seed"]["source"],
        "entropy"
    );
}

#[test]
fn a_bad_strict_setting_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = example(dir.path(), &[("PROVENANCE_STRICT", "maybe")]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "provenance: PROVENANCE_STRICT=\"maybe\" is not a valid setting: expected 1 (on) or 0 (off)\n"
    );
}

#[test]
fn an_explicit_path_in_a_missing_folder_is_an_error_not_a_new_folder() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nonexistent/dir");
    let log = missing.join("x.ndjson");
    let out = example(dir.path(), &[("PROVENANCE_LOG", log.to_str().unwrap())]);
    // Lenient by default: the experiment runs, unrecorded, and says so.
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        format!(
            "provenance: cannot open event log {}: its folder {} does not exist (only the \
             default logs/provenance/ is created; create the folder, or check the path for a \
             typo); choose another path with PROVENANCE_LOG=<path> (or stdout, stderr, off); \
             this process's runs are not recorded (PROVENANCE_STRICT=1 makes this fatal)\n",
            log.display(),
            missing.display()
        )
    );
    assert!(
        !dir.path().join("nonexistent").exists(),
        "no folder was made up"
    );
}

/// `PROVENANCE_STRICT=1` makes an unrecordable run fail the first annotated
/// call: its panic message is the log's error.
fn strict_fails(log: &str, error: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = example(
        dir.path(),
        &[("PROVENANCE_LOG", log), ("PROVENANCE_STRICT", "1")],
    );
    assert_strict_failure(&out, error);
}

/// The example stopped at its first annotated call (exit 101) with the
/// line `PROVENANCE_STRICT=1 and this process's runs cannot be recorded:
/// {error}`, before the experiment ran.
fn assert_strict_failure(out: &Output, error: &str) {
    assert_eq!(out.status.code(), Some(101), "{}", stderr(out));
    let message = format!(
        "provenance: PROVENANCE_STRICT=1 and this process's runs cannot be recorded: {error}"
    );
    assert!(
        stderr(out).lines().any(|l| l == message),
        "no line {message:?} in:\n{}",
        stderr(out)
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("epoch"),
        "the experiment did not run"
    );
}

#[test]
fn strict_makes_a_full_disk_fatal() {
    let dev_full = Path::new("/dev/full");
    if !dev_full.exists() {
        eprintln!("skipped: this machine has no /dev/full");
        return;
    }
    strict_fails(
        "/dev/full",
        "cannot open event log /dev/full: No space left on device (os error 28); choose another \
         path with PROVENANCE_LOG=<path> (or stdout, stderr, off)",
    );
    // Without it: one line, and the experiment goes on.
    let dir = tempfile::tempdir().unwrap();
    let out = example(dir.path(), &[("PROVENANCE_LOG", "/dev/full")]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "provenance: cannot open event log /dev/full: No space left on device (os error 28); \
         choose another path with PROVENANCE_LOG=<path> (or stdout, stderr, off); this \
         process's runs are not recorded (PROVENANCE_STRICT=1 makes this fatal)\n"
    );
}

#[test]
fn strict_makes_a_missing_folder_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("missing/x.ndjson");
    strict_fails(
        log.to_str().unwrap(),
        &format!(
            "cannot open event log {}: its folder {} does not exist (only the default \
             logs/provenance/ is created; create the folder, or check the path for a typo); \
             choose another path with PROVENANCE_LOG=<path> (or stdout, stderr, off)",
            log.display(),
            dir.path().join("missing").display()
        ),
    );
}

#[test]
fn strict_makes_an_unwritable_folder_fatal() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    // Entered by the unprivileged user below; only `read-only` is locked.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let locked = dir.path().join("read-only");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let log = locked.join("x.ndjson");
    let mut command = example_command(
        dir.path(),
        &[
            ("PROVENANCE_LOG", log.to_str().unwrap()),
            ("PROVENANCE_STRICT", "1"),
        ],
    );
    // Root (as CI runs) writes into any folder whatever its mode: there the
    // example runs as `nobody` (65534), to whom the folder is read-only, as
    // it is to any user without root's privilege.
    let probe = locked.join("probe");
    if std::fs::write(&probe, b"").is_ok() {
        std::fs::remove_file(&probe).unwrap();
        command.uid(65534).gid(65534);
    }
    let out = command.output().unwrap_or_else(|e| {
        panic!("the example does not start (as nobody, when run as root): {e}")
    });
    assert_strict_failure(
        &out,
        &format!(
            "cannot open event log {}: Permission denied (os error 13); choose another path \
             with PROVENANCE_LOG=<path> (or stdout, stderr, off)",
            log.display()
        ),
    );
}

// ---------------------------------------------------------------------------
// A user's crate outside any git repository

fn outside_git() -> &'static Experiment {
    static BUILT: OnceLock<Experiment> = OnceLock::new();
    BUILT.get_or_init(|| experiment::build(Git::None))
}

/// Runs the experiment crate with its log at `<its folder>/<label>.ndjson`.
fn experiment(label: &str, mode: &str, env: &[(&str, &str)]) -> (Output, std::path::PathBuf) {
    let built = outside_git();
    let log = built.dir.path().join(format!("{label}.ndjson"));
    let out = Command::new(&built.binary)
        .arg(mode)
        .current_dir(built.dir.path())
        .env_remove("PROVENANCE_SEED")
        .env_remove("PROVENANCE_STRICT")
        .env_remove("PROVENANCE_QUIET")
        .env("RUST_BACKTRACE", "0")
        .env("PROVENANCE_LOG", &log)
        .envs(env.iter().copied())
        .output()
        .expect("the experiment runs");
    (out, log)
}

#[test]
fn no_commit_is_said_once_with_what_was_searched_and_what_helps() {
    let (out, log) = experiment("no-git", "loop", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let context = &first_line(&log)["context"];
    assert_eq!(context["git_sha"], Value::Null);
    let reason = context["git"]["reason"].as_str().unwrap();
    let folder = outside_git().dir.path().display().to_string();
    assert_eq!(
        reason,
        format!(
            "no git repository found in {folder} or any parent directory; that is the \
             experiment crate's folder as compiled (crate_info!), which is where git is \
             searched, not the directory the program runs in: build the crate from a git \
             clone of its source to record its commit"
        )
    );
    assert_eq!(
        stderr(&out),
        format!(
            "provenance: session {} records no git commit: {reason} (PROVENANCE_QUIET=1 \
             silences this line)\n",
            context["session_id"].as_str().unwrap()
        )
    );
    let (quiet, _) = experiment("no-git-quiet", "loop", &[("PROVENANCE_QUIET", "1")]);
    assert!(quiet.status.success());
    assert_eq!(stderr(&quiet), "", "PROVENANCE_QUIET=1 silences it");
}

fn summary(log: &Path) -> String {
    let out = provenance(Path::new("."), &[Path::new("summary"), log]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

#[test]
fn process_exit_inside_a_run_keeps_its_start() {
    let (out, log) = experiment("exit", "exit", &[("PROVENANCE_QUIET", "1")]);
    assert_eq!(out.status.code(), Some(3));
    let text = std::fs::read_to_string(&log).unwrap();
    let init = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|l| l["event_type"] == "algorithm.init")
        .expect("algorithm.init reached the file before the body exited");
    assert_eq!(init["run_id"], "exits_inside#1");
    assert_eq!(init["config"], 3);
    let summary = summary(&log);
    // The process's log is flushed as `exit` runs the thread's destructors:
    // the body's own events (its seed) are kept too.
    assert!(
        summary.lines().any(|l| l
            == "run        exits_inside#1 exits_inside 0.1.0: unfinished (last seen: seed.derived at line 5)"),
        "{summary}"
    );
    assert!(
        summary.contains("status     unfinished: 1 run(s) without a result"),
        "{summary}"
    );
}

#[test]
fn a_caught_panic_keeps_its_status_and_the_session_says_it_went_on() {
    let (out, log) = experiment("caught", "caught", &[("PROVENANCE_QUIET", "1")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = summary(&log);
    assert!(
        summary.contains("run        panics_inside#1 panics_inside 0.1.0: panic"),
        "{summary}"
    );
    let status = summary
        .lines()
        .find(|l| l.starts_with("status "))
        .expect("a status line");
    assert!(
        status
            .starts_with("status     panic in run panics_inside#1 (caught: the process went on, ")
            && status.ends_with(" later line(s))"),
        "{status}"
    );
}
