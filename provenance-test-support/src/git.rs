//! The git CLI as tests run it: the same answers on every machine, whatever
//! its git configuration or the environment of the test run.

use std::path::Path;
use std::process::{Command, Output};

/// `git <args>` in `dir`, ready to run: a fixed identity and default
/// branch, no automatic gc, the `file` protocol allowed (for submodules
/// from a local folder), and no `GIT_DIR` / `GIT_WORK_TREE` from the
/// environment (a test run from a git hook has them).
pub fn git_command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("git");
    command
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(["-c", "init.defaultBranch=main", "-c", "gc.auto=0"])
        .args(["-c", "protocol.file.allow=always"])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    command
}

/// Runs `git <args>` in `dir` (see [`git_command`]), whatever its exit status.
pub fn git_output(dir: &Path, args: &[&str]) -> Output {
    git_command(dir, args)
        .output()
        .unwrap_or_else(|e| panic!("the git CLI does not run in {}: {e}", dir.display()))
}

/// `git <args>` in `dir`: its standard output without the trailing newline;
/// panics with git's message when it fails.
///
/// ```
/// let repo = tempfile::tempdir().unwrap();
/// provenance_test_support::git(repo.path(), &["init", "-q"]);
/// let branch = provenance_test_support::git(repo.path(), &["symbolic-ref", "--short", "HEAD"]);
/// assert_eq!(branch, "main");
/// ```
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_output(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} in {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    trimmed(out)
}

/// `git <args>` in `dir`, or `None` when git says no (no `HEAD` yet, a
/// missing config key, not a repository).
pub fn git_maybe(dir: &Path, args: &[&str]) -> Option<String> {
    let out = git_output(dir, args);
    out.status.success().then(|| trimmed(out))
}

fn trimmed(out: Output) -> String {
    String::from_utf8(out.stdout)
        .expect("git printed UTF-8")
        .trim_end()
        .to_owned()
}
