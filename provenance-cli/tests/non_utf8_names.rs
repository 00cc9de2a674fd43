//! File names that are not UTF-8 (a byte 0xff, legal on Unix): every verb
//! reads such a log given by name, through a folder and through a pattern,
//! and answers exactly as it does for the same log under a UTF-8 name (the
//! name printed with U+FFFD for the byte). `why` takes such a target file.
#![cfg(unix)]

mod support;

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

use provenance_test_support::{Outcome, provenance};
use support::handmade::Session;

/// `prefix` + byte 0xff + `suffix`, a name that is not UTF-8.
fn odd(prefix: &str, suffix: &str) -> OsString {
    let mut bytes = prefix.as_bytes().to_vec();
    bytes.push(0xff);
    bytes.extend_from_slice(suffix.as_bytes());
    OsString::from_vec(bytes)
}

/// A log with one run that loads `in.csv` and saves `out<0xff>.csv` (both
/// written, with their real hashes), as `<0xff>.ndjson` and `plain.ndjson`.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("in.csv"), "x\n1\n").unwrap();
    std::fs::write(root.join(odd("out", ".csv")), "y\n2\n").unwrap();
    let sha = |p: &Path| {
        ith_provenance_runtime::fingerprint_file(p)
            .unwrap()
            .sha256
            .to_string()
    };
    let work = root.to_str().unwrap();
    let s = Session::with_one_run("sess_n", |s| {
        s.load(
            "2026-12-01T10:00:01.100000Z",
            "in",
            "in.csv",
            &sha(&root.join("in.csv")),
            work,
        )
        .save(
            "2026-12-01T10:00:01.200000Z",
            "out\u{fffd}.csv",
            &sha(&root.join(odd("out", ".csv"))),
            work,
        );
    });
    for name in [odd("", ".ndjson"), "plain.ndjson".into()] {
        std::fs::write(root.join(name), s.text()).unwrap();
    }
    dir
}

/// Runs `args` with `log` standing for the log's name.
fn run(dir: &Path, args: &[&str], log: &OsString) -> Outcome {
    let args: Vec<OsString> = args
        .iter()
        .map(|a| if *a == "LOG" { log.clone() } else { a.into() })
        .collect();
    provenance(dir, &args)
}

#[test]
fn every_verb_reads_a_log_whose_name_is_not_utf8_as_any_other() {
    let dir = folder();
    let odd_log = odd("", ".ndjson");
    let plain = OsString::from("plain.ndjson");
    let mut verbs: Vec<(Vec<&str>, i32)> = vec![
        (vec!["summary", "LOG"], 0),
        (vec!["validate", "LOG"], 1), // data.save has no built-in schema in v2
        (vec!["diff", "LOG", "plain.ndjson"], 0),
        (vec!["verify", "LOG"], 0),
        (vec!["schema", "LOG"], 1), // the log carries no schema
        (vec!["runs", "--json", "LOG"], 0),
        (vec!["why", "in.csv", "LOG"], 1),
        (vec!["export", "openlineage", "LOG"], 0),
    ];
    if cfg!(feature = "parquet") {
        verbs.push((vec!["export", "parquet", "--out", "tables", "LOG"], 0));
    }
    for (args, code) in verbs {
        let with_odd = run(dir.path(), &args, &odd_log);
        let with_plain = run(dir.path(), &args, &plain);
        assert_eq!(with_odd.code, code, "{args:?}: {with_odd:?}");
        let same = |text: &str| text.replace("\u{fffd}.ndjson", "plain.ndjson");
        assert_eq!(same(&with_odd.stdout), with_plain.stdout, "{args:?}");
        assert_eq!(same(&with_odd.stderr), with_plain.stderr, "{args:?}");
    }
}

#[test]
fn why_takes_a_target_whose_name_is_not_utf8() {
    let dir = folder();
    let target = odd("out", ".csv");
    let out = provenance(
        dir.path(),
        &[OsString::from("why"), target, "plain.ndjson".into()],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("run fit"), "{}", out.stdout);
    assert!(out.stdout.contains("in.csv"), "{}", out.stdout);
}

#[test]
fn folders_and_patterns_find_names_that_are_not_utf8() {
    let dir = folder();
    let sub = dir.path().join(odd("logs", ""));
    std::fs::create_dir_all(sub.join("deeper")).unwrap();
    std::fs::rename(
        dir.path().join(odd("", ".ndjson")),
        sub.join("deeper").join(odd("sess_", ".ndjson")),
    )
    .unwrap();
    let as_given = |tail: &str| {
        let mut path = odd("logs", "").into_vec();
        path.extend_from_slice(tail.as_bytes());
        OsString::from_vec(path)
    };
    for given in [
        as_given(""),
        as_given("/*/sess_*.ndjson"),
        as_given("/**/*.ndjson"),
        as_given("/deeper/sess_?.ndjson"),
        OsString::from("logs?/deeper/*"),
        OsString::from("*/deeper"),
    ] {
        let out = provenance(
            dir.path(),
            &[OsString::from("runs"), "--csv".into(), given.clone()],
        );
        assert_eq!(out.code, 0, "{given:?}: {out:?}");
        assert_eq!(out.stdout.lines().count(), 2, "{given:?}: {}", out.stdout);
        assert!(
            out.stdout.contains("sess_n,fit,"),
            "{given:?}: {}",
            out.stdout
        );
    }
    let out = provenance(dir.path(), &["runs", "logs?/*.csv"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("logs?/*.csv: no file matches this pattern"),
        "{}",
        out.stderr
    );
}
