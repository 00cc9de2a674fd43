//! `provenance runs` on handcrafted contract-version-2 logs: three sessions
//! in three files of a directory tree, with varied configs and metrics.

mod support;

use std::path::Path;

use provenance_test_support::provenance;
use serde_json::json;
use support::handmade::Session;

const SHA_A: &str = "aaaaaaa1111111111111111111111111111111111";
const SHA_B: &str = "bbbbbbb2222222222222222222222222222222222";
const SHA_C: &str = "ccccccc3333333333333333333333333333333333";

/// `logs/a/s1.ndjson` (two finished runs), `logs/b/s2.jsonl` (one run that
/// failed, dirty tree), `logs/b/s3.ndjson` (an unfinished run of another
/// experiment), and a `notes.txt` that is not a log.
fn logs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("logs");
    std::fs::create_dir_all(root.join("a")).unwrap();
    std::fs::create_dir_all(root.join("b")).unwrap();

    let mut s1 = Session::new(
        "sess_1",
        Some("exp001"),
        "2026-11-24T09:00:00.000000Z",
        SHA_A,
        false,
    );
    s1.init(
        "2026-11-24T09:00:01.000000Z",
        "sweep#1",
        "bull_ith",
        json!({"hurdle": 0.05, "window": 20, "opt": {"lr": 0.1}}),
    )
    .result(
        "2026-11-24T09:00:02.000000Z",
        "ok",
        100.5,
        json!({"sharpe": 1.2}),
        json!([]),
    );
    s1.init(
        "2026-11-24T09:00:03.000000Z",
        "sweep#2",
        "bull_ith",
        json!({"hurdle": 0.1, "window": 20}),
    )
    .result(
        "2026-11-24T09:00:04.000000Z",
        "ok",
        90.0,
        json!({"sharpe": 0.4}),
        json!([]),
    );
    std::fs::write(root.join("a/s1.ndjson"), s1.text()).unwrap();

    let mut s2 = Session::new(
        "sess_2",
        Some("exp001"),
        "2026-11-25T10:00:00.000000Z",
        SHA_B,
        true,
    );
    s2.init(
        "2026-11-25T10:00:01.000000Z",
        "sweep#1",
        "bull_ith",
        json!({"hurdle": 0.07, "window": 5}),
    )
    .result(
        "2026-11-25T10:00:02.000000Z",
        "error",
        12.0,
        json!({"sharpe": 2.5}),
        json!([]),
    );
    std::fs::write(root.join("b/s2.jsonl"), s2.text()).unwrap();

    let mut s3 = Session::new(
        "sess_3",
        Some("exp002"),
        "2026-11-26T08:00:00.000000Z",
        SHA_C,
        false,
    );
    s3.init(
        "2026-11-26T08:00:01.000000Z",
        "bear#1",
        "bear_ith",
        json!({"hurdle": 0.05}),
    );
    std::fs::write(root.join("b/s3.ndjson"), s3.text()).unwrap();

    std::fs::write(root.join("notes.txt"), "not a log\n").unwrap();
    dir
}

fn runs(cwd: &Path, args: &[&str]) -> provenance_test_support::Outcome {
    let mut all = vec!["runs"];
    all.extend_from_slice(args);
    provenance(cwd, &all)
}

#[test]
fn a_table_of_the_runs_that_match() {
    let dir = logs();
    let out = runs(dir.path(), &["--where", "config.hurdle=0.05", "logs"]);
    assert_eq!(out.code, 0, "{out:?}");
    let expected = "\
session  run      experiment  algorithm  start                        commit   dirty  status      duration_ms  config.hurdle  config.opt.lr  config.window  metric.sharpe
sess_1   sweep#1  exp001      bull_ith   2026-11-24T09:00:01.000000Z  aaaaaaa  false  ok          100.5        0.05           0.1            20             1.2
sess_3   bear#1   exp002      bear_ith   2026-11-26T08:00:01.000000Z  ccccccc  false  unfinished               0.05
";
    assert_eq!(out.stdout, expected);
}

