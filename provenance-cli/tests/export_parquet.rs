//! `provenance export parquet` on real logs: handcrafted contract-version-2
//! sessions (seeds above 2^63, every kind of config value, a non-finite
//! float, program output, a broken and a torn line) and a log the
//! runtime's writer wrote (`benches/support/ith_epochs_v2.jsonl`, nested
//! runs).
//!
//! The tables are read back twice: here with the `parquet` crate's reader
//! (schema, types, counts, row groups), and by pyarrow and DuckDB
//! (`tests/export_parquet/read_tables.py`), which compare every cell with
//! the logs and with `provenance runs --json`. pyarrow and DuckDB come from
//! `pip install -r .ci/requirements.txt`; without them that test says it
//! skipped them, except under `PROVENANCE_READERS_REQUIRED=1` (CI), where
//! a missing reader fails it.
#![cfg(feature = "parquet")]

mod support;

use std::fs::File;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{TimestampMicrosecondType, UInt64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use provenance_test_support::provenance;
use provenance_test_support::readers::{ReaderReport, run_reader};
use serde_json::{Value, json};
use support::handmade::Session;

const SHA_A: &str = "aaaaaaa1111111111111111111111111111111111";
const SHA_B: &str = "bbbbbbb2222222222222222222222222222222222";
const SHA_C: &str = "ccccccc3333333333333333333333333333333333";

/// The seeds of `sess_1`'s two runs: above 2^63, one in each written form
/// (`"0x"` + 16 hex digits, and a JSON integer as contract version 1 wrote).
const SEED_1: u64 = u64::MAX - 1;
const SEED_2: u64 = (1 << 63) + 1;

/// A sweep in `<dir>/logs`: `a/s1.ndjson` (two runs, every kind of config
/// value, program output, a line that is not JSON, a torn last line),
/// `b/s2.jsonl` (a failed run on a dirty tree, a path with escapes),
/// `b/s3.ndjson` (an unfinished run, no experiment) and `c/example.ndjson`
/// (the runtime's own log of the ith_epochs example).
fn sweep() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("logs");
    for sub in ["a", "b", "c"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }

    let mut s1 = Session::new(
        "sess_1",
        Some("exp001"),
        "2026-11-24T09:00:00.000000Z",
        SHA_A,
        false,
    );
    s1.init(
        "2026-11-24T09:00:01.000001Z",
        "sweep#1",
        "bull_ith",
        json!({"hurdle": 0.05, "window": 20, "label": "base, tuned", "mixed": 1,
               "big": u64::MAX, "neg": -3, "flag": true, "xs": [1, 2], "opt": {"lr": 0.1}}),
    )
    .load(
        "2026-11-24T09:00:01.500000Z",
        "nav",
        "/work/exp/nav.csv",
        &format!("sha256:{}", "a".repeat(64)),
        "/work/exp",
    )
    .line(
        "2026-11-24T09:00:01.600000Z",
        "epoch_detected",
        json!({"epoch_index": 1, "excess_gain": null, "excess_loss": 0.5,
               "non_finite": [{"pointer": "/excess_gain", "value": "Infinity"}]}),
    )
    .result(
        "2026-11-24T09:00:02.000000Z",
        "ok",
        100.5,
        json!({"sharpe": 1.2, "trades": 10}),
        json!([]),
    );
    s1.init(
        "2026-11-24T09:00:03.000000Z",
        "sweep#2",
        "bull_ith",
        json!({"hurdle": 0.1, "window": 20, "label": "b", "mixed": "x", "big": 1, "flag": false}),
    )
    .result(
        "2026-11-24T09:00:04.000000Z",
        "ok",
        90.0,
        json!({"sharpe": 0.4, "trades": 12.5}),
        json!([]),
    );
    let text = s1
        .text()
        .replacen(
            r#""random_seed":"0x0000000000000007""#,
            &format!(r#""random_seed":"0x{SEED_1:016x}""#),
            1,
        )
        .replacen(
            r#""random_seed":"0x0000000000000007""#,
            &format!(r#""random_seed":{SEED_2}"#),
            1,
        );
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(2, "epoch 3 of 10 done, the program's own output");
    lines.push("{not json}");
    let mut text = lines.join("\n");
    text.push_str("\n{\"ts\":\"2026-11-24T09:00:05.000000Z\",\"event_ty");
    std::fs::write(root.join("a/s1.ndjson"), text).unwrap();

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
    .save(
        "2026-11-25T10:00:01.500000Z",
        "/work/out/ré\"sult\tfinal.csv",
        &format!("sha256:{}", "b".repeat(64)),
        "/work",
    )
    .result(
        "2026-11-25T10:00:02.000000Z",
        "error",
        12.0,
        json!({"sharpe": 2.5}),
        json!([]),
    );
    std::fs::write(root.join("b/s2.jsonl"), s2.text()).unwrap();

    let mut s3 = Session::new("sess_3", None, "2026-11-26T08:00:00.000000Z", SHA_C, false);
    s3.init(
        "2026-11-26T08:00:01.000000Z",
        "bear#1",
        "bear_ith",
        json!({"hurdle": 0.05}),
    );
    std::fs::write(root.join("b/s3.ndjson"), s3.text()).unwrap();

    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/support/ith_epochs_v2.jsonl"
    );
    std::fs::copy(example, root.join("c/example.ndjson")).unwrap();
    dir
}

/// The log lines of the sweep's files, in the order the export reads them
/// (files sorted by path): (file, line number, text).
fn log_lines(dir: &Path) -> Vec<(String, u64, String)> {
    let mut out = Vec::new();
    for file in [
        "logs/a/s1.ndjson",
        "logs/b/s2.jsonl",
        "logs/b/s3.ndjson",
        "logs/c/example.ndjson",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        for (i, line) in text.split('\n').enumerate() {
            if line.trim_start_matches([' ', '\t']).starts_with('{') {
                out.push((file.to_string(), i as u64 + 1, line.to_string()));
            }
        }
    }
    out
}

/// A Parquet file's rows as one record batch, and how many row groups
/// it has.
fn read(path: &Path) -> (RecordBatch, usize) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let groups = builder.metadata().num_row_groups();
    let mut batches: Vec<RecordBatch> = builder
        .with_batch_size(1 << 20)
        .build()
        .unwrap()
        .map(|b| b.unwrap())
        .collect();
    assert_eq!(
        batches.len(),
        1,
        "{} holds more rows than a test makes",
        path.display()
    );
    (batches.remove(0), groups)
}

