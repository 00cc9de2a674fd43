//! Provenance's own logs, written into the repository by the real writer,
//! never make the tree dirty; every other file still does (`docs/GIT.md`,
//! *Our own logs*). `git status` itself lists the logs in each case, so what
//! leaves them out is the capture's rule, not an ignore file.

use std::path::Path;

use ith_provenance::{
    EventLog, ProvenanceContext, crate_info,
    git::{GitInfo, capture_git},
};
use sha2::{Digest, Sha256};

use super::{capture_and_compare, cli_changed_paths, committed_repo, git, hex, write};

#[derive(serde::Serialize, ith_provenance::Event)]
#[event(name = "test.note", version = 1)]
struct Note {
    step: u64,
}

/// Writes one session to `path` (appending), as a run with
/// `PROVENANCE_LOG=<path>` does: `session.start`, then an event.
fn write_session(path: &Path, experiment_id: &str) {
    let ctx = ProvenanceContext::builder(crate_info!())
        .experiment_id(experiment_id)
        .seed(7)
        .seed_env_value(None)
        .git(GitInfo::unknown("not captured in this test"))
        .build()
        .expect("context");
    // An explicit path's folder must exist: the log only creates its default one.
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    let log = EventLog::builder().file(path).open(&ctx).expect("open");
    log.emit(&Note { step: 3 }).expect("emit");
    log.close().expect("close");
}

/// The `diff_hash` of exactly these paths, recomputed with the git CLI.
fn cli_hash_of(dir: &Path, paths: &[&str]) -> String {
    let mut lines = Vec::new();
    for path in paths {
        let blob = git(dir, &["hash-object", "--no-filters", "--", path]);
        lines.extend_from_slice(format!("{path}\0{blob}\n").as_bytes());
    }
    hex(&Sha256::digest(&lines))
}

fn listed(dir: &Path) -> Vec<String> {
    cli_changed_paths(dir)
        .into_iter()
        .map(|path| String::from_utf8(path).expect("utf-8"))
        .collect()
}

#[test]
fn untracked_log_at_the_root_leaves_the_tree_as_clean_as_before() {
    let repo = committed_repo();
    let dir = repo.path();
    let before = capture_git(Some(dir));
    // Two runs with `PROVENANCE_LOG=run-a.ndjson`, appending to one file.
    write_session(&dir.join("run-a.ndjson"), "exp001");
    write_session(&dir.join("run-a.ndjson"), "exp001");
    assert_eq!(listed(dir), ["run-a.ndjson"]);
    let after = capture_git(Some(dir));
    assert_eq!(after, before);
    assert_eq!(after.dirty, Some(false));
    assert_eq!(after.diff_hash, None);
}

#[test]
fn untracked_ndjson_of_other_json_is_dirty() {
    let repo = committed_repo();
    let dir = repo.path();
    write(
        &dir.join("notes.ndjson"),
        "{\"ts\":\"2026-11-25T10:46:11.126706Z\",\"event_type\":\"note\"}\n",
    );
    let info = capture_and_compare(dir);
    assert_eq!(info.dirty, Some(true));
    assert_eq!(
        info.diff_hash.expect("hash").hex(),
        cli_hash_of(dir, &["notes.ndjson"])
    );
}

#[test]
fn untracked_folder_of_our_logs_is_clean_until_another_file_joins_them() {
    let repo = committed_repo();
    let dir = repo.path();
    let folder = dir.join("logs/provenance");
    // What an older runtime left, or a folder whose `.gitignore` was deleted.
    write_session(&folder.join("sess_a.ndjson"), "a");
    write_session(&folder.join("sess_b.ndjson"), "b");
    assert_eq!(listed(dir).len(), 2);
    let info = capture_git(Some(dir));
    assert_eq!((info.dirty, info.diff_hash), (Some(false), None));

    write(&folder.join("summary.csv"), "epoch,ith\n3,0.5\n");
    let info = capture_git(Some(dir));
    assert_eq!(info.dirty, Some(true));
    assert_eq!(
        info.diff_hash.expect("hash").hex(),
        cli_hash_of(dir, &["logs/provenance/summary.csv"])
    );
}

#[test]
fn a_first_line_that_only_mentions_session_start_is_dirty() {
    let repo = committed_repo();
    let dir = repo.path();
    let log = dir.join("quoted.ndjson");
    write_session(&log, "exp001");
    let first = std::fs::read_to_string(&log).expect("read");
    let first = first.lines().next().expect("a line");
    // The real line, quoted inside another object.
    let quoted = serde_json::json!({ "message": first }).to_string();
    assert!(quoted.contains("session.start"));
    write(&log, &format!("{quoted}\n"));
    let info = capture_and_compare(dir);
    assert_eq!(info.dirty, Some(true));
}

#[test]
fn committed_log_stays_excluded_while_its_first_line_is_a_session_start() {
    let repo = committed_repo();
    let dir = repo.path();
    let log = dir.join("run-a.ndjson");
    write_session(&log, "exp001");
    git(dir, &["add", "run-a.ndjson"]);
    git(dir, &["commit", "-qm", "a log, committed by mistake"]);
    let clean = capture_git(Some(dir));

    write_session(&log, "exp001");
    assert_eq!(listed(dir), ["run-a.ndjson"]);
    assert_eq!(capture_git(Some(dir)), clean);

    // Its first line rewritten to something else: an ordinary edit.
    write(&log, "{\"edited\":true}\n");
    let info = capture_and_compare(dir);
    assert_eq!(info.dirty, Some(true));
}
