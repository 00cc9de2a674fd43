//! What a log holds, told truly through the real binary (issue 21, part 3):
//! a byte-order mark and `\r\n` line ends are read through by every verb
//! and named by `validate`; a key written twice and a `ts` that is no real
//! time fail `validate`; a session of a newer contract is refused by every
//! verb; a late line is out of order, not lost; a hard link is the file it
//! links to.

mod support;

use std::path::Path;

use provenance_test_support::{Outcome, provenance};

/// A valid log of contract version 1: 25 lines, seq 0 to 24, one session.
const LOG: &str = include_str!("../benches/support/ith_epochs.jsonl");
const SESSION: &str = "sess_20261130_192349_805909_0af3b8f0d708";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).expect("write a log");
}

/// The log with line `number` (1-based) passed through `edit`.
fn edited(number: usize, edit: impl Fn(&str) -> String) -> String {
    LOG.lines()
        .enumerate()
        .map(|(i, line)| {
            let line = if i + 1 == number {
                edit(line)
            } else {
                line.to_string()
            };
            line + "\n"
        })
        .collect()
}

fn run(dir: &Path, args: &[&str]) -> Outcome {
    let outcome = provenance(dir, args);
    assert!(
        !outcome.stderr.contains("panicked"),
        "{args:?} panicked: {}",
        outcome.stderr
    );
    outcome
}

/// Runs `validate file` and checks it fails (exit 1) with exactly
/// `problems` (`file:line: message`, in order), `invalid` of the 25 lines
/// having one.
fn assert_invalid(dir: &Path, file: &str, problems: &[String], invalid: usize) {
    let validate = run(dir, &["validate", file]);
    let mut expected: String = problems.iter().map(|p| format!("{p}\n")).collect();
    expected.push_str("contract version 1 (1 session)\n");
    expected.push_str(&format!(
        "invalid: {invalid} of 25 line(s) have problems ({} problem(s))\n",
        problems.len()
    ));
    assert_eq!((validate.code, validate.stdout), (1, expected), "{file}");
}

/// Every reading verb gives the same answer for `odd` as for the plain
/// log (file names aside), and exit 0.
fn read_like_the_plain_log(dir: &Path, odd: &str) {
    write(dir, "plain.ndjson", LOG.as_bytes());
    for verb in [
        &["summary"][..],
        &["summary", "--json"],
        &["runs", "--json"],
        &["schema"],
        &["export", "openlineage"],
    ] {
        let plain = run(dir, &[verb, &["plain.ndjson"]].concat());
        let got = run(dir, &[verb, &[odd]].concat());
        assert_eq!((plain.code, got.code), (0, 0), "{verb:?}: {}", got.stderr);
        // The bytes read are the file's own, all of them.
        let bytes = |text: &str| -> String {
            let kept = text.lines().filter(|l| !l.starts_with("  \"bytes\": "));
            kept.collect::<Vec<_>>().join("\n")
        };
        assert_eq!(
            bytes(&got.stdout.replace(odd, "plain.ndjson")),
            bytes(&plain.stdout),
            "{verb:?} reads {odd} as it reads the plain log"
        );
    }
    let size = std::fs::metadata(dir.join(odd)).unwrap().len();
    let json = run(dir, &["summary", "--json", odd]).json();
    assert_eq!(
        json["bytes"], size,
        "{odd}: every byte of the file is counted"
    );
    let diff = run(dir, &["diff", "plain.ndjson", odd]);
    assert_eq!(diff.code, 0, "{}{}", diff.stdout, diff.stderr);
    assert!(diff.stdout.starts_with("same: "), "{}", diff.stdout);
}

#[test]
fn a_byte_order_mark_is_read_through_by_every_verb() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(LOG.as_bytes());
    write(dir.path(), "bom.ndjson", &bytes);
    // The session.start behind the mark is read: commit, seeds, context.
    let summary = run(dir.path(), &["summary", "bom.ndjson"]);
    assert!(
        summary
            .stdout
            .contains("git        03e060f8b54b58031bf23896a1c6af63504687ea (dirty"),
        "{}",
        summary.stdout
    );
    read_like_the_plain_log(dir.path(), "bom.ndjson");
    assert_invalid(
        dir.path(),
        "bom.ndjson",
        &[
            "bom.ndjson:1: the file starts with a byte-order mark (EF BB BF); the contract \
               writes UTF-8 without one (read through it)"
                .into(),
        ],
        0,
    );
}