fn types(batch: &RecordBatch) -> Vec<(String, DataType)> {
    batch
        .schema()
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone()))
        .collect()
}

fn utc() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

fn export(dir: &Path, out: &str) -> provenance_test_support::Outcome {
    let outcome = provenance(dir, &["export", "parquet", "logs", "--out", out]);
    assert_eq!(outcome.code, 0, "{outcome:?}");
    outcome
}

#[test]
fn the_tables_read_back_with_the_parquet_crate_typed_and_counted() {
    let dir = sweep();
    let outcome = export(dir.path(), "tables");
    let lines = log_lines(dir.path());

    // What it says: both files, the counts, the two bad lines by place.
    assert!(
        outcome
            .stdout
            .contains("wrote 6 run(s), 34 columns, to tables/runs.parquet"),
        "{}",
        outcome.stdout
    );
    assert!(
        outcome.stdout.contains(&format!(
            "wrote {} event(s) from 4 file(s) to tables/events.parquet",
            lines.len()
        )),
        "{}",
        outcome.stdout
    );
    assert!(outcome.stdout.contains("2 of them not valid log lines"));
    assert!(
        outcome
            .stdout
            .contains("skipped 1 line(s) of program output")
    );
    let bad: Vec<&(String, u64, String)> = lines
        .iter()
        .filter(|(_, _, l)| serde_json::from_str::<Value>(l).is_err())
        .collect();
    assert_eq!(bad.len(), 2);
    for (file, number, _) in &bad {
        assert!(
            outcome.stderr.contains(&format!("{file}:{number}: ")),
            "{}",
            outcome.stderr
        );
    }

    // events.parquet: the envelope typed, a row per log line.
    let (batch, groups) = read(&dir.path().join("tables/events.parquet"));
    assert_eq!(groups, 1);
    let text = DataType::Utf8;
    assert_eq!(
        types(&batch),
        [
            ("ts", utc()),
            ("event_type", text.clone()),
            ("session_id", text.clone()),
            ("seq", DataType::UInt64),
            ("experiment_id", text.clone()),
            ("run_id", text.clone()),
            ("parent_run_id", text.clone()),
            ("payload", text.clone()),
            ("non_finite", text.clone()),
            ("file", text.clone()),
            ("line", DataType::UInt64),
            ("problem", text.clone()),
            ("raw", text.clone()),
        ]
        .map(|(n, t)| (n.to_string(), t))
    );
    assert_eq!(batch.num_rows(), lines.len());
    let column = |name: &str| batch.column_by_name(name).unwrap().clone();
    let seq = column("seq");
    let seq = seq.as_primitive::<UInt64Type>();
    let line_no = column("line");
    let line_no = line_no.as_primitive::<UInt64Type>();
    let ts = column("ts");
    let ts = ts.as_primitive::<TimestampMicrosecondType>();
    let payload = column("payload");
    let payload = payload.as_string::<i32>();
    let problem = column("problem");
    let problem = problem.as_string::<i32>();
    let raw = column("raw");
    let raw = raw.as_string::<i32>();
    for (i, (_, number, text)) in lines.iter().enumerate() {
        assert_eq!(line_no.value(i), *number);
        match serde_json::from_str::<Value>(text) {
            Ok(line) => {
                assert!(problem.is_null(i) && raw.is_null(i), "{text}");
                assert_eq!(Some(seq.value(i)), line["seq"].as_u64());
                let when = chrono::DateTime::parse_from_rfc3339(line["ts"].as_str().unwrap())
                    .unwrap()
                    .timestamp_micros();
                assert_eq!(ts.value(i), when);
                let mut rest = line.as_object().unwrap().clone();
                for k in [
                    "ts",
                    "event_type",
                    "session_id",
                    "seq",
                    "experiment_id",
                    "run_id",
                    "parent_run_id",
                    "non_finite",
                ] {
                    rest.remove(k);
                }
                let got: Value = serde_json::from_str(payload.value(i)).unwrap();
                assert_eq!(got, Value::Object(rest), "{text}");
            }
            Err(_) => {
                assert!(seq.is_null(i) && ts.is_null(i) && payload.is_null(i));
                let expected = match text.as_str() {
                    "{not json}" => "not JSON: key must be a string",
                    _ => "truncated last line (EOF while parsing a string",
                };
                assert!(
                    problem.value(i).starts_with(expected),
                    "{}",
                    problem.value(i)
                );
                assert_eq!(raw.value(i), text);
            }
        }
    }

    // runs.parquet: runs' columns, typed by their values, then the extras.
    let (batch, _) = read(&dir.path().join("tables/runs.parquet"));
    let runs = provenance(dir.path(), &["runs", "logs", "--csv"]);
    let header: Vec<&str> = runs.stdout.lines().next().unwrap().split(',').collect();
    assert_eq!(batch.num_rows(), runs.stdout.lines().count() - 1);
    let typed = types(&batch);
    let (own, extra) = typed.split_at(typed.len() - 8);
    let own: Vec<&str> = own.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(own, header, "runs' columns, in runs' order");
    let type_of = |name: &str| {
        typed
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    for (name, expected) in [
        ("session", DataType::Utf8),
        ("start", utc()),
        ("dirty", DataType::Boolean),
        ("duration_ms", DataType::Float64),
        ("config.window", DataType::Int64),
        ("config.neg", DataType::Int64),
        ("config.big", DataType::UInt64),
        ("config.hurdle", DataType::Float64),
        ("config.flag", DataType::Boolean),
        ("config.mixed", DataType::Utf8),
        ("config.xs", DataType::Utf8),
        ("config.label", DataType::Utf8),
        ("config.opt.lr", DataType::Float64),
        ("metric.trades", DataType::Float64),
        ("random_seed", DataType::UInt64),
        ("root_seed", DataType::UInt64),
    ] {
        assert_eq!(type_of(name), expected, "{name}");
    }
    assert_eq!(
        extra.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        [
            "git_sha",
            "config_hash",
            "random_seed",
            "root_seed",
            "parent_run_id",
            "version",
            "error",
            "log"
        ]
    );
    let seeds = batch.column_by_name("random_seed").unwrap().clone();
    let seeds = seeds.as_primitive::<UInt64Type>();
    let run = batch.column_by_name("run").unwrap().clone();
    let run = run.as_string::<i32>();
    let session = batch.column_by_name("session").unwrap().clone();
    let session = session.as_string::<i32>();
    let seed_of = |s: &str, r: &str| {
        (0..batch.num_rows())
            .find(|&i| session.value(i) == s && run.value(i) == r)
            .map(|i| seeds.value(i))
    };
    assert_eq!(seed_of("sess_1", "sweep#1"), Some(SEED_1));
    assert_eq!(seed_of("sess_1", "sweep#2"), Some(SEED_2));
    assert_eq!(seed_of("sess_2", "sweep#1"), Some(7));
    let big = batch.column_by_name("config.big").unwrap().clone();
    assert_eq!(big.as_primitive::<UInt64Type>().value(0), u64::MAX);
}

#[test]
fn pyarrow_and_duckdb_read_what_the_logs_say() {
    let dir = sweep();
    export(dir.path(), "tables");
    let runs = provenance(dir.path(), &["runs", "logs", "--json"]);
    assert_eq!(runs.code, 0, "{runs:?}");
    std::fs::write(dir.path().join("runs.json"), &runs.stdout).unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/export_parquet/read_tables.py"
    );
    // What was read, and what was skipped, goes to the test's log.
    let Some(ReaderReport { success, report }) = run_reader("export_parquet", script, dir.path())
    else {
        return;
    };
    assert!(success, "a reader misread the tables:\n{report}");
    for reader in ["pyarrow", "duckdb"] {
        assert!(
            report.contains(&format!("{reader}: events.parquet"))
                || report.contains(&format!("{reader}: not installed")),
            "{report}"
        );
    }
}

