//! `provenance export parquet`'s `metrics.parquet` (issue 25): a row per
//! point of every metric series, NaN and ±infinity kept as IEEE values,
//! and `runs.parquet`'s series columns. Read back with the `parquet`
//! crate here, and by pyarrow and DuckDB
//! (`tests/export_parquet/read_metrics.py`), which compare each point with
//! the logs; without them that test says it skipped them, except under
//! `PROVENANCE_READERS_REQUIRED=1` (CI).
#![cfg(feature = "parquet")]

mod support;

use std::fs::File;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use provenance_test_support::provenance;
use provenance_test_support::readers::{ReaderReport, readers_required, run_reader};
use serde_json::json;
use support::handmade::Session;

const SHA: &str = "aaaaaaa1111111111111111111111111111111111";

/// `logs/s.ndjson`: run `fit#1` with series `loss` in two batches (a NaN,
/// +inf, -inf among them) and `acc`, and a session-level series `lr`.
fn logs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("logs")).unwrap();
    let mut s = Session::new(
        "sess_m",
        Some("exp"),
        "2026-12-06T10:00:00.000000Z",
        SHA,
        false,
    );
    s.series("2026-12-06T10:00:00.500000Z", "lr", &[0], &[0.1]);
    s.init(
        "2026-12-06T10:00:01.000000Z",
        "fit#1",
        "fit",
        json!({"k": 1}),
    );
    s.series(
        "2026-12-06T10:00:01.100000Z",
        "loss",
        &[0, 1, 2],
        &[0.9, f64::NAN, f64::INFINITY],
    );
    s.series(
        "2026-12-06T10:00:01.200000Z",
        "loss",
        &[3, 4],
        &[f64::NEG_INFINITY, 0.41],
    );
    s.series("2026-12-06T10:00:01.300000Z", "acc", &[10, -1], &[0.5, 0.7]);
    s.result_with_series(
        "2026-12-06T10:00:02.000000Z",
        json!({"sharpe": 1.5}),
        json!({"loss": {"last": 0.41, "min": 0.41, "max": 0.9, "count": 5},
               "acc": {"last": 0.7, "min": 0.5, "max": 0.7, "count": 2}}),
    );
    std::fs::write(dir.path().join("logs/s.ndjson"), s.text()).unwrap();
    dir
}

fn table(path: &std::path::Path) -> RecordBatch {
    let file = File::open(path).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    assert_eq!(batches.len(), 1, "a small table is one batch");
    batches.pop().unwrap()
}

#[test]
fn every_point_is_a_row_with_its_ieee_value() {
    let dir = logs();
    let out = provenance(dir.path(), &["export", "parquet", "logs", "--out", "t"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .contains("wrote 8 metric point(s) to t/metrics.parquet"),
        "{}",
        out.stdout
    );
    let batch = table(&dir.path().join("t/metrics.parquet"));
    let names: Vec<_> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(
        names,
        ["session_id", "run_id", "name", "step", "value", "ts"]
    );
    assert_eq!(batch.schema().field(3).data_type(), &DataType::Int64);
    assert_eq!(batch.schema().field(4).data_type(), &DataType::Float64);
    assert_eq!(
        batch.schema().field(5).data_type(),
        &DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
    );
    assert_eq!(batch.num_rows(), 8);
    let run = batch.column(1).as_string::<i32>();
    let name = batch.column(2).as_string::<i32>();
    let step = batch.column(3).as_primitive::<Int64Type>();
    let value = batch.column(4).as_primitive::<Float64Type>();
    let ts = batch.column(5).as_primitive::<TimestampMicrosecondType>();
    assert!(run.is_null(0), "the session's own series");
    assert_eq!(
        (name.value(0), step.value(0), value.value(0)),
        ("lr", 0, 0.1)
    );
    assert_eq!((run.value(1), name.value(1)), ("fit#1", "loss"));
    assert!(value.value(2).is_nan());
    assert_eq!(value.value(3), f64::INFINITY);
    assert_eq!((step.value(4), value.value(4)), (3, f64::NEG_INFINITY));
    assert_eq!((step.value(7), value.value(7)), (-1, 0.7));
    assert_eq!(value.null_count(), 0);
    // 2026-12-06T10:00:01.200000Z, the second batch's ts.
    assert_eq!(ts.value(4), 1_796_551_201_200_000);

    let runs = table(&dir.path().join("t/runs.parquet"));
    let column = |n: &str| {
        runs.column_by_name(n)
            .unwrap_or_else(|| panic!("{n}"))
            .clone()
    };
    assert_eq!(
        column("metric.loss").as_primitive::<Float64Type>().value(0),
        0.41
    );
    assert_eq!(
        column("metric.loss.max")
            .as_primitive::<Float64Type>()
            .value(0),
        0.9
    );
    assert_eq!(column("metric.loss.count").data_type(), &DataType::Int64);
    assert_eq!(
        column("metric.acc.count")
            .as_primitive::<Int64Type>()
            .value(0),
        2
    );
}

#[test]
fn pyarrow_and_duckdb_read_the_points() {
    let dir = logs();
    let out = provenance(
        dir.path(),
        &["export", "parquet", "logs", "--out", "tables"],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/export_parquet/read_metrics.py"
    );
    let Some(ReaderReport { success, report }) =
        run_reader("export_parquet_metrics", script, dir.path())
    else {
        return;
    };
    assert!(success, "a reader misread metrics.parquet:\n{report}");
    for reader in ["pyarrow", "duckdb"] {
        assert!(
            report.contains(&format!("{reader}: 8 points agree"))
                || (!readers_required() && report.contains(&format!("{reader}: not installed"))),
            "{report}"
        );
    }
}
