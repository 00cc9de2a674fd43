//! Unit tests of the per-process cache (the capture itself is tested in
//! `provenance-git`).

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use super::*;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the git CLI runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim_end()
        .to_owned()
}

fn committed_repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    git(tmp.path(), &["init", "-q"]);
    std::fs::write(tmp.path().join("a.txt"), "a\n").expect("write");
    git(tmp.path(), &["add", "a.txt"]);
    git(tmp.path(), &["commit", "-qm", "first"]);
    tmp
}

#[test]
fn cache_keeps_one_capture_per_start_path() {
    let first = committed_repo();
    let second = committed_repo();
    prefetch_git(Some(first.path()));
    let a = git_info(Some(first.path()));
    let b = git_info(Some(second.path()));
    assert!(Arc::ptr_eq(&a, &git_info(Some(first.path()))));
    assert!(!Arc::ptr_eq(&a, &b));
    assert_eq!(a.repo_root.as_deref(), Some(first.path()));
    assert_eq!(b.repo_root.as_deref(), Some(second.path()));
}