#[test]
fn a_large_log_is_written_in_row_groups_of_64_ki_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::new(
        "sess_big",
        Some("big"),
        "2026-11-24T09:00:00.000000Z",
        SHA_A,
        false,
    );
    let n = 70_000u64;
    for i in 0..n {
        s.line(
            &format!("2026-11-24T09:00:01.{i:06}Z"),
            "tick",
            json!({"i": i}),
        );
    }
    std::fs::write(dir.path().join("big.ndjson"), s.text()).unwrap();
    let outcome = provenance(
        dir.path(),
        &["export", "parquet", "big.ndjson", "--out", "t"],
    );
    assert_eq!(outcome.code, 0, "{outcome:?}");
    let file = File::open(dir.path().join("t/events.parquet")).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let groups = builder.metadata().row_groups();
    assert_eq!(
        groups.iter().map(|g| g.num_rows()).collect::<Vec<_>>(),
        [65_536, n as i64 + 1 - 65_536]
    );
    let mut rows = 0u64;
    for batch in builder.build().unwrap() {
        let batch = batch.unwrap();
        // Every batch the writer flushed kept the time zone.
        assert_eq!(batch.schema().field(0).data_type(), &utc());
        let seq = batch.column(3).as_primitive::<UInt64Type>();
        let ts = batch.column(0).as_primitive::<TimestampMicrosecondType>();
        for i in 0..batch.num_rows() {
            assert_eq!(seq.value(i), rows);
            if rows > 0 {
                let micro = (rows - 1) as i64;
                assert_eq!(ts.value(i), 1_795_510_801_000_000 + micro);
            }
            rows += 1;
        }
    }
    assert_eq!(rows, n + 1);
    assert!(!dir.path().join("t/events.parquet.partial").exists());
}

