//! `capture_git` against the git CLI: every field is compared with what
//! `git rev-parse`, `git status` and `git symbolic-ref` say about the same
//! temporary repository, and `diff_hash` is recomputed from `git status -z`
//! and `git hash-object`, as `docs/GIT.md` tells users to.

#![cfg(feature = "git")]

#[path = "git_capture/own_logs.rs"]
mod own_logs;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;

use ith_provenance::git::{GitInfo, GitSearchStart, capture_git, git_info, prefetch_git};
use provenance_test_support::git::{git, git_command, git_maybe, git_output};
use sha2::{Digest, Sha256};

fn write(path: &Path, contents: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create parent directories");
    }
    std::fs::write(path, contents).expect("write file");
}

/// A repository with one commit holding `a.txt`, `b.txt` and `src/lib.rs`.
fn committed_repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    write(&dir.join("a.txt"), "alpha\n");
    write(&dir.join("b.txt"), "beta\n");
    write(&dir.join("src/lib.rs"), "pub fn f() {}\n");
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "first"]);
    tmp
}

/// The paths `git status` calls changed (no renames, every untracked file,
/// submodules ignored, as `docs/GIT.md` defines), sorted by bytes, unique.
fn cli_changed_paths(dir: &Path) -> Vec<Vec<u8>> {
    let out = git_output(
        dir,
        &[
            "status",
            "--porcelain",
            "-z",
            "--untracked-files=all",
            "--no-renames",
            "--ignore-submodules=all",
        ],
    );
    assert!(
        out.status.success(),
        "git status: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut paths: Vec<Vec<u8>> = out
        .stdout
        .split(|&b| b == 0)
        .filter(|record| !record.is_empty())
        .map(|record| record[3..].to_vec())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// `diff_hash` recomputed with the git CLI, exactly as `docs/GIT.md`'s
/// recipe does: `<path>\0<blob id | deleted | directory>\n` per path, SHA-256.
fn cli_diff_hash(dir: &Path) -> Option<String> {
    let paths = cli_changed_paths(dir);
    if paths.is_empty() {
        return None;
    }
    let mut lines = Vec::new();
    for path in paths {
        let text = String::from_utf8(path.clone()).expect("test paths are utf-8");
        let full = dir.join(&text);
        let state = if text.ends_with('/') {
            "directory".to_owned()
        } else if full
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            let target = std::fs::read_link(&full).expect("read link");
            hash_object_stdin(dir, target.to_str().expect("utf-8 target").as_bytes())
        } else if full.is_file() {
            git(dir, &["hash-object", "--no-filters", "--", &text])
        } else {
            "deleted".to_owned()
        };
        lines.extend_from_slice(&path);
        lines.push(0);
        lines.extend_from_slice(state.as_bytes());
        lines.push(b'\n');
    }
    Some(format!("sha256:{}", hex(&Sha256::digest(&lines))))
}

fn hash_object_stdin(dir: &Path, bytes: &[u8]) -> String {
    let mut child = git_command(dir, &["hash-object", "--no-filters", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("git hash-object runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(bytes)
        .expect("write stdin");
    let out = child.wait_with_output().expect("git hash-object finishes");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim_end()
        .to_owned()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Captures from `dir` and checks every field the CLI can vouch for.
fn capture_and_compare(dir: &Path) -> GitInfo {
    let info = capture_git(Some(dir));
    assert_eq!(info.searched_from.as_deref(), Some(dir));
    assert_eq!(info.found_via, Some(GitSearchStart::ManifestDir));
    assert_eq!(
        info.sha,
        git_maybe(dir, &["rev-parse", "--verify", "-q", "HEAD"])
    );
    if info.sha.is_some() {
        assert_eq!(
            info.short_sha,
            git_maybe(dir, &["rev-parse", "--short", "HEAD"])
        );
    } else {
        assert_eq!(info.short_sha, None);
    }
    assert_eq!(
        info.branch,
        git_maybe(dir, &["symbolic-ref", "-q", "--short", "HEAD"])
    );
    assert_eq!(info.dirty, Some(!cli_changed_paths(dir).is_empty()));
    // Without credentials in it, the remote URL is the one git prints.
    let tracked = info
        .branch
        .as_deref()
        .and_then(|b| git_maybe(dir, &["config", &format!("branch.{b}.remote")]))
        .filter(|r| r != ".")
        .unwrap_or_else(|| "origin".into());
    let url = git_maybe(dir, &["remote", "get-url", &tracked]);
    if url
        .as_deref()
        .is_none_or(|u| !u.contains('@') && !u.contains('?'))
    {
        assert_eq!(info.remote_url, url);
    }
    if !dir.join(".gitmodules").exists() {
        // Without submodules, plain `git status --porcelain` agrees too.
        assert_eq!(
            info.dirty,
            Some(!git(dir, &["status", "--porcelain"]).is_empty())
        );
    }
    assert_eq!(info.diff_hash.map(|h| h.to_string()), cli_diff_hash(dir));
    let toplevel = git(dir, &["rev-parse", "--show-toplevel"]);
    assert_eq!(info.repo_root, Some(PathBuf::from(toplevel)));
    info
}

#[test]
fn clean_repository_names_commit_and_branch() {
    let repo = committed_repo();
    let info = capture_and_compare(repo.path());
    assert_eq!(info.dirty, Some(false));
    assert_eq!(info.diff_hash, None);
    assert_eq!(info.branch.as_deref(), Some("main"));
    let sha = info.sha.as_deref().expect("sha");
    assert_eq!(sha.len(), 40);
    assert!(sha.starts_with(info.short_sha.as_deref().expect("short sha")));
    assert_eq!(info.reason, None);
}

#[test]
fn capture_from_a_subdirectory_finds_the_enclosing_repository() {
    let repo = committed_repo();
    let sub = repo.path().join("src");
    let info = capture_and_compare(&sub);
    assert_eq!(info.repo_root.as_deref(), Some(repo.path()));
    assert_eq!(info.searched_from.as_deref(), Some(sub.as_path()));
}

#[test]
fn modified_file_is_dirty() {
    let repo = committed_repo();
    write(&repo.path().join("a.txt"), "alpha, edited\n");
    let info = capture_and_compare(repo.path());
    assert_eq!(info.dirty, Some(true));
    assert!(info.diff_hash.is_some());
}

#[test]
fn same_size_edit_right_after_commit_is_dirty() {
    // Same size, same second as the index: only a content check can tell.
    let repo = committed_repo();
    write(&repo.path().join("a.txt"), "ALPHA\n");
    let info = capture_and_compare(repo.path());
    assert_eq!(info.dirty, Some(true));
}

#[test]
fn staged_only_change_is_dirty() {
    let repo = committed_repo();
    write(&repo.path().join("b.txt"), "beta, staged\n");
    git(repo.path(), &["add", "b.txt"]);
    let info = capture_and_compare(repo.path());
    assert_eq!(info.dirty, Some(true));
}

#[test]
fn deleted_file_is_dirty_and_hashed_as_deleted() {
    let repo = committed_repo();
    std::fs::remove_file(repo.path().join("b.txt")).expect("remove");
    let info = capture_and_compare(repo.path());
    assert_eq!(info.dirty, Some(true));
    let expected = Sha256::digest(b"b.txt\0deleted\n");
    assert_eq!(info.diff_hash.expect("hash").hex(), hex(&expected));
}

#[test]
fn staged_deletion_is_dirty() {
    let repo = committed_repo();
    git(repo.path(), &["rm", "-q", "src/lib.rs"]);
    let info = capture_and_compare(repo.path());
    assert_eq!(info.dirty, Some(true));
}

#[test]
fn untracked_file_in_new_directory_is_dirty() {
    let repo = committed_repo();
    write(&repo.path().join("notes/deep/new.txt"), "new\n");
    let info = capture_and_compare(repo.path());
    assert_eq!(info.dirty, Some(true));
    // The untracked directory is looked into: the line names the file.
    let blob = git(
        repo.path(),
        &["hash-object", "--no-filters", "notes/deep/new.txt"],
    );
    let expected = Sha256::digest(format!("notes/deep/new.txt\0{blob}\n").as_bytes());
    assert_eq!(info.diff_hash.expect("hash").hex(), hex(&expected));
}

#[test]
fn ignored_files_leave_the_tree_clean() {
    let repo = committed_repo();
    write(&repo.path().join(".gitignore"), "target/\n*.log\n");
    git(repo.path(), &["add", ".gitignore"]);
    git(repo.path(), &["commit", "-qm", "ignore"]);
    write(&repo.path().join("target/debug/out.bin"), "build output\n");
    write(&repo.path().join("run.log"), "log\n");
    let info = capture_and_compare(repo.path());
    assert_eq!(info.dirty, Some(false));
    assert_eq!(info.diff_hash, None);
}

#[test]
fn rename_counts_as_deletion_plus_addition() {
    let repo = committed_repo();
    git(repo.path(), &["mv", "a.txt", "renamed.txt"]);
    let info = capture_and_compare(repo.path());
    let blob = git(repo.path(), &["hash-object", "--no-filters", "renamed.txt"]);
    let expected = Sha256::digest(format!("a.txt\0deleted\nrenamed.txt\0{blob}\n").as_bytes());
    assert_eq!(info.diff_hash.expect("hash").hex(), hex(&expected));
}

#[test]
fn diff_hash_tells_edits_apart_and_repeats_for_equal_edits() {
    let repo = committed_repo();
    let a = repo.path().join("a.txt");
    write(&a, "first edit\n");
    let first = capture_and_compare(repo.path()).diff_hash.expect("dirty");
    write(&a, "second edit\n");
    let second = capture_and_compare(repo.path()).diff_hash.expect("dirty");
    assert_ne!(first, second);
    write(&a, "first edit\n");
    assert_eq!(capture_and_compare(repo.path()).diff_hash, Some(first));

    // The same edit on the same files in another clone-alike repository
    // (different commit ids) hashes the same: only the edits count.
    let other = committed_repo();
    write(&other.path().join("a.txt"), "first edit\n");
    let elsewhere = capture_and_compare(other.path());
    assert_eq!(elsewhere.diff_hash, Some(first));
}

#[test]
fn merge_conflict_is_dirty() {
    let repo = committed_repo();
    let dir = repo.path();
    git(dir, &["checkout", "-qb", "other"]);
    write(&dir.join("a.txt"), "other side\n");
    git(dir, &["commit", "-qam", "other"]);
    git(dir, &["checkout", "-q", "main"]);
    write(&dir.join("a.txt"), "main side\n");
    git(dir, &["commit", "-qam", "main"]);
    assert!(!git_output(dir, &["merge", "-q", "other"]).status.success());
    let info = capture_and_compare(dir);
    assert_eq!(info.dirty, Some(true));
}

#[cfg(unix)]
#[test]
fn symlinks_hash_their_target_text() {
    let repo = committed_repo();
    let dir = repo.path();
    std::os::unix::fs::symlink("a.txt", dir.join("link")).expect("symlink");
    git(dir, &["add", "link"]);
    git(dir, &["commit", "-qm", "link"]);
    assert_eq!(capture_and_compare(dir).dirty, Some(false));

    std::fs::remove_file(dir.join("link")).expect("remove link");
    std::os::unix::fs::symlink("b.txt", dir.join("link")).expect("symlink");
    std::os::unix::fs::symlink("missing-target", dir.join("dangling")).expect("symlink");
    let info = capture_and_compare(dir);
    let target_blob = hash_object_stdin(dir, b"b.txt");
    let dangling_blob = hash_object_stdin(dir, b"missing-target");
    let expected =
        Sha256::digest(format!("dangling\0{dangling_blob}\nlink\0{target_blob}\n").as_bytes());
    assert_eq!(info.diff_hash.expect("hash").hex(), hex(&expected));
}

#[test]
fn untracked_nested_repository_is_one_directory_line() {
    let repo = committed_repo();
    let nested = repo.path().join("vendor/nested");
    std::fs::create_dir_all(&nested).expect("mkdir");
    git(&nested, &["init", "-q"]);
    write(&nested.join("inner.txt"), "inside\n");
    let info = capture_and_compare(repo.path());
    let expected = Sha256::digest(b"vendor/nested/\0directory\n");
    assert_eq!(info.diff_hash.expect("hash").hex(), hex(&expected));
}

#[test]
fn submodule_contents_are_not_looked_into() {
    let sub = committed_repo();
    let repo = committed_repo();
    let dir = repo.path();
    let url = sub.path().to_str().expect("utf-8 path");
    git(dir, &["submodule", "add", "-q", url, "sub"]);
    git(dir, &["commit", "-qm", "add submodule"]);
    write(&dir.join("sub/a.txt"), "edited inside the submodule\n");
    let info = capture_and_compare(dir);
    assert_eq!(
        info.dirty,
        Some(false),
        "submodules are excluded (docs/GIT.md)"
    );
    // Plain git status would call this dirty; that is the documented difference.
    assert!(!git(dir, &["status", "--porcelain"]).is_empty());

    // A new, uncommitted submodule commit, staged or not, is not looked at either.
    git(&dir.join("sub"), &["commit", "-qam", "inside"]);
    assert_eq!(capture_and_compare(dir).dirty, Some(false));
    git(dir, &["add", "sub"]);
    assert_eq!(capture_and_compare(dir).dirty, Some(false));
}

#[test]
fn remote_url_is_the_tracked_remote_or_origin_without_credentials() {
    let repo = committed_repo();
    let dir = repo.path();
    assert_eq!(capture_and_compare(dir).remote_url, None, "no remote yet");
    git(
        dir,
        &[
            "remote",
            "add",
            "origin",
            "https://ghp_token123@example.com/ana/ith.git",
        ],
    );
    let info = capture_and_compare(dir);
    assert_eq!(
        info.remote_url.as_deref(),
        Some("https://example.com/ana/ith.git"),
        "the token git prints is not recorded"
    );
    // A branch that tracks another remote names that one.
    git(
        dir,
        &["remote", "add", "upstream", "git@example.org:lab/ith.git"],
    );
    let branch = info.branch.expect("a branch");
    git(
        dir,
        &["config", &format!("branch.{branch}.remote"), "upstream"],
    );
    assert_eq!(
        capture_and_compare(dir).remote_url.as_deref(),
        Some("git@example.org:lab/ith.git")
    );
    // An scp-like password and a query token are credentials too.
    for (url, recorded) in [
        (
            "ana:hunter2@example.org:lab/ith.git",
            "example.org:lab/ith.git",
        ),
        (
            "https://gitlab.example/lab/ith.git?private_token=glpat-secret",
            "https://gitlab.example/lab/ith.git",
        ),
    ] {
        git(dir, &["remote", "set-url", "upstream", url]);
        assert_eq!(
            capture_and_compare(dir).remote_url.as_deref(),
            Some(recorded),
            "{url}"
        );
    }
}

#[test]
fn detached_head_records_the_commit_without_a_branch() {
    let repo = committed_repo();
    git(repo.path(), &["checkout", "-q", "--detach"]);
    let info = capture_and_compare(repo.path());
    assert!(info.sha.is_some());
    assert!(info.short_sha.is_some());
    assert_eq!(info.branch, None);
    let reason = info.reason.expect("reason");
    assert!(reason.contains("detached HEAD"), "{reason}");
}

#[test]
fn repository_without_commits_has_no_sha_but_a_branch_and_a_reason() {
    let tmp = tempfile::tempdir().expect("temp dir");
    git(tmp.path(), &["init", "-q"]);
    write(&tmp.path().join("draft.txt"), "draft\n");
    let info = capture_and_compare(tmp.path());
    assert_eq!(info.sha, None);
    assert_eq!(info.branch.as_deref(), Some("main"));
    assert_eq!(info.dirty, Some(true));
    let reason = info.reason.expect("reason");
    assert!(reason.contains("no commits yet"), "{reason}");
}

#[test]
fn directory_outside_any_repository_says_so() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // Only meaningful if the temp dir is not itself inside a checkout.
    assert_eq!(git_maybe(tmp.path(), &["rev-parse", "--git-dir"]), None);
    let info = capture_git(Some(tmp.path()));
    assert_eq!(info.sha, None);
    assert_eq!(info.dirty, None);
    assert_eq!(info.repo_root, None);
    assert_eq!(info.found_via, Some(GitSearchStart::ManifestDir));
    let reason = info.reason.expect("reason");
    assert!(reason.contains("no git repository found"), "{reason}");
}

#[test]
fn bare_repository_has_no_checked_out_commit() {
    let source = committed_repo();
    let tmp = tempfile::tempdir().expect("temp dir");
    let bare = tmp.path().join("bare.git");
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            "--bare",
            source.path().to_str().expect("utf-8"),
            "bare.git",
        ],
    );
    let info = capture_git(Some(&bare));
    assert_eq!(info.sha, None);
    assert_eq!(info.dirty, None);
    assert_eq!(info.repo_root, None);
    let reason = info.reason.expect("reason");
    assert!(reason.contains("bare repository"), "{reason}");
}

#[test]
fn dot_git_file_pointing_nowhere_is_reported_not_panicked() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write(
        &tmp.path().join(".git"),
        "gitdir: /nonexistent/provenance-test/.git\n",
    );
    let info = capture_git(Some(tmp.path()));
    assert_eq!(info.sha, None);
    let reason = info.reason.expect("reason");
    assert!(reason.contains(".git"), "{reason}");
}

#[test]
fn garbage_in_head_is_reported_not_panicked() {
    let repo = committed_repo();
    write(&repo.path().join(".git/HEAD"), "this is not a ref\n");
    let info = capture_git(Some(repo.path()));
    assert_eq!(info.sha, None);
    assert_eq!(info.short_sha, None);
    let reason = info.reason.expect("reason");
    assert!(reason.contains("HEAD"), "{reason}");
}

#[test]
fn head_naming_a_missing_commit_is_reported_not_panicked() {
    let repo = committed_repo();
    let missing = "0123456789abcdef0123456789abcdef01234567";
    write(
        &repo.path().join(".git/refs/heads/main"),
        &format!("{missing}\n"),
    );
    let info = capture_git(Some(repo.path()));
    assert_eq!(info.sha, None);
    let reason = info.reason.expect("reason");
    assert!(reason.contains(missing), "{reason}");
}

#[test]
fn missing_manifest_dir_falls_back_to_the_working_directory() {
    let gone = tempfile::tempdir()
        .expect("temp dir")
        .path()
        .join("moved-away");
    let cwd = std::env::current_dir().expect("cwd");
    let before = git_maybe(&cwd, &["rev-parse", "--verify", "-q", "HEAD"]);
    let info = capture_git(Some(&gone));
    let after = git_maybe(&cwd, &["rev-parse", "--verify", "-q", "HEAD"]);

    assert_eq!(info.found_via, Some(GitSearchStart::WorkingDir));
    assert_eq!(info.searched_from.as_deref(), Some(cwd.as_path()));
    // Someone may commit in this checkout meanwhile: either HEAD will do.
    assert!(
        info.sha == before || info.sha == after,
        "{info:?} vs {before:?}/{after:?}"
    );
    assert_eq!(
        info.repo_root,
        git_maybe(&cwd, &["rev-parse", "--show-toplevel"]).map(PathBuf::from)
    );
    let reason = info.reason.expect("reason");
    assert!(
        reason.contains("moved-away") && reason.contains("current working directory"),
        "{reason}"
    );
}

#[test]
fn git_info_is_captured_once_and_shared() {
    let repo = committed_repo();
    let first = git_info(Some(repo.path()));
    // A later edit is not seen: the capture is per process.
    write(&repo.path().join("a.txt"), "edited after capture\n");
    let second = git_info(Some(repo.path()));
    assert!(Arc::ptr_eq(&first, &second));
    assert_eq!(first.dirty, Some(false));
    assert_eq!(first.sha, git_maybe(repo.path(), &["rev-parse", "HEAD"]));
}

#[test]
fn prefetched_capture_is_the_one_git_info_returns() {
    let repo = committed_repo();
    prefetch_git(Some(repo.path()));
    prefetch_git(Some(repo.path()));
    let first = git_info(Some(repo.path()));
    assert!(Arc::ptr_eq(&first, &git_info(Some(repo.path()))));
    assert_eq!(*first, capture_git(Some(repo.path())));
}

#[test]
fn each_start_path_has_its_own_capture() {
    let (first, second) = (committed_repo(), committed_repo());
    prefetch_git(Some(first.path()));
    let a = git_info(Some(first.path()));
    let b = git_info(Some(second.path()));
    assert!(Arc::ptr_eq(&a, &git_info(Some(first.path()))));
    assert!(!Arc::ptr_eq(&a, &b));
    assert_eq!(a.repo_root.as_deref(), Some(first.path()));
    assert_eq!(b.repo_root.as_deref(), Some(second.path()));
}

#[test]
fn short_sha_grows_with_packed_objects_like_git() {
    // git abbreviates to 8 digits from 2^14 packed objects on (7 below);
    // libgit2 alone would say 7.
    let repo = committed_repo();
    let dir = repo.path();
    let mut stream = String::new();
    for i in 0..16_400 {
        let data = format!("blob {i}\n");
        stream.push_str(&format!("blob\ndata {}\n{data}\n", data.len()));
    }
    let mut child = git_command(dir, &["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("feed fast-import");
    assert!(child.wait().expect("fast-import finishes").success());

    let info = capture_and_compare(dir);
    assert_eq!(info.short_sha.as_deref().map(str::len), Some(8));
}

#[test]
fn configured_abbrev_is_honoured() {
    let repo = committed_repo();
    git(repo.path(), &["config", "core.abbrev", "12"]);
    let info = capture_and_compare(repo.path());
    assert_eq!(info.short_sha.as_deref().map(str::len), Some(12));
}

#[test]
fn git_info_serializes_with_snake_case_fields() {
    let repo = committed_repo();
    let info = capture_git(Some(repo.path()));
    let json = serde_json::to_value(&info).expect("serialize");
    assert_eq!(json["found_via"], "manifest_dir");
    assert_eq!(json["sha"], info.sha.as_deref().expect("sha"));
    assert_eq!(json["diff_hash"], serde_json::Value::Null);
    let back: GitInfo = serde_json::from_value(json).expect("deserialize");
    assert_eq!(back, info);
}