#[test]
fn crlf_line_ends_are_read_and_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let crlf: String = LOG.lines().map(|l| format!("{l}\r\n")).collect();
    write(dir.path(), "crlf.ndjson", crlf.as_bytes());
    read_like_the_plain_log(dir.path(), "crlf.ndjson");
    assert_invalid(
        dir.path(),
        "crlf.ndjson",
        &[
            "crlf.ndjson:1: 25 log line(s) end in \"\\r\\n\" (CRLF), this one first; the \
               contract ends each line with \"\\n\" alone (read all the same)"
                .into(),
        ],
        0,
    );
}

#[test]
fn a_files_form_is_said_in_line_order_with_its_lines_problems() {
    let dir = tempfile::tempdir().unwrap();
    // CRLF is known at the end of the file, shown at its first line.
    let log = edited(4, |l| l.replacen("\"ts\":\"2026-11", "\"ts\":\"2026-13", 1));
    let crlf = log.replace('\n', "\r\n");
    write(dir.path(), "both.ndjson", crlf.as_bytes());
    assert_invalid(
        dir.path(),
        "both.ndjson",
        &[
            "both.ndjson:1: 25 log line(s) end in \"\\r\\n\" (CRLF), this one first; the \
             contract ends each line with \"\\n\" alone (read all the same)"
                .into(),
            "both.ndjson:4: envelope field \"ts\": \"2026-13-30T19:23:49.816565Z\" is no real \
             date and time (a month 13, 30 February, hour 24 …)"
                .into(),
        ],
        1,
    );
}

#[test]
fn a_key_written_twice_fails_validate_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let said = |line: usize, key: &str, place: &str| {
        format!(
            "dup.ndjson:{line}: key {key:?} written twice in {place}: readers disagree on which \
             value counts (serde_json keeps the last, DuckDB refuses the file)"
        )
    };
    let cases = [
        // A payload field, as an attacker would hide a row count.
        (
            8,
            ("\"row_count\":2000", "\"row_count\":1,\"row_count\":2000"),
            said(8, "row_count", "the line"),
        ),
        // An envelope field: the second event_type is the one read.
        (
            3,
            (
                "\"event_type\":\"algorithm.init\"",
                "\"event_type\":\"algorithm.init\",\"event_type\":\"algorithm.init\"",
            ),
            said(3, "event_type", "the line"),
        ),
        // Nested, and written with an escape (serde_json's own path).
        (
            1,
            ("\"context\":{", "\"context\":{\"a\\u005fb\":1,\"a_b\":2,"),
            said(1, "a_b", "the object at /context"),
        ),
    ];
    for (line, (from, to), message) in cases {
        let log = edited(line, |l| {
            assert!(l.contains(from), "line {line} holds {from}");
            l.replacen(from, to, 1)
        });
        write(dir.path(), "dup.ndjson", log.as_bytes());
        assert_invalid(dir.path(), "dup.ndjson", &[message], 1);
    }
}

#[test]
fn a_ts_that_is_no_real_time_fails_validate() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = LOG.to_string();
    let mut problems = Vec::new();
    for (line, ts) in [
        (4, "2026-13-30T19:23:49.816565Z"),
        (9, "2026-02-30T19:23:49.818533Z"),
        (12, "2026-11-30T24:00:00.000000Z"),
    ] {
        log = log
            .lines()
            .enumerate()
            .map(|(i, l)| {
                let l = if i + 1 == line {
                    let at = l.find("\"ts\":\"").unwrap() + 6;
                    format!("{}{ts}{}", &l[..at], &l[at + 27..])
                } else {
                    l.to_string()
                };
                l + "\n"
            })
            .collect();
        problems.push(format!(
            "ts.ndjson:{line}: envelope field \"ts\": {ts:?} is no real date and time (a month 13, \
             30 February, hour 24 …)"
        ));
    }
    write(dir.path(), "ts.ndjson", log.as_bytes());
    assert_invalid(dir.path(), "ts.ndjson", &problems, 3);
}

