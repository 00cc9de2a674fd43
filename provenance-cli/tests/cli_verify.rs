//! `provenance verify` end to end, on logs the `ith_epochs` example writes.

mod support;

use std::path::{Path, PathBuf};

use provenance_test_support::provenance;
use support::{Workspace, events};

fn verify(cwd: &Path, args: &[&str]) -> provenance_test_support::Outcome {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    provenance(cwd, &all)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// A workspace with `data.csv` saved by one run and read back by another,
/// whose log is returned (it records `source_path` as the file's absolute
/// path, and the working directory it was read from).
fn loaded() -> (Workspace, PathBuf) {
    let ws = Workspace::new();
    ws.run_example("save", "7", &["--save-data", "data.csv"]);
    let log = ws.run_example("load", "7", &["--data", "data.csv"]);
    let file_loads: Vec<_> = events(&log)
        .into_iter()
        .filter(|e| e["event_type"] == "data.load" && e["dtype"].is_null())
        .collect();
    assert_eq!(file_loads.len(), 1, "one file fingerprint");
    let absolute = ws.path().join("data.csv");
    assert_eq!(file_loads[0]["source_path"], absolute.display().to_string());
    (ws, log)
}

#[test]
fn an_unchanged_file_verifies() {
    let (ws, log) = loaded();
    let out = verify(ws.path(), &[s(&log)]);
    assert_eq!(out.code, 0, "{out:?}");
    let data = out
        .stdout
        .lines()
        .find(|l| l.contains(" data "))
        .expect("a line for data");
    assert!(data.starts_with("ok "), "{data}");
    assert!(data.contains("data.csv  sha256:"), "{data}");
    let nav = out
        .stdout
        .lines()
        .find(|l| l.contains(" nav "))
        .expect("a line for nav");
    assert!(nav.starts_with("not verifiable "), "{nav}");
    assert!(
        out.stdout.ends_with("ok: 1 file(s) unchanged\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_modified_file_is_changed() {
    let (ws, log) = loaded();
    let data = ws.path().join("data.csv");
    let mut text = std::fs::read_to_string(&data).unwrap();
    text.push_str("1.0\n");
    std::fs::write(&data, text).unwrap();
    let now = ith_provenance_runtime::fingerprint_file(&data)
        .unwrap()
        .sha256
        .to_string();
    let out = verify(ws.path(), &[s(&log)]);
    assert_eq!(out.code, 1, "{out:?}");
    let line = out.stdout.lines().find(|l| l.contains(" data ")).unwrap();
    assert!(line.starts_with("changed "), "{line}");
    assert!(line.ends_with(&format!("found {now}")), "{line}");
    assert!(
        out.stdout.contains("failed: 1 changed, 0 missing"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_deleted_file_is_missing() {
    let (ws, log) = loaded();
    std::fs::remove_file(ws.path().join("data.csv")).unwrap();
    let out = verify(ws.path(), &[s(&log)]);
    assert_eq!(out.code, 1, "{out:?}");
    let line = out.stdout.lines().find(|l| l.contains(" data ")).unwrap();
    assert!(line.starts_with("missing "), "{line}");
    assert!(line.contains("data.csv: no such file"), "{line}");
}

#[test]
fn a_directory_in_place_of_the_file_is_an_error_not_a_crash() {
    let (ws, log) = loaded();
    let data = ws.path().join("data.csv");
    std::fs::remove_file(&data).unwrap();
    std::fs::create_dir(&data).unwrap();
    let out = verify(ws.path(), &[s(&log)]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let line = out.stdout.lines().find(|l| l.contains(" data ")).unwrap();
    assert!(line.starts_with("error "), "{line}");
    assert!(line.contains("a directory"), "{line}");
}

#[test]
fn relative_paths_resolve_against_root() {
    let (ws, log) = loaded();
    // A log from a writer that recorded the path as given, and no folder.
    let absolute = ws.path().join("data.csv").display().to_string();
    let text = std::fs::read_to_string(&log).unwrap();
    let relative = text
        .replace(
            &format!("\"source_path\":\"{absolute}\""),
            "\"source_path\":\"data.csv\"",
        )
        .replace(
            &format!("\"working_dir\":\"{}\"", ws.path().display()),
            "\"working_dir\":null",
        );
    assert_ne!(relative, text);
    std::fs::write(&log, relative).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    // From another folder the relative path names no file...
    let out = verify(elsewhere.path(), &[s(&log)]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stdout.contains("missing "), "{}", out.stdout);
    // ... unless --root names the folder it was read from.
    let out = verify(elsewhere.path(), &["--root", s(ws.path()), s(&log)]);
    assert_eq!(out.code, 0, "{out:?}");
    let resolved = ws.path().join("data.csv");
    assert!(
        out.stdout
            .contains(&format!("  {}  sha256:", resolved.display())),
        "{}",
        out.stdout
    );
    let out = verify(elsewhere.path(), &["--root", "no-such-folder", s(&log)]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("--root no-such-folder is not a folder"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_array_only_log_has_nothing_to_verify() {
    let ws = Workspace::new();
    let log = ws.run_example("arrays", "7", &[]);
    let out = verify(ws.path(), &[s(&log)]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .contains("nothing to verify: no data.load names a file"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("not verifiable "), "{}", out.stdout);
}

#[test]
fn json_lists_every_input_with_its_status() {
    let (ws, log) = loaded();
    let out = verify(ws.path(), &["--json", s(&log)]);
    assert_eq!(out.code, 0, "{out:?}");
    let report = out.json();
    assert_eq!(report["ok"], true);
    assert_eq!(report["counts"]["ok"], 1);
    assert_eq!(report["counts"]["not_verifiable"], 1);
    let inputs = report["inputs"].as_array().unwrap();
    let data = inputs.iter().find(|i| i["name"] == "data").unwrap();
    assert_eq!(data["status"], "ok");
    assert_eq!(data["expected"], data["actual"]);
    let absolute = ws.path().join("data.csv");
    assert_eq!(data["source_path"], absolute.display().to_string());
    let nav = inputs.iter().find(|i| i["name"] == "nav").unwrap();
    assert_eq!(nav["status"], "not_verifiable");
    assert!(nav["message"].as_str().unwrap().contains("dtype float64"));
    std::fs::remove_file(ws.path().join("data.csv")).unwrap();
    let out = verify(ws.path(), &["--json", s(&log)]);
    assert_eq!(out.code, 1);
    assert_eq!(out.json()["inputs"][0]["status"], "missing");
}

#[test]
fn every_session_of_a_log_is_verified() {
    let (ws, log) = loaded();
    let again = ws.run_example("load2", "8", &["--data", "data.csv"]);
    let both = std::fs::read_to_string(&log).unwrap() + &std::fs::read_to_string(&again).unwrap();
    let both = ws.write("both.ndjson", &both);
    let report = verify(ws.path(), &["--json", s(&both)]).json();
    assert_eq!(report["counts"]["ok"], 2, "{report}");
    let sessions: std::collections::BTreeSet<_> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["session"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(sessions.len(), 2);
}

#[test]
fn an_unreadable_log_is_an_error() {
    let ws = Workspace::new();
    let out = verify(ws.path(), &["missing.ndjson"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("cannot open missing.ndjson"),
        "{}",
        out.stderr
    );
    let out = verify(ws.path(), &["."]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("is a directory"), "{}", out.stderr);
    let empty = ws.write("empty.ndjson", "");
    let out = verify(ws.path(), &[s(&empty)]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("no session"), "{}", out.stderr);
}

/// A relative `source_path` with the `working_dir` the writer recorded
/// (data.load payload version 2, written by hand here) resolves there,
/// whatever folder `verify` runs from, and the output says so.
#[test]
fn a_relative_path_resolves_against_the_recorded_working_dir() {
    let dir = tempfile::tempdir().unwrap();
    let wd = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(wd.join("data.csv"), "x\n1\n").unwrap();
    let hash = ith_provenance_runtime::fingerprint_file(wd.join("data.csv"))
        .unwrap()
        .sha256
        .to_string();
    let mut session = support::handmade::Session::new(
        "sess_wd",
        None,
        "2026-11-25T09:00:00.000000Z",
        "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        false,
    );
    session.init(
        "2026-11-25T09:00:01.000000Z",
        "load#1",
        "load",
        serde_json::json!({}),
    );
    session.load(
        "2026-11-25T09:00:02.000000Z",
        "data",
        "data.csv",
        &hash,
        s(&wd),
    );
    let log = wd.join("run.ndjson");
    std::fs::write(&log, session.text()).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = verify(elsewhere.path(), &[s(&log)]);
    assert_eq!(out.code, 0, "{out:?}");
    let expected = format!(
        "ok             data  {}  {hash}  (data.csv resolved against the recorded working_dir {})\n\
         ok: 1 file(s) unchanged\n",
        wd.join("data.csv").display(),
        wd.display()
    );
    assert_eq!(out.stdout, expected);
    let json = verify(elsewhere.path(), &["--json", s(&log)]).json();
    assert_eq!(json["inputs"][0]["working_dir"], s(&wd));
    // --root, given, wins over the recorded folder.
    let out = verify(elsewhere.path(), &["--root", s(elsewhere.path()), s(&log)]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stdout.starts_with("missing "), "{}", out.stdout);
    assert!(!out.stdout.contains("working_dir"), "{}", out.stdout);
}
