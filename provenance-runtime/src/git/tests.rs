//! Unit tests of what the integration tests cannot reach: the working
//! directory is injected here, so the fallback is tested without changing
//! the process's directory under other tests' feet.

use std::cell::Cell;
use std::io;
use std::path::Path;
use std::process::Command;

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
fn missing_manifest_dir_falls_back_to_the_given_working_dir() {
    let repo = committed_repo();
    let gone = repo.path().join("no-such-crate");
    let info = capture_git_with_cwd(Some(&gone), || Ok(repo.path().to_path_buf()));
    assert_eq!(info.found_via, Some(GitSearchStart::WorkingDir));
    assert_eq!(info.searched_from.as_deref(), Some(repo.path()));
    assert_eq!(
        info.sha.as_deref(),
        Some(git(repo.path(), &["rev-parse", "HEAD"]).as_str())
    );
    assert_eq!(info.repo_root.as_deref(), Some(repo.path()));
    let reason = info.reason.expect("the fallback is explained");
    assert!(reason.contains("no-such-crate"), "{reason}");
    assert!(reason.contains("current working directory"), "{reason}");
}

#[test]
fn no_manifest_dir_searches_the_working_dir_without_comment() {
    let repo = committed_repo();
    let info = capture_git_with_cwd(None, || Ok(repo.path().to_path_buf()));
    assert_eq!(info.found_via, Some(GitSearchStart::WorkingDir));
    assert_eq!(info.dirty, Some(false));
    assert_eq!(info.reason, None);
}

#[test]
fn existing_manifest_dir_wins_and_the_working_dir_is_never_read() {
    let repo = committed_repo();
    let other = committed_repo();
    let asked = Cell::new(false);
    let info = capture_git_with_cwd(Some(repo.path()), || {
        asked.set(true);
        Ok(other.path().to_path_buf())
    });
    assert!(!asked.get());
    assert_eq!(info.found_via, Some(GitSearchStart::ManifestDir));
    assert_eq!(info.repo_root.as_deref(), Some(repo.path()));
}

#[test]
fn unreadable_working_dir_is_a_reason_not_a_panic() {
    let info = capture_git_with_cwd(None, || Err(io::Error::from(io::ErrorKind::NotFound)));
    assert_eq!(info.sha, None);
    assert_eq!(info.searched_from, None);
    let reason = info.reason.expect("reason");
    assert!(reason.contains("current working directory"), "{reason}");
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

#[test]
fn diff_hash_lines_follow_the_documented_layout() {
    let repo = committed_repo();
    let dir = repo.path();
    std::fs::write(dir.join("new.txt"), "new\n").expect("write");
    std::fs::create_dir(dir.join("nested")).expect("mkdir");
    let paths = [b"a.txt".to_vec(), b"nested/".to_vec(), b"new.txt".to_vec()];
    std::fs::remove_file(dir.join("a.txt")).expect("remove");
    let blob = git(dir, &["hash-object", "--no-filters", "new.txt"]);
    let expected = format!("a.txt\0deleted\nnested/\0directory\nnew.txt\0{blob}\n");
    assert_eq!(
        diff_hash::diff_hash(dir, &paths),
        Ok(crate::Sha256Hash::of(expected.as_bytes()))
    );
}

#[test]
fn changed_paths_are_sorted_by_bytes_and_unique() {
    let repo = committed_repo();
    let dir = repo.path();
    // `git rm --cached` leaves the file: staged deletion plus untracked, one path.
    git(dir, &["rm", "-q", "--cached", "a.txt"]);
    std::fs::write(dir.join("B.txt"), "upper\n").expect("write");
    std::fs::write(dir.join("_.txt"), "underscore\n").expect("write");
    let repo = git2::Repository::open(dir).expect("open");
    let paths = status::changed_paths(&repo).expect("status");
    assert_eq!(
        paths,
        [b"B.txt".to_vec(), b"_.txt".to_vec(), b"a.txt".to_vec()]
    );
}