#[test]
fn a_newer_contract_is_refused_by_every_verb() {
    let dir = tempfile::tempdir().unwrap();
    let log = edited(1, |l| {
        l.replacen("\"contract_version\":1", "\"contract_version\":3", 1)
    });
    write(dir.path(), "newer.ndjson", log.as_bytes());
    write(dir.path(), "plain.ndjson", LOG.as_bytes());
    let refusal = format!(
        "provenance: newer.ndjson: session {SESSION} follows contract version 3, newer than the \
         version 2 this tool reads; upgrade ith-provenance-cli\n"
    );
    let hash = format!("sha256:{}", "0".repeat(64));
    for args in [
        &["summary", "newer.ndjson"][..],
        &["validate", "newer.ndjson"],
        &["validate", "--json", "newer.ndjson"],
        &["diff", "plain.ndjson", "newer.ndjson"],
        &["diff", "newer.ndjson", "plain.ndjson"],
        &["verify", "newer.ndjson"],
        &["schema", "newer.ndjson"],
        &["runs", "plain.ndjson", "newer.ndjson"],
        &["why", &hash, "newer.ndjson"],
        &["export", "openlineage", "newer.ndjson"],
    ] {
        let got = run(dir.path(), args);
        assert_eq!(
            (got.code, got.stdout.as_str(), got.stderr.as_str()),
            (2, "", refusal.as_str()),
            "{args:?}"
        );
    }
}

#[test]
fn a_late_line_is_out_of_order_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    // seq 0..=3, then 6, then 4 (late), then 7..: seq 5 alone is lost.
    let lines: Vec<&str> = LOG.lines().collect();
    let order = [0, 1, 2, 3, 6, 4].into_iter().chain(7..25);
    let log: String = order.map(|i| format!("{}\n", lines[i])).collect();
    write(dir.path(), "order.ndjson", log.as_bytes());
    let validate = run(dir.path(), &["validate", "order.ndjson"]);
    assert_eq!(validate.code, 1);
    assert_eq!(
        validate.stdout,
        format!(
            "order.ndjson:5: session {SESSION}: seq 5 is missing (a lost line)\n\
             order.ndjson:6: session {SESSION}: seq 4 after seq 6: out of order, not lost\n\
             contract version 1 (1 session)\n\
             invalid: 2 of 24 line(s) have problems (2 problem(s))\n"
        )
    );
    let summary = run(dir.path(), &["summary", "order.ndjson"]);
    assert_eq!(summary.code, 0);
    assert!(
        summary
            .stdout
            .contains("INCOMPLETE: 1 line(s) lost (seq gaps)\n"),
        "{}",
        summary.stdout
    );
    assert!(
        summary
            .stdout
            .contains("seq        1 line(s) lost (missing seq 5), 1 repeated or out of order\n"),
        "{}",
        summary.stdout
    );
    // Only moved, nothing lost: no gap at all.
    let order = [0, 1, 2, 3, 5, 6, 4].into_iter().chain(7..25);
    let log: String = order.map(|i| format!("{}\n", lines[i])).collect();
    write(dir.path(), "moved.ndjson", log.as_bytes());
    let summary = run(dir.path(), &["summary", "moved.ndjson"]);
    assert!(!summary.stdout.contains("INCOMPLETE"), "{}", summary.stdout);
    assert!(
        summary
            .stdout
            .contains("seq        no line lost; 1 repeated or out of order\n"),
        "{}",
        summary.stdout
    );
    let json = run(dir.path(), &["summary", "--json", "moved.ndjson"]).json();
    assert_eq!(json["sessions"][0]["gaps"], serde_json::json!([]));
}

#[cfg(unix)]
#[test]
fn a_hard_link_is_the_file_it_links_to() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "run.ndjson", LOG.as_bytes());
    std::fs::hard_link(
        dir.path().join("run.ndjson"),
        dir.path().join("link.ndjson"),
    )
    .unwrap();
    // Read once, said once, as for a symbolic link.
    let validate = run(dir.path(), &["validate", "run.ndjson", "link.ndjson"]);
    assert_eq!(validate.code, 1);
    assert_eq!(
        validate.stdout,
        "link.ndjson:1: the same file as run.ndjson, given twice: read once\n\
         contract version 1 (1 session)\n\
         invalid: 0 of 25 line(s) have problems (1 problem(s))\n"
    );
    // Read once, silently, by the verbs that read each file on its own.
    let once = run(dir.path(), &["runs", "--json", "run.ndjson"]);
    let twice = run(dir.path(), &["runs", "--json", "run.ndjson", "link.ndjson"]);
    assert_eq!((once.code, twice.code), (0, 0));
    assert_eq!(twice.stdout, once.stdout);
    assert_eq!(twice.json().as_array().map(Vec::len), Some(2));
}