/// A metric's NaN and infinities are float64 values in `runs.parquet`, not
/// text that would turn the whole column (every run's metric) to strings.
#[test]
fn non_finite_metrics_stay_float64() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("logs")).unwrap();
    let mut s = Session::new(
        "sess_1",
        Some("exp"),
        "2026-11-24T09:00:00.000000Z",
        SHA_A,
        false,
    );
    s.init(
        "2026-11-24T09:00:01.000000Z",
        "fit#1",
        "fit",
        json!({"lr": 0.1}),
    );
    s.result_with_series(
        "2026-11-24T09:00:02.000000Z",
        json!({"sharpe": 1.5}),
        json!({"loss": {"last": 0.5, "min": 0.25, "max": 0.9, "count": 3}}),
    );
    s.init(
        "2026-11-24T09:00:03.000000Z",
        "fit#2",
        "fit",
        json!({"lr": 0.2}),
    );
    s.result_with_series(
        "2026-11-24T09:00:04.000000Z",
        json!({"sharpe": null}),
        json!({"loss": {"last": null, "min": null, "max": null, "count": 3}}),
    );
    // The NaN and infinities, as the writer marks them.
    let mut text = s.text().trim_end().to_string();
    text.pop();
    text.push_str(
        r#","non_finite":[{"pointer":"/final_metrics/sharpe","value":"NaN"},{"pointer":"/metrics/loss/last","value":"NaN"},{"pointer":"/metrics/loss/min","value":"-Infinity"},{"pointer":"/metrics/loss/max","value":"Infinity"}]}"#,
    );
    std::fs::write(dir.path().join("logs/a.ndjson"), text + "\n").unwrap();
    export(dir.path(), "tables");
    let (runs, _) = read(&dir.path().join("tables/runs.parquet"));
    let float = |name: &str| -> Vec<f64> {
        let column = runs
            .column_by_name(name)
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(column.data_type(), &DataType::Float64, "{name}");
        let values = column.as_primitive::<arrow_array::types::Float64Type>();
        (0..values.len()).map(|i| values.value(i)).collect()
    };
    let sharpe = float("metric.sharpe");
    assert!(sharpe[0] == 1.5 && sharpe[1].is_nan(), "{sharpe:?}");
    let last = float("metric.loss");
    assert!(last[0] == 0.5 && last[1].is_nan(), "{last:?}");
    assert_eq!(float("metric.loss.min"), [0.25, f64::NEG_INFINITY]);
    assert_eq!(float("metric.loss.max"), [0.9, f64::INFINITY]);
}

#[test]
fn errors_name_the_path_and_exit_2() {
    let dir = sweep();
    std::fs::write(dir.path().join("taken"), "a file, not a folder").unwrap();
    let outcome = provenance(dir.path(), &["export", "parquet", "logs", "--out", "taken"]);
    assert_eq!(outcome.code, 2, "{outcome:?}");
    assert!(
        outcome
            .stderr
            .contains("cannot write taken: cannot create the folder"),
        "{}",
        outcome.stderr
    );

    let outcome = provenance(
        dir.path(),
        &["export", "parquet", "missing.ndjson", "--out", "t"],
    );
    assert_eq!(outcome.code, 2, "{outcome:?}");
    assert!(
        outcome.stderr.contains("cannot open missing.ndjson"),
        "{}",
        outcome.stderr
    );

    let outcome = provenance(dir.path(), &["export", "parquet", "-", "--out", "t"]);
    assert_eq!(outcome.code, 2, "{outcome:?}");
    assert!(
        outcome.stderr.contains("standard input (-)"),
        "{}",
        outcome.stderr
    );
}