#[test]
fn csv_sorted_descending_puts_rows_without_the_column_last() {
    let dir = logs();
    let out = runs(dir.path(), &["--csv", "--sort", "-metric.sharpe", "logs"]);
    assert_eq!(out.code, 0, "{out:?}");
    let expected = "\
session,run,experiment,algorithm,start,commit,dirty,status,duration_ms,config.hurdle,config.opt.lr,config.window,metric.sharpe
sess_2,sweep#1,exp001,bull_ith,2026-11-25T10:00:01.000000Z,bbbbbbb,true,error,12.0,0.07,,5,2.5
sess_1,sweep#1,exp001,bull_ith,2026-11-24T09:00:01.000000Z,aaaaaaa,false,ok,100.5,0.05,0.1,20,1.2
sess_1,sweep#2,exp001,bull_ith,2026-11-24T09:00:03.000000Z,aaaaaaa,false,ok,90.0,0.1,,20,0.4
sess_3,bear#1,exp002,bear_ith,2026-11-26T08:00:01.000000Z,ccccccc,false,unfinished,,0.05,,,
";
    assert_eq!(out.stdout, expected);
}

#[test]
fn json_with_experiment_and_since() {
    let dir = logs();
    let out = runs(
        dir.path(),
        &[
            "--json",
            "--experiment",
            "exp001",
            "--since",
            "2026-11-25",
            "logs",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.json(),
        json!([{
            "session": "sess_2", "run": "sweep#1", "experiment": "exp001",
            "algorithm": "bull_ith", "start": "2026-11-25T10:00:01.000000Z",
            "commit": "bbbbbbb", "dirty": true, "status": "error", "duration_ms": 12.0,
            "config.hurdle": 0.07, "config.window": 5, "metric.sharpe": 2.5
        }])
    );
    // Keys in table order, not sorted.
    assert!(
        out.stdout
            .starts_with("[\n  {\"session\":\"sess_2\",\"run\":"),
        "{}",
        out.stdout
    );
    // A time, not only a date: runs started at or after it.
    let out = runs(
        dir.path(),
        &["--json", "--since", "2026-11-24T09:00:02Z", "logs"],
    );
    let ids: Vec<_> = out
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["session"].as_str().unwrap(),
                r["run"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(ids, ["sess_1 sweep#2", "sess_2 sweep#1", "sess_3 bear#1"]);
}

#[test]
fn numbers_compare_as_numbers_and_text_as_text() {
    let dir = logs();
    // As text "5" > "10"; as numbers it is not.
    let out = runs(
        dir.path(),
        &["--csv", "--where", "config.window>10", "logs"],
    );
    let rows: Vec<_> = out
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(rows, ["sess_1 sweep#1", "sess_1 sweep#2"]);
    let out = runs(
        dir.path(),
        &[
            "--csv",
            "--where",
            "status != ok",
            "--where",
            "dirty=false",
            "logs",
        ],
    );
    let rows: Vec<_> = out
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(rows, ["sess_3 bear#1"]);
    let out = runs(
        dir.path(),
        &[
            "--csv",
            "--where",
            "algorithm>=bull",
            "--where",
            "metric.sharpe<=1.2",
            "logs",
        ],
    );
    let rows: Vec<_> = out
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(rows, ["sess_1 sweep#1", "sess_1 sweep#2"]);
}

#[test]
fn sort_and_limit() {
    let dir = logs();
    let out = runs(
        dir.path(),
        &["--csv", "--sort", "duration_ms", "--limit", "2", "logs"],
    );
    let rows: Vec<_> = out
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(rows, ["sess_2 sweep#1", "sess_1 sweep#2"]);
}

#[test]
fn a_pattern_the_shell_left_alone_is_expanded() {
    let dir = logs();
    let out = runs(dir.path(), &["--csv", "logs/*/s*.ndjson"]);
    assert_eq!(out.code, 0, "{out:?}");
    let sessions: Vec<_> = out
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(sessions, ["sess_1", "sess_1", "sess_3"]);
    let out = runs(dir.path(), &["logs/*/nothing*.ndjson"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .contains("logs/*/nothing*.ndjson: no file matches this pattern"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_where_is_a_usage_error_naming_it() {
    let dir = logs();
    let out = runs(dir.path(), &["--where", "hurdle", "logs"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("bad --where \"hurdle\": no operator"),
        "{}",
        out.stderr
    );
    let out = runs(dir.path(), &["--where", "a==1", "logs"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("bad --where \"a==1\""),
        "{}",
        out.stderr
    );
    let out = runs(dir.path(), &["--since", "yesterday", "logs"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("bad --since \"yesterday\""),
        "{}",
        out.stderr
    );
}

#[test]
fn no_match_exits_1_and_an_unknown_column_is_warned_about() {
    let dir = logs();
    let out = runs(dir.path(), &["--where", "config.hurdel=0.05", "logs"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(out.stdout, "no run matches (3 file(s) read)\n");
    // The suggestion comes from the columns of the logs read.
    assert_eq!(
        out.stderr,
        "provenance: warning: no run read has a column \"config.hurdel\" (--where); nearest: \
         config.hurdle\n"
    );
    let out = runs(dir.path(), &["--json", "--experiment", "nope", "logs"]);
    assert_eq!((out.code, out.stdout.as_str()), (1, "[]\n"));
}

#[test]
fn sorting_by_a_column_no_run_has_names_the_nearest() {
    let dir = logs();
    let out = runs(dir.path(), &["--sort", "-metric.sharp", "logs"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "provenance: no run read has a column \"metric.sharp\" (--sort -metric.sharp); nearest: \
         metric.sharpe\n"
    );
    // A forgotten prefix finds its column too.
    let out = runs(dir.path(), &["--sort", "window", "logs"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("nearest: config.window"),
        "{}",
        out.stderr
    );
    // Nothing near: the columns the logs have, not a list from the docs.
    let out = runs(dir.path(), &["--sort", "zzzzzzzzzzzzzz", "logs/a"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.ends_with(
            "the columns are session, run, experiment, algorithm, start, commit, dirty, status, \
             duration_ms, config.hurdle, config.opt.lr, config.window and 1 more\n"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn an_array_of_objects_is_flattened_and_durations_have_no_float_noise() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::new(
        "sess_grid",
        Some("momentum"),
        "2026-11-27T09:00:00.000000Z",
        SHA_A,
        false,
    );
    s.init(
        "2026-11-27T09:00:01.000000Z",
        "sweep#1",
        "sweep",
        json!({"rules": [{"lookback": 60, "threshold": 0.25}, {"lookback": 40, "threshold": 0.75}],
               "assets": ["SPY", "QQQ"]}),
    )
    .result(
        "2026-11-27T09:00:02.000000Z",
        "ok",
        // What `Duration::as_secs_f64() * 1e3` gives for 112528106 ns.
        112.528_106_000_000_01,
        json!({}),
        json!([]),
    );
    assert!(s.text().contains("\"duration_ms\":112.52810600000001"));
    std::fs::write(dir.path().join("grid.ndjson"), s.text()).unwrap();
    let out = runs(dir.path(), &["--csv", "grid.ndjson"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "session,run,experiment,algorithm,start,commit,dirty,status,duration_ms,config.assets,\
         config.rules[0].lookback,config.rules[0].threshold,config.rules[1].lookback,\
         config.rules[1].threshold
sess_grid,sweep#1,momentum,sweep,2026-11-27T09:00:01.000000Z,aaaaaaa,false,ok,112.528106,\
         \"[\"\"SPY\"\",\"\"QQQ\"\"]\",60,0.25,40,0.75
"
    );
    let out = runs(dir.path(), &["--json", "grid.ndjson"]);
    let row = &out.json()[0];
    assert_eq!(row["duration_ms"], json!(112.528106));
    assert_eq!(row["config.rules[1].threshold"], json!(0.75));
    assert_eq!(row["config.assets"], json!(["SPY", "QQQ"]));
    // A flattened column filters and sorts as any other.
    let out = runs(
        dir.path(),
        &[
            "--where",
            "config.rules[1].lookback<50",
            "--sort",
            "config.rules[0].threshold",
            "grid.ndjson",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let row = out.stdout.lines().nth(1).unwrap_or_default();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells[8..],
        [
            "112.528106",
            "[\"SPY\",\"QQQ\"]",
            "60",
            "0.25",
            "40",
            "0.75"
        ],
        "{}",
        out.stdout
    );
}
