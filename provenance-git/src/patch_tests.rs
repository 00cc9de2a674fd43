//! The patch of a dirty tree, checked with the real `git apply --binary`:
//! applied to a clean clone of the commit it gives back the same
//! `diff_hash`, unless secrets were redacted from it.

use std::path::Path;

use super::redact::SecretNames;
use super::tests::git;
use super::*;

/// A repository with one commit holding a text file, a file without a final
/// newline, a file to delete and a binary file.
fn committed_repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    std::fs::write(dir.join("a.txt"), "one\ntwo\nthree\n").expect("write");
    std::fs::write(dir.join("no_newline.txt"), "last").expect("write");
    std::fs::write(dir.join("gone.txt"), "bye\n").expect("write");
    std::fs::write(dir.join("blob.bin"), [0u8, 1, 2, 255, 0, 7]).expect("write");
    std::fs::write(dir.join(".gitignore"), "ignored/\n").expect("write");
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "first"]);
    tmp
}

fn captured(dir: &Path) -> GitState {
    capture_with_patch(Some(dir), &SecretNames::default())
}

/// A fresh clone of `dir`'s HEAD with `patch` applied by `git apply
/// --binary`, as `provenance rerun` applies it.
fn applied_to_clone(dir: &Path, patch: &[u8]) -> tempfile::TempDir {
    let clone = tempfile::tempdir().expect("temp dir");
    git(
        clone.path(),
        &["clone", "-q", dir.to_str().expect("utf-8"), "."],
    );
    let file = clone.path().join("..").join(format!(
        "{}.patch",
        clone.path().file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&file, patch).expect("write patch");
    git(
        clone.path(),
        &["apply", "--binary", file.to_str().expect("utf-8")],
    );
    std::fs::remove_file(&file).expect("remove patch");
    clone
}

#[test]
fn applied_to_a_clean_clone_the_patch_gives_back_diff_hash() {
    let repo = committed_repo();
    let dir = repo.path();
    std::fs::write(dir.join("a.txt"), "one\n2\nthree\nfour\n").expect("write");
    std::fs::write(dir.join("no_newline.txt"), "last, changed").expect("write");
    std::fs::remove_file(dir.join("gone.txt")).expect("rm");
    std::fs::write(dir.join("blob.bin"), [9u8, 0, 0, 1, 2, 3, 255]).expect("write");
    std::fs::write(dir.join("staged.txt"), "staged\n").expect("write");
    git(dir, &["add", "staged.txt"]);
    std::fs::create_dir_all(dir.join("new/deeper")).expect("mkdir");
    std::fs::write(dir.join("new/deeper/untracked.rs"), "fn main() {}\n").expect("write");
    std::fs::write(dir.join("new/data.bin"), [0u8, 159, 146, 150, 0]).expect("write");
    std::fs::write(dir.join("new/empty.txt"), "").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink("a.txt", dir.join("link")).expect("symlink");
    // Left out, as diff_hash leaves them out: ignored files and our logs.
    std::fs::create_dir_all(dir.join("ignored")).expect("mkdir");
    std::fs::write(dir.join("ignored/big.csv"), "x\n").expect("write");
    std::fs::write(
        dir.join("run.ndjson"),
        "{\"ts\":\"2026-11-25T10:46:11.126706Z\",\"event_type\":\"session.start\",\
         \"session_id\":\"s\",\"seq\":0,\"contract_version\":2}\n",
    )
    .expect("write");

    let state = captured(dir);
    assert_eq!(state.dirty, Some(true));
    let patch = state.patch.expect("a dirty tree has a patch");
    assert_eq!(patch.reason, None);
    assert!(patch.redacted.is_empty());
    let bytes = patch.bytes.expect("stored");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("GIT binary patch"), "{text}");
    assert!(
        !text.contains("run.ndjson"),
        "our log is not a change: {text}"
    );
    assert!(!text.contains("big.csv"), "ignored files are not: {text}");

    let clone = applied_to_clone(dir, &bytes);
    let again = capture(Some(clone.path()));
    assert_eq!(again.dirty, Some(true));
    assert_eq!(again.diff_hash, state.diff_hash, "{text}");
}

#[test]
fn secrets_on_added_lines_are_redacted_and_their_paths_listed() {
    let repo = committed_repo();
    let dir = repo.path();
    std::fs::write(
        dir.join("settings.toml"),
        "window = 20\napi_key = \"abc123\"\n",
    )
    .expect("write");
    std::fs::write(dir.join("a.txt"), "one\ntwo\nthree\nTOKEN=tok456\n").expect("write");

    let state = captured(dir);
    let patch = state.patch.expect("a patch");
    assert_eq!(patch.redacted, ["a.txt", "settings.toml"]);
    let bytes = patch.bytes.expect("stored");
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("abc123") && !text.contains("tok456"),
        "{text}"
    );
    assert!(text.contains("+api_key = \"<redacted>\"\n"), "{text}");
    assert!(text.contains("+TOKEN=<redacted>\n"), "{text}");
    assert!(text.contains("+window = 20\n"), "{text}");

    // It still applies; the files it gives hold no secret, so the hash differs.
    let clone = applied_to_clone(dir, &bytes);
    let again = capture(Some(clone.path()));
    assert_eq!(again.dirty, Some(true));
    assert_ne!(again.diff_hash, state.diff_hash);
}

#[test]
fn a_patch_over_the_cap_is_not_stored_and_says_why() {
    let repo = committed_repo();
    let line = "0123456789abcdef".repeat(4) + "\n";
    let big = line.repeat(PATCH_CAP_BYTES / line.len() + 10);
    std::fs::write(repo.path().join("results.csv"), big).expect("write");
    let state = captured(repo.path());
    assert!(state.diff_hash.is_some());
    let patch = state.patch.expect("a record");
    assert_eq!(patch.bytes, None);
    let reason = patch.reason.expect("a reason");
    assert!(reason.starts_with("not stored: "), "{reason}");
    assert!(reason.contains("1 MiB"), "{reason}");
}

#[test]
fn a_clean_tree_or_a_plain_capture_has_no_patch() {
    let repo = committed_repo();
    assert_eq!(captured(repo.path()).patch, None);
    std::fs::write(repo.path().join("a.txt"), "edited\n").expect("write");
    assert_eq!(capture(Some(repo.path())).patch, None, "not asked for");
    assert!(captured(repo.path()).patch.is_some());
}

#[test]
fn a_nested_repository_is_not_stored_and_named() {
    let repo = committed_repo();
    let nested = repo.path().join("vendor");
    std::fs::create_dir(&nested).expect("mkdir");
    git(&nested, &["init", "-q"]);
    std::fs::write(nested.join("lib.rs"), "\n").expect("write");
    let patch = captured(repo.path()).patch.expect("a record");
    assert_eq!(patch.bytes, None);
    let reason = patch.reason.expect("a reason");
    assert!(reason.contains("vendor/"), "{reason}");
}
