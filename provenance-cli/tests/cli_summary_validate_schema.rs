//! `summary`, `validate` and `schema` end to end, through the binary, on
//! logs the main example really writes, and on the same logs broken.

mod support;

use provenance_test_support::provenance;
use support::{Workspace, edit_lines, events, session_id, written_seed};

#[test]
fn summary_shows_the_provenance_of_a_real_run() {
    let ws = Workspace::new();
    let log = ws.run_example("a", "7", &[]);
    let out = provenance(ws.path(), &["summary".as_ref(), log.as_os_str()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = &out.stdout;
    let session = session_id(&log);
    for expected in [
        format!("session    {session}"),
        "experiment ith-bull-demo".into(),
        format!("root = {} (environment)", written_seed(7)),
        "nav = ".into(),
        "(environment) in ith_experiment#1\n".into(),
        "run        ith_experiment#1 ith_experiment 1.0.0: ok in".into(),
        "run        ith_experiment#1/bull_ith#1 (in ith_experiment#1) bull_ith 1.0.0: ok in".into(),
        "input      nav sha256:".into(),
        "from argument in ith_experiment#1/bull_ith#1\n".into(),
        "float64 [2000]".into(),
        "status     ok".into(),
        "seq        gapless (no line lost)".into(),
        "session.start 1".into(),
        "algorithm.result 2".into(),
    ] {
        assert!(
            text.contains(&expected),
            "summary lacks {expected:?}:\n{text}"
        );
    }
    let epochs = events(&log)
        .iter()
        .filter(|e| e["event_type"] == "epoch_detected")
        .count();
    assert!(text.contains(&format!("epoch_detected {epochs}")), "{text}");
    assert!(!text.contains("invalid"), "{text}");

    let json = provenance(
        ws.path(),
        &["summary".as_ref(), "--json".as_ref(), log.as_os_str()],
    )
    .json();
    let s = &json["sessions"][0];
    assert_eq!(s["id"], session.as_str());
    assert_eq!(s["seeds"][0]["component"], "root");
    assert_eq!(
        ith_provenance_cli::seed::seed_u64(&s["seeds"][0]["seed"]),
        Some(7)
    );
    assert_eq!(s["seeds"][0]["run"], serde_json::Value::Null);
    assert_eq!(
        (&s["seeds"][1]["component"], &s["seeds"][1]["run"]),
        (&"nav".into(), &"ith_experiment#1".into())
    );
    assert_eq!(s["runs"][1]["id"], "ith_experiment#1/bull_ith#1");
    assert_eq!(s["runs"][1]["parent"], "ith_experiment#1");
    assert_eq!(s["counts"]["epoch_detected"], epochs);
}

#[test]
fn summary_reports_lost_and_invalid_lines_and_a_missing_result() {
    let ws = Workspace::new();
    // Seed 8's walk has enough epochs that lines follow seq 12 before the
    // cut, so the broken line's seq is seen to be lost.
    let log = ws.run_example("a", "8", &[]);
    // Drop seq 9 and 10, break seq 12, cut the log before its results
    // (the inner run's, the outer run's last `metrics` batch and its result).
    let lines = events(&log);
    let last = lines.len() - 3;
    let broken = edit_lines(&ws, &log, "broken.jsonl", |line| {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        match v["seq"].as_u64().unwrap() {
            9 | 10 => String::new(),
            12 => line[..line.len() / 2].to_string(),
            n if n as usize >= last => String::new(),
            _ => line.to_string(),
        }
    });
    let kept: String = std::fs::read_to_string(&broken)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&broken, kept).unwrap();
    let out = provenance(ws.path(), &["summary".as_ref(), broken.as_os_str()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = &out.stdout;
    assert!(
        text.contains("seq        3 line(s) lost (missing seq 9..=10, 12)"),
        "{text}"
    );
    assert!(
        text.contains(": unfinished (last seen: epoch_detected at line "),
        "{text}"
    );
    assert!(
        text.contains("status     unfinished: 2 run(s) without a result"),
        "{text}"
    );
    // The gaps are reported on the lines after them.
    assert!(text.contains("invalid   3 line(s), 3 problem(s)"), "{text}");
    assert!(
        text.contains("broken.jsonl:11: torn line (EOF while parsing"),
        "{text}"
    );
}

#[test]
fn validate_accepts_real_logs_and_names_each_problem() {
    let ws = Workspace::new();
    let a = ws.run_example("a", "7", &[]);
    let b = ws.run_example("b", "8", &["--hurdle", "0.06"]);
    let out = provenance(
        ws.path(),
        &["validate".as_ref(), a.as_os_str(), b.as_os_str()],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // The version read, then the verdict, last.
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "contract version {} (2 sessions)",
            ith_provenance_runtime::CONTRACT_VERSION
        ),
        "{}",
        out.stdout
    );
    assert!(lines[1].starts_with("valid: "), "{}", out.stdout);
    assert!(
        out.stdout.contains("2 session(s) in 2 file(s)"),
        "{}",
        out.stdout
    );

    // A payload that breaks its schema, and an envelope of the wrong type.
    let broken = edit_lines(&ws, &a, "broken.jsonl", |line| {
        if line.contains(r#""event_type":"epoch_detected""#) && line.contains(r#""epoch_index":2,"#)
        {
            line.replace(r#""position_type":"bull""#, r#""position_type":"sideways""#)
        } else if line.contains(r#""event_type":"seed.derived""#) {
            line.replace(r#""seq":4"#, r#""seq":"4""#)
        } else {
            line.to_string()
        }
    });
    let out = provenance(ws.path(), &["validate".as_ref(), broken.as_os_str()]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "broken.jsonl:5: envelope field \"seq\": expected an integer, found a string"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("session sess_"),
        "the lost seq 4 is a gap:\n{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("epoch_detected does not match its schema")
            && out.stdout.contains("sideways"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.ends_with("problem(s))\n"), "{}", out.stdout);

    let json = provenance(
        ws.path(),
        &[
            "validate".as_ref(),
            "--json".as_ref(),
            "--max-errors".as_ref(),
            "1".as_ref(),
            broken.as_os_str(),
        ],
    );
    assert_eq!(json.code, 1);
    let report = json.json();
    assert_eq!(report["valid"], false);
    assert_eq!(report["problems"].as_array().unwrap().len(), 1);
    assert!(report["problems_total"].as_u64().unwrap() >= 2, "{report}");
    assert_eq!(report["problems"][0]["line"], 5);
}

#[test]
fn schema_prints_what_the_log_carries_and_validate_reads_it_back() {
    let ws = Workspace::new();
    let log = ws.run_example("a", "7", &[]);
    let out = provenance(ws.path(), &["schema".as_ref(), log.as_os_str()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for name in [
        "algorithm.init",
        "algorithm.result",
        "data.load",
        "epoch_detected",
        "seed.derived",
    ] {
        assert!(
            // The payload version is the writer's (a type changed in
            // contract version 2 has a new one).
            out.stdout.contains(&format!("# {name} (version ")),
            "{}",
            out.stdout
        );
    }

    let json = provenance(
        ws.path(),
        &["schema".as_ref(), "--json".as_ref(), log.as_os_str()],
    );
    let entries = json.json();
    assert_eq!(entries.as_array().unwrap().len(), 6, "{entries}");
    let file = ws.write("schemas.json", &json.stdout);

    // The schemas stripped from the log, then supplied with --schema.
    let bare = edit_lines(&ws, &log, "bare.jsonl", |line| {
        line.replace("\"event.schema\"", "\"note\"")
    });
    let without = provenance(ws.path(), &["validate".as_ref(), bare.as_os_str()]);
    assert_eq!(without.code, 1);
    // The contract's own types fall back on its built-in schemas; the
    // renamed lines' type is nobody's.
    assert!(
        !without
            .stdout
            .contains("no schema for event type \"algorithm.init\""),
        "{}",
        without.stdout
    );
    assert!(
        !without.stdout.contains("does not match its schema"),
        "{}",
        without.stdout
    );
    assert!(
        without.stdout.contains("no schema for event type \"note\""),
        "{}",
        without.stdout
    );

    // A schema file that requires a field the log lacks fails every line of that type.
    let strict = json
        .stdout
        .replace("\"required\": [", "\"required\": [\"operator\", ");
    let strict = ws.write("strict.json", &strict);
    let out = provenance(
        ws.path(),
        &[
            "validate".as_ref(),
            "--schema".as_ref(),
            strict.as_os_str(),
            log.as_os_str(),
        ],
    );
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("operator"), "{}", out.stdout);
    let out = provenance(
        ws.path(),
        &[
            "validate".as_ref(),
            "--schema".as_ref(),
            file.as_os_str(),
            log.as_os_str(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stdout);

    let bad = ws.write("bad.json", "{\"data.load\": {\"type\": 12}}");
    let out = provenance(
        ws.path(),
        &[
            "validate".as_ref(),
            "--schema".as_ref(),
            bad.as_os_str(),
            log.as_os_str(),
        ],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("bad.json: the schema of \"data.load\" does not compile"),
        "{}",
        out.stderr
    );
}

#[test]
fn every_verb_has_help_with_examples() {
    let ws = Workspace::new();
    for verb in ["summary", "validate", "diff", "verify", "schema"] {
        let out = provenance(ws.path(), &[verb, "--help"]);
        assert_eq!(out.code, 0, "{verb}");
        assert!(
            out.stdout.contains("Examples:"),
            "{verb} --help:\n{}",
            out.stdout
        );
        assert!(
            out.stdout.contains(&format!("provenance {verb} ")),
            "{verb}"
        );
    }
    let out = provenance(ws.path(), &["frobnicate"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unrecognized subcommand"),
        "{}",
        out.stderr
    );
}
