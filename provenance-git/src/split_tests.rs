//! The status split over threads must find exactly what one status of the
//! whole tree finds: these tests build working trees full of the cases that
//! could fall between two groups or into two (root-level files, names that
//! are prefixes of one another, glob characters, untracked and ignored
//! directories, deletions, renames, type changes) and compare both ways.

use std::collections::BTreeMap;
use std::path::Path;

use super::capture::capture_with;
use super::split::{Group, plan};
use super::start;
use super::status::{Changed, Split, changed_paths_with, split_changed_paths};
use super::tests::git;
use provenance_test_support::git::git_output;

fn write(path: &Path, contents: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, contents).expect("write");
}

/// Files whose top-level names collide as prefixes (`a`, `a-b`, `a.txt`,
/// `a0`, `src`, `src.rs`), contain glob characters, differ only in case,
/// and sit at every depth. (libgit2 misses `src/lib.rs` if one pathspec
/// holds `src` and `src-gen` while `src.rs` is not in it.) No chain of prefixes is longer than two, so two
/// threads can always split them.
const COMMITTED: &[&str] = &[
    "README",
    "a",
    "a-b/x.txt",
    "a.txt",
    "a0/y.txt",
    "ab/z.txt",
    "src/lib.rs",
    "src/deep/er/mod.rs",
    "src-gen/x.rs",
    "src.rs",
    "*",
    "?x",
    "[ab]",
    "a*b/c.txt",
    "b[1]/d.txt",
    "Foo/upper.txt",
    "foo/lower.txt",
    "gone/one.txt",
    "gone/two.txt",
    "renamed_from/f.txt",
    "kind",
    "docs/guide.md",
    "tests/t.rs",
    "test/u.rs",
];

fn committed_repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    for path in COMMITTED {
        write(&dir.join(path), &format!("{path}\n"));
    }
    write(&dir.join(".gitignore"), "target/\n*.log\n");
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "first"]);
    tmp
}

/// Every kind of change, at the root and below it, around the colliding
/// names.
fn dirty_everywhere(dir: &Path) {
    write(&dir.join("a"), "edited\n");
    write(&dir.join("src/deep/er/mod.rs"), "edited\n");
    write(&dir.join("[ab]"), "edited\n");
    write(&dir.join("a*b/c.txt"), "edited\n");
    std::fs::remove_file(dir.join("src.rs")).expect("rm");
    std::fs::remove_file(dir.join("?x")).expect("rm");
    git(dir, &["rm", "-rq", "gone"]);
    git(dir, &["mv", "renamed_from", "renamed_to"]);
    git(dir, &["mv", "a.txt", "src/a.txt"]);
    std::fs::remove_file(dir.join("kind")).expect("rm");
    write(&dir.join("kind/now_a_dir.txt"), "dir\n");
    write(&dir.join("staged_then_gone"), "x\n");
    git(dir, &["add", "staged_then_gone"]);
    std::fs::remove_file(dir.join("staged_then_gone")).expect("rm");
    write(&dir.join("b[1]/new.txt"), "untracked in tracked dir\n");
    write(&dir.join("a_"), "untracked, a longer name than a\n");
    write(&dir.join("src~"), "untracked, a longer name than src\n");
    write(&dir.join("new_dir/sub/f.txt"), "untracked dir\n");
    write(&dir.join("*x*/g.txt"), "untracked glob dir\n");
    write(&dir.join("target/debug/out"), "ignored\n");
    write(&dir.join("run.log"), "ignored\n");
    write(&dir.join("docs/build.log"), "ignored\n");
    write(&dir.join("foo/new.txt"), "untracked, lowercase twin\n");
    // Our own logs at the root, in a new folder and in a tracked one: left
    // out of the capture whichever group's status lists them.
    let log = super::tests::session_start_line(None);
    write(&dir.join("run-a.ndjson"), &log);
    write(&dir.join("logs/provenance/sess_a.ndjson"), &log);
    write(&dir.join("src/deep/run-b.ndjson"), &log);
    let nested = dir.join("nested_repo");
    std::fs::create_dir(&nested).expect("mkdir");
    git(&nested, &["init", "-q"]);
    write(&nested.join("inside.txt"), "not looked into\n");
    let inner = dir.join("docs/inner_repo");
    std::fs::create_dir(&inner).expect("mkdir");
    git(&inner, &["init", "-q"]);
    write(&inner.join("inside.txt"), "not looked into\n");
}

fn single(dir: &Path) -> Vec<Changed> {
    let repo = git2::Repository::open(dir).expect("open");
    changed_paths_with(&repo, Split::Into(1)).expect("status")
}

/// The split status for `threads`, insisting that it really was split.
fn split(dir: &Path, threads: usize) -> Vec<Changed> {
    let repo = git2::Repository::open(dir).expect("open");
    split_changed_paths(&repo, Split::Into(threads))
        .unwrap_or_else(|| panic!("{threads} threads: the status was not split"))
}

fn capture(dir: &Path, split: Split) -> super::GitState {
    let start = start::resolve(Some(dir), || Err(std::io::ErrorKind::NotFound.into()))
        .expect("the directory exists");
    capture_with(start, split, None)
}

fn assert_same_both_ways(dir: &Path) {
    let expected = single(dir);
    let info = capture(dir, Split::Into(1));
    for threads in 2..=5 {
        assert_eq!(split(dir, threads), expected, "{threads} threads");
        assert_eq!(
            capture(dir, Split::Into(threads)),
            info,
            "{threads} threads"
        );
    }
}

#[test]
fn clean_tree_is_clean_both_ways() {
    let repo = committed_repo();
    assert!(single(repo.path()).is_empty());
    assert_same_both_ways(repo.path());
}

