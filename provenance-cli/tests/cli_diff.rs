//! `provenance diff` end to end, on logs the `ith_epochs` example writes.

mod support;

use provenance_test_support::provenance;
use serde_json::Value;
use support::{Workspace, edit_lines, session_id, written_seed};

fn diff(ws: &Workspace, args: &[&str]) -> provenance_test_support::Outcome {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    provenance(ws.path(), &all)
}

fn s(p: &std::path::Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

fn paths(report: &Value) -> Vec<String> {
    report["differences"]
        .as_array()
        .expect("differences")
        .iter()
        .map(|d| d["path"].as_str().expect("path").to_string())
        .collect()
}

/// A seed's path: the session's `seed.<component>` or a run's
/// `<run_id>.seed.<component>`.
fn is_seed(path: &str) -> bool {
    path.starts_with("seed.") || path.contains(".seed.")
}

#[test]
fn same_seed_twice_is_the_same() {
    let ws = Workspace::new();
    let (a, b) = ws.same_pair("7", &[]);
    let out = diff(&ws, &[s(&a), s(&b)]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.starts_with("same: "), "{}", out.stdout);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let out = diff(&ws, &["--events", s(&a), s(&b)]);
    assert_eq!(out.code, 0, "{out:?}");
    for event_type in [
        "algorithm.init",
        "algorithm.result",
        "data.load",
        "epoch_detected",
    ] {
        assert!(
            out.stdout.contains(&format!("  {event_type}: same (")),
            "{event_type} not compared:\n{}",
            out.stdout
        );
    }
}

#[test]
fn another_seed_names_the_seeds_and_input_nav() {
    let ws = Workspace::new();
    let a = ws.run_example("seed7", "7", &[]);
    let b = ws.run_example("seed8", "8", &[]);
    let out = diff(&ws, &[s(&a), s(&b)]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stdout.starts_with("differ: "), "{}", out.stdout);
    assert!(
        out.stdout.contains(&format!(
            "seed.root: {} → {}",
            written_seed(7),
            written_seed(8)
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("\n  ith_experiment#1 ith_experiment seed.nav: "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("\n  ith_experiment#1/bull_ith#1 bull_ith input.nav changed: sha256:"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("\nconfig\n"),
        "the config is the same:\n{}",
        out.stdout
    );
    let report = diff(&ws, &["--json", s(&a), s(&b)]).json();
    let found = paths(&report);
    for path in [
        "seed.root",
        "ith_experiment#1.seed.nav",
        "ith_experiment#1/bull_ith#1.input.nav",
        "ith_experiment#1.random_seed",
    ] {
        assert!(found.iter().any(|p| p == path), "no {path} in {found:?}");
    }
    let root = report["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "seed.root")
        .unwrap();
    let seed = ith_provenance_cli::seed::seed_u64;
    assert_eq!((seed(&root["a"]), seed(&root["b"])), (Some(7), Some(8)));
    assert!(root.get("run").is_none(), "the root seed is the session's");
    let nav = report["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "ith_experiment#1.seed.nav")
        .unwrap();
    assert_eq!(
        (&nav["what"], &nav["run"], &nav["algorithm"]),
        (
            &Value::from("seed"),
            &Value::from("ith_experiment#1"),
            &Value::from("ith_experiment")
        )
    );
}

#[test]
fn an_input_on_one_side_only_is_named() {
    let ws = Workspace::new();
    let a = ws.run_example("save", "7", &["--save-data", "data.csv"]);
    let b = ws.run_example("load", "7", &["--data", "data.csv"]);
    let out = diff(&ws, &[s(&a), s(&b)]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout
            .contains("\n  ith_experiment#1 ith_experiment input.data: only in B: sha256:"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("input.nav"),
        "the series read back is the same:\n{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("ith_experiment#1 ith_experiment config.data: null → \"data.csv\""),
        "{}",
        out.stdout
    );
    let out = diff(&ws, &[s(&b), s(&a)]);
    assert!(
        out.stdout
            .contains("\n  ith_experiment#1 ith_experiment input.data: only in A: sha256:"),
        "{}",
        out.stdout
    );
}

#[test]
fn hurdle_names_the_config_key() {
    let ws = Workspace::new();
    let a = ws.run_example("base", "7", &[]);
    let b = ws.run_example("hurdle", "7", &["--hurdle", "0.06"]);
    let out = diff(&ws, &[s(&a), s(&b)]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout
            .contains("ith_experiment#1 ith_experiment config.hurdle: 0.05 → 0.06"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("ith_experiment#1/bull_ith#1 bull_ith config: 0.05 → 0.06"),
        "{}",
        out.stdout
    );
    // The command line differs too, but only as a note.
    assert!(
        out.stdout
            .contains("notes (not differences)\n  command_line:"),
        "{}",
        out.stdout
    );
    let report = diff(&ws, &["--json", s(&a), s(&b)]).json();
    let hurdle = report["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "ith_experiment#1.config.hurdle")
        .expect("ith_experiment#1.config.hurdle listed");
    assert_eq!(hurdle["what"], "config");
    assert_eq!(hurdle["run"], "ith_experiment#1");
    assert_eq!(hurdle["algorithm"], "ith_experiment");
    assert_eq!(
        (hurdle["a"].as_f64(), hurdle["b"].as_f64()),
        (Some(0.05), Some(0.06))
    );
    assert!(
        paths(&report)
            .iter()
            .any(|p| p == "ith_experiment#1.config_hash")
    );
    assert!(!paths(&report).iter().any(|p| is_seed(p)));
}

#[test]
fn bump_names_input_nav_and_the_bump_key() {
    let ws = Workspace::new();
    let a = ws.run_example("base", "7", &[]);
    let b = ws.run_example("bump", "7", &["--bump", "5"]);
    let report = diff(&ws, &["--json", s(&a), s(&b)]).json();
    let found = paths(&report);
    assert!(
        found
            .iter()
            .any(|p| p == "ith_experiment#1/bull_ith#1.input.nav"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|p| p == "ith_experiment#1.config.bump"),
        "{found:?}"
    );
    assert!(!found.iter().any(|p| is_seed(p)), "{found:?}");
    let out = diff(&ws, &["--events", s(&a), s(&b)]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains(
            "data.load: first differs at #0 in ith_experiment#1/bull_ith#1 (A line 10, B line 10): \
             sha256_hash: "
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "algorithm.init: first differs at #0 in ith_experiment#1 (A line 3, B line 3): \
             config.bump: null → 5"
        ),
        "{}",
        out.stdout
    );
    // The bumped bar is also a point of the run's `nav` series.
    assert!(
        out.stdout
            .contains("metrics nav in ith_experiment#1: first differs at step 5: "),
        "{}",
        out.stdout
    );
}

/// A copy of `log` with the first `epoch_detected`'s `nav_at_epoch`
/// multiplied by `1 + factor`.
fn nudged(ws: &Workspace, log: &std::path::Path, name: &str, factor: f64) -> std::path::PathBuf {
    let mut done = false;
    edit_lines(ws, log, name, |line| {
        if done || !line.contains("\"event_type\":\"epoch_detected\"") {
            return line.to_string();
        }
        done = true;
        let event: Value = serde_json::from_str(line).unwrap();
        let old = event["nav_at_epoch"].as_f64().unwrap();
        let (from, to) = (
            format!("\"nav_at_epoch\":{}", Value::from(old)),
            format!("\"nav_at_epoch\":{}", Value::from(old * (1.0 + factor))),
        );
        assert!(line.contains(&from) && from != to, "{line}");
        line.replace(&from, &to)
    })
}

#[test]
fn tolerances_make_a_small_difference_equal() {
    let ws = Workspace::new();
    let a = ws.run_example("base", "7", &[]);
    let b = nudged(&ws, &a, "nudged.ndjson", 1e-12);
    let exact = diff(&ws, &["--events", s(&a), s(&b)]);
    assert_eq!(exact.code, 1, "{exact:?}");
    assert!(
        exact.stderr.contains("both sides are session"),
        "{}",
        exact.stderr
    );
    assert!(
        exact
            .stdout
            .contains("differ: 0 difference(s), 1 event type(s) diverge")
    );
    assert!(
        exact.stdout.contains(
            "epoch_detected: first differs at #0 in ith_experiment#1/bull_ith#1 \
             (A line 12, B line 12): nav_at_epoch: "
        ),
        "{}",
        exact.stdout
    );
    // Without --events the provenance is the same.
    assert_eq!(diff(&ws, &[s(&a), s(&b)]).code, 0);
    assert_eq!(
        diff(&ws, &["--events", "--rtol", "1e-9", s(&a), s(&b)]).code,
        0
    );
    assert_eq!(
        diff(&ws, &["--events", "--atol", "1e-9", s(&a), s(&b)]).code,
        0
    );
    // A tolerance smaller than the difference does not hide it.
    let far = nudged(&ws, &a, "far.ndjson", 1e-3);
    let out = diff(&ws, &["--events", "--rtol", "1e-6", s(&a), s(&far)]);
    assert_eq!(out.code, 1, "{out:?}");
    let out = diff(&ws, &["--events", "--rtol=-1", s(&a), s(&b)]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--rtol must be"), "{}", out.stderr);
}

#[test]
fn json_has_the_documented_shape() {
    let ws = Workspace::new();
    // Seed 8's walk has more epochs than seed 7's: A's count is the larger.
    let a = ws.run_example("seed8", "8", &[]);
    let b = ws.run_example("seed7", "7", &[]);
    let out = diff(&ws, &["--json", "--events", s(&a), s(&b)]);
    assert_eq!(out.code, 1);
    let report = out.json();
    assert_eq!(report["same"], false);
    assert_eq!(report["a"]["file"], s(&a));
    assert_eq!(report["a"]["session"], session_id(&a).as_str());
    assert_eq!(report["b"]["session"], session_id(&b).as_str());
    for d in report["differences"].as_array().unwrap() {
        assert!(d["what"].is_string() && d["path"].is_string(), "{d}");
        assert!(d.get("a").is_some() || d.get("b").is_some(), "{d}");
        // A difference inside a run names the run next to its algorithm.
        assert_eq!(d["run"].is_string(), d["algorithm"].is_string(), "{d}");
        if let Some(run) = d["run"].as_str() {
            assert!(
                d["path"].as_str().unwrap().starts_with(&format!("{run}.")),
                "{d}"
            );
        }
    }
    assert!(
        report["differences"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["run"] == "ith_experiment#1/bull_ith#1" && d["algorithm"] == "bull_ith"),
        "{report}"
    );
    assert!(report["notes"].is_array());
    let types = report["events"].as_array().expect("events with --events");
    let epochs = types
        .iter()
        .find(|t| t["event_type"] == "epoch_detected")
        .expect("epoch_detected compared");
    assert_eq!(epochs["same"], false);
    assert_eq!(epochs["first_difference"]["index"], 0);
    let count = |log: &std::path::Path| {
        std::fs::read_to_string(log)
            .unwrap()
            .matches("\"event_type\":\"epoch_detected\"")
            .count() as u64
    };
    assert_eq!(
        (epochs["a"].as_u64(), epochs["b"].as_u64()),
        (Some(count(&a)), Some(count(&b)))
    );
    assert!(epochs["a"].as_u64().unwrap() > epochs["b"].as_u64().unwrap());
    let without = diff(&ws, &["--json", s(&a), s(&b)]).json();
    assert!(without["events"].is_null());
}

#[test]
fn a_log_of_several_sessions_needs_a_session_id() {
    let ws = Workspace::new();
    let a = ws.run_example("seed7", "7", &[]);
    let b = ws.run_example("seed8", "8", &[]);
    let (ida, idb) = (session_id(&a), session_id(&b));
    let both = std::fs::read_to_string(&a).unwrap() + &std::fs::read_to_string(&b).unwrap();
    let both = ws.write("both.ndjson", &both);
    let out = diff(&ws, &[s(&both), s(&a)]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--session-a"), "{}", out.stderr);
    assert!(
        out.stderr.contains(&ida) && out.stderr.contains(&idb),
        "{}",
        out.stderr
    );
    let out = diff(&ws, &["--session-a", &ida, s(&both), s(&a)]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("both sides are session {ida}"))
    );
    let out = diff(
        &ws,
        &["--session-a", &ida, "--session-b", &idb, s(&both), s(&both)],
    );
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains(&format!(
            "seed.root: {} → {}",
            written_seed(7),
            written_seed(8)
        )),
        "{}",
        out.stdout
    );
    let out = diff(
        &ws,
        &[
            "--events",
            "--session-a",
            &idb,
            "--session-b",
            &idb,
            s(&both),
            s(&b),
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let out = diff(&ws, &["--session-a", "sess_nope", s(&both), s(&a)]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("has no session \"sess_nope\""),
        "{}",
        out.stderr
    );
}

#[test]
fn unreadable_logs_are_errors() {
    let ws = Workspace::new();
    let a = ws.run_example("seed7", "7", &[]);
    let out = diff(&ws, &[s(&a), "missing.ndjson"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("cannot open missing.ndjson"),
        "{}",
        out.stderr
    );
    let out = diff(&ws, &[".", s(&a)]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("is a directory"), "{}", out.stderr);
    let empty = ws.write("empty.ndjson", "");
    let out = diff(&ws, &[s(&a), s(&empty)]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("no session"), "{}", out.stderr);
    let newer = edit_lines(&ws, &a, "newer.ndjson", |l| {
        let written = format!(
            "\"contract_version\":{},",
            ith_provenance_runtime::CONTRACT_VERSION
        );
        l.replace(&written, "\"contract_version\":99,")
    });
    let out = diff(&ws, &[s(&a), s(&newer)]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("upgrade ith-provenance-cli"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}

/// A synthetic log of one session: `events` as (type, value) lines.
fn synthetic(session: &str, events: impl Iterator<Item = (&'static str, u64)>) -> String {
    events
        .enumerate()
        .map(|(seq, (t, v))| {
            format!(
                "{{\"ts\":\"2026-11-25T10:46:11.126706Z\",\"event_type\":\"{t}\",\
                 \"session_id\":\"{session}\",\"seq\":{seq},\"v\":{v}}}\n"
            )
        })
        .collect()
}

#[test]
fn streams_far_out_of_step_are_still_compared() {
    // A writes 6000 `x` then 6000 `y`; B interleaves them, and its `y` #4500
    // differs: more than the events one queue holds before its own pass.
    let ws = Workspace::new();
    let n = 6000;
    let a = synthetic(
        "sess_a",
        (0..n).map(|i| ("x", i)).chain((0..n).map(|i| ("y", i))),
    );
    let b = synthetic(
        "sess_b",
        (0..n).flat_map(|i| [("x", i), ("y", if i == 4500 { 0 } else { i })]),
    );
    let (a, b) = (ws.write("a.ndjson", &a), ws.write("b.ndjson", &b));
    let report = diff(&ws, &["--json", "--events", s(&a), s(&b)]).json();
    let types = report["events"].as_array().unwrap();
    assert_eq!(types[0]["event_type"], "x");
    assert_eq!(types[0]["same"], true);
    let y = &types[1]["first_difference"];
    assert_eq!(y["index"], 4500);
    assert_eq!(
        (y["line_a"].as_u64(), y["line_b"].as_u64()),
        (Some(n + 4501), Some(2 * 4500 + 2))
    );
    assert_eq!(
        (y["path"].as_str(), y["a"].as_u64(), y["b"].as_u64()),
        (Some("v"), Some(4500), Some(0))
    );
}
