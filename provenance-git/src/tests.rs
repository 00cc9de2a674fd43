//! Unit tests of what the integration tests cannot reach: the working
//! directory is injected here, so the fallback is tested without changing
//! the process's directory under other tests' feet.

use std::cell::Cell;
use std::io;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::find::capture_with_cwd;
use super::*;

// The git CLI with a fixed identity and branch, shared with every test in
// the workspace.
pub(super) use provenance_test_support::git;

fn capture_git_with_cwd(
    dir: Option<&Path>,
    cwd: impl FnOnce() -> io::Result<std::path::PathBuf>,
) -> GitState {
    capture_with_cwd(dir, cwd, None)
}

fn capture_git(dir: Option<&Path>) -> GitState {
    capture(dir)
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
        Ok(<[u8; 32]>::from(Sha256::digest(expected.as_bytes())))
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
    let paths: Vec<_> = status::changed_paths(&repo)
        .expect("status")
        .into_iter()
        .map(|changed| changed.path)
        .collect();
    assert_eq!(
        paths,
        [b"B.txt".to_vec(), b"_.txt".to_vec(), b"a.txt".to_vec()]
    );
}

/// The first line the real writer emits, for a context with this
/// `experiment_id`.
pub(super) fn session_start_line(experiment_id: Option<&str>) -> String {
    let mut builder =
        ith_provenance_runtime::ProvenanceContext::builder(ith_provenance_runtime::crate_info!())
            .seed(7)
            .seed_env_value(None)
            .git(ith_provenance_runtime::GitInfo::unknown(
                "not captured in this test",
            ));
    if let Some(id) = experiment_id {
        builder = builder.experiment_id(id);
    }
    let ctx = builder.build().expect("context");
    let sink = ith_provenance_runtime::MemorySink::new();
    let log = ith_provenance_runtime::EventLog::builder()
        .memory(&sink)
        .open(&ctx)
        .expect("open");
    log.close().expect("close");
    format!("{}\n", sink.lines()[0])
}

#[test]
fn the_writers_session_start_lines_are_our_logs() {
    for id in [None, Some("exp001"), Some("quote \" slash \\ newline \n é")] {
        let line = session_start_line(id);
        assert!(own_logs::starts_a_session(line.as_bytes()), "{line}");
        // Only the prefix is read: a torn or huge first line still counts,
        // and so does whatever follows it.
        let cut = line.find(",\"context\"").expect("context field") + 1;
        assert!(
            own_logs::starts_a_session(&line.as_bytes()[..cut]),
            "{line}"
        );
        let more = format!("{line}{{\"not\":\"ours\"}}\n");
        assert!(own_logs::starts_a_session(more.as_bytes()));
    }
}

#[test]
fn lines_that_only_look_like_a_session_start_are_not_our_logs() {
    let line = session_start_line(Some("exp001"));
    let escaped = serde_json::to_string(&line).expect("json string");
    let not_ours = [
        // The whole line, as text inside another field.
        format!("{{\"note\":{escaped}}}\n"),
        format!("{{\"ts\":{escaped},\"event_type\":\"session.start\"}}\n"),
        // Some other event, or the right one in another order or spacing.
        line.replacen("session.start", "session.started", 1),
        line.replacen("session.start", "algorithm.init", 1),
        line.replacen("{\"ts\":", "{ \"ts\": ", 1),
        line.replacen("\"seq\":0", "\"seq\":1", 1),
        line.replacen("\"seq\":0", "\"seq\":00", 1),
        line.replacen("\"contract_version\":2", "\"contract_version\":\"2\"", 1),
        line.replacen("\"contract_version\":2", "\"contract_version\":01", 1),
        line.replacen("\"contract_version\":2,", "", 1),
        line.replacen("T", " ", 1),
        line.replacen("Z\"", "+00:00\"", 1),
        line.replacen("\"exp001\"", "\"exp\\q01\"", 1),
        line.replacen("\"exp001\"", "\"exp\u{1}001\"", 1),
        // Not the first line, or not at the first byte.
        format!("{{\"a\":1}}\n{line}"),
        format!("\n{line}"),
        format!("\u{feff}{line}"),
        String::new(),
    ];
    for text in not_ours {
        assert_ne!(text, line, "the mutation changed nothing");
        assert!(!own_logs::starts_a_session(text.as_bytes()), "{text:?}");
    }
    // The prefix must reach past `contract_version`.
    let cut = line.find(",\"contract_version\"").expect("field");
    assert!(!own_logs::starts_a_session(&line.as_bytes()[..cut]));
}

/// `logs/provenance/` as the runtime leaves it without its `.gitignore`:
/// only logs.
fn write_logs(dir: &Path) {
    let folder = dir.join("logs").join("provenance");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(folder.join("sess_a.ndjson"), session_start_line(None)).expect("write");
    std::fs::write(folder.join("sess_b.ndjson"), session_start_line(Some("e"))).expect("write");
}

#[test]
fn an_untracked_folder_of_our_logs_is_no_change() {
    let repo = committed_repo();
    let dir = repo.path();
    let clean = capture_git(Some(dir));
    write_logs(dir);
    // git lists the folder's files one by one (untracked directories are
    // recursed into), and each is recognised.
    let listed =
        status::changed_paths(&git2::Repository::open(dir).expect("open")).expect("status");
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(capture_git(Some(dir)), clean);
    assert_eq!(clean.dirty, Some(false));
    assert_eq!(clean.diff_hash, None);
}

#[test]
fn one_other_file_beside_our_logs_is_the_change_and_all_the_hash_holds() {
    let repo = committed_repo();
    let dir = repo.path();
    write_logs(dir);
    std::fs::write(dir.join("logs/provenance/notes.txt"), "mine\n").expect("write");
    let info = capture_git(Some(dir));
    assert_eq!(info.dirty, Some(true));
    let only_notes = [b"logs/provenance/notes.txt".to_vec()];
    assert_eq!(info.diff_hash, diff_hash::diff_hash(dir, &only_notes).ok());
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_log_is_a_change() {
    let repo = committed_repo();
    let dir = repo.path();
    write_logs(dir);
    std::os::unix::fs::symlink("logs/provenance/sess_a.ndjson", dir.join("link.ndjson"))
        .expect("symlink");
    let info = capture_git(Some(dir));
    assert_eq!(info.dirty, Some(true));
    let only_link = [b"link.ndjson".to_vec()];
    assert_eq!(info.diff_hash, diff_hash::diff_hash(dir, &only_link).ok());
}