#[test]
fn every_kind_of_change_is_found_both_ways() {
    let repo = committed_repo();
    dirty_everywhere(repo.path());
    let paths: Vec<Vec<u8>> = single(repo.path()).into_iter().map(|c| c.path).collect();
    for expected in [
        "a",
        "a_",
        "a.txt",
        "gone/one.txt",
        "kind",
        "kind/now_a_dir.txt",
        "nested_repo/",
        "docs/inner_repo/",
        "renamed_to/f.txt",
        "src~",
        "src.rs",
        "staged_then_gone",
        "*x*/g.txt",
        "run-a.ndjson",
        "logs/provenance/sess_a.ndjson",
        "src/deep/run-b.ndjson",
    ] {
        assert!(
            paths.contains(&expected.as_bytes().to_vec()),
            "{expected} missing from the single status"
        );
    }
    assert_same_both_ways(repo.path());
    // The status lists the logs; the capture hashes everything else.
    let others: Vec<Vec<u8>> = paths
        .into_iter()
        .filter(|path| !path.ends_with(b".ndjson"))
        .collect();
    assert_eq!(
        capture(repo.path(), Split::Into(1)).diff_hash,
        super::diff_hash::diff_hash(repo.path(), &others).ok()
    );
}

#[test]
fn a_tree_changed_only_by_our_logs_is_clean_both_ways() {
    let repo = committed_repo();
    let dir = repo.path();
    let clean = capture(dir, Split::Into(1));
    let log = super::tests::session_start_line(None);
    write(&dir.join("run-a.ndjson"), &log);
    write(&dir.join("logs/provenance/sess_a.ndjson"), &log);
    write(&dir.join("src/deep/run-b.ndjson"), &log);
    assert_eq!(single(dir).len(), 3);
    assert_same_both_ways(dir);
    assert_eq!(capture(dir, Split::Into(1)), clean);
    assert_eq!(clean.dirty, Some(false));
}

#[test]
fn conflicts_and_staged_only_changes_are_found_both_ways() {
    let repo = committed_repo();
    let dir = repo.path();
    git(dir, &["checkout", "-qb", "other"]);
    write(&dir.join("src/lib.rs"), "theirs\n");
    git(dir, &["commit", "-qam", "theirs"]);
    git(dir, &["checkout", "-q", "main"]);
    write(&dir.join("src/lib.rs"), "ours\n");
    git(dir, &["commit", "-qam", "ours"]);
    let merge = git_output(dir, &["merge", "-q", "other"]);
    assert!(!merge.status.success(), "the merge must conflict");
    write(&dir.join("README"), "staged\n");
    git(dir, &["add", "README"]);
    assert_same_both_ways(dir);
}

#[test]
fn repository_without_commits_is_the_same_both_ways() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    for path in COMMITTED {
        write(&dir.join(path), "x\n");
    }
    git(dir, &["add", "src", "a", "*"]);
    assert_same_both_ways(dir);
}

fn group_of(groups: &[Group]) -> BTreeMap<Vec<u8>, usize> {
    let mut seen = BTreeMap::new();
    for (i, group) in groups.iter().enumerate() {
        for name in &group.names {
            assert_eq!(seen.insert(name.clone(), i), None, "{name:?} in two groups");
        }
    }
    seen
}

#[test]
fn every_top_level_name_is_in_exactly_one_group_apart_from_its_prefixes() {
    let repo = committed_repo();
    let dir = repo.path();
    dirty_everywhere(dir);
    let git2_repo = git2::Repository::open(dir).expect("open");
    let index = git2_repo.index().expect("index");
    for count in 2..=4 {
        let groups = plan(&git2_repo, &index, dir, count).expect("a plan");
        assert!(groups.len() >= 2 && groups.len() <= count);
        let seen = group_of(&groups);
        let mut on_disk: Vec<Vec<u8>> = std::fs::read_dir(dir)
            .expect("read_dir")
            .map(|entry| entry.expect("entry").file_name().into_encoded_bytes())
            .filter(|name| name != b".git")
            .collect();
        // Deleted from the index and the disk, still in HEAD.
        on_disk.push(b"gone".to_vec());
        on_disk.push(b"?x".to_vec());
        for name in &on_disk {
            assert!(seen.contains_key(name), "{name:?} in no group");
        }
        for (a, group_a) in &seen {
            for (b, group_b) in &seen {
                let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
                if a != b && b.starts_with(&a) {
                    assert_ne!(group_a, group_b, "{a:?} and {b:?} share a group");
                }
            }
        }
        assert_eq!(seen[b"Foo".as_slice()], seen[b"foo".as_slice()]);
    }
}

#[test]
fn prefix_chain_longer_than_the_thread_count_is_not_split() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    for name in ["s", "sr", "src", "zz"] {
        write(&dir.join(name), "x\n");
    }
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "chain"]);
    let repo = git2::Repository::open(dir).expect("open");
    let index = repo.index().expect("index");
    assert!(plan(&repo, &index, dir, 2).is_none());
    assert!(plan(&repo, &index, dir, 3).is_some());
    assert_same_both_ways_from(dir, 3);
}

fn assert_same_both_ways_from(dir: &Path, threads: usize) {
    assert_eq!(split(dir, threads), single(dir));
}

#[test]
fn single_entry_repository_is_not_split() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    write(&dir.join("only.txt"), "x\n");
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "one"]);
    let repo = git2::Repository::open(dir).expect("open");
    assert!(split_changed_paths(&repo, Split::Into(4)).is_none());
    assert_eq!(capture(dir, Split::Into(4)), capture(dir, Split::Into(1)));
}
