//! `export parquet`: a sweep's logs as three Parquet tables, `runs.parquet`
//! (one row a run: `provenance runs`' columns, typed), `events.parquet`
//! (one row a log line: the envelope typed, the payload as JSON text) and
//! `metrics.parquet` (one row a point of a metric series), for DuckDB,
//! pandas, Polars or Spark to query without parsing NDJSON.
//!
//! The tables are written side by side, on two threads (`metrics.parquet`
//! from the same pass over the lines as `events.parquet`): the runs need
//! a whole scan of each file (`crate::ops::scan`, as `runs` does), the events
//! one pass over its lines, appended to Arrow builders and written every
//! 64 Ki rows, so memory grows with the runs, never with the lines.
//! Both are written under partial names and renamed together at the end
//! (`pair.rs`): an export that fails leaves the old pair as it was.
//! `events.rs` and `runs.rs` build the tables, `file.rs` writes a Parquet
//! file, `json.rs` writes a payload back as JSON; `ts` is read by
//! [`crate::ops::line::timestamp_micros`], as `validate` judges it.

mod events;
mod file;
mod json;
mod metrics;
mod pair;
mod runs;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::CliError;
use crate::output::out;

/// Bad lines warned about one by one on stderr; the rest are counted (the
/// table's `problem` column names every one).
const MAX_WARNINGS: u64 = 10;

/// Runs `export parquet`: writes `DIR/runs.parquet`, `DIR/events.parquet`
/// and `DIR/metrics.parquet` from `logs` and prints what it wrote. Exit 0;
/// lines that are not valid log lines are rows too, warned about on `err`.
pub(crate) fn run(
    logs: &[PathBuf],
    dir: &Path,
    max_line: usize,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, CliError> {
    if logs.iter().any(|p| p == Path::new("-")) {
        return Err(CliError::Usage(
            "export parquet: standard input (-) cannot be exported: each log is read twice \
             (for runs.parquet and for events.parquet); save it to a file and give that"
                .into(),
        ));
    }
    let files = crate::ops::log_paths::expand(logs)?;
    std::fs::create_dir_all(dir).map_err(|e| CliError::WriteTable {
        path: dir.to_path_buf(),
        message: format!("cannot create the folder: {e}"),
    })?;
    let runs_path = dir.join("runs.parquet");
    let events_path = dir.join("events.parquet");
    let metrics_path = dir.join("metrics.parquet");
    for path in [&runs_path, &events_path, &metrics_path] {
        // Checked before the work: a folder there could not be replaced.
        if path.symlink_metadata().is_ok_and(|m| m.is_dir()) {
            return Err(CliError::WriteTable {
                path: path.clone(),
                message: "a folder has this name; remove it or choose another --out".into(),
            });
        }
    }
    let mut warned = 0u64;
    let mut on_bad = |file: &str, line: u64, problem: &str| -> Result<(), CliError> {
        warned += 1;
        if warned <= MAX_WARNINGS {
            writeln!(err, "provenance: warning: {file}:{line}: {problem}")
                .map_err(CliError::Output)?;
        }
        Ok(())
    };
    let (runs, events) = std::thread::scope(|s| {
        let runs = s.spawn(|| runs::export(&files, max_line, &runs_path));
        let events = metrics::MetricsTable::create(&metrics_path).and_then(|mut metrics| {
            let events = events::export(&files, max_line, &events_path, &mut metrics, &mut on_bad)?;
            let points = metrics.total;
            Ok((events, metrics.finish()?, points))
        });
        let runs = runs
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (runs, events)
    });
    // Any error drops the other tables, which removes their files.
    let ((runs, runs_table), ((events, events_table), metrics_table, points)) = (runs?, events?);
    pair::publish(&mut [runs_table, events_table, metrics_table])?;
    if events.bad > MAX_WARNINGS {
        writeln!(
            err,
            "provenance: warning: … and {} more lines that are not valid log lines (column \
             problem of events.parquet names each)",
            events.bad - MAX_WARNINGS
        )
        .map_err(CliError::Output)?;
    }
    for warning in &runs.warnings {
        writeln!(err, "provenance: warning: {warning}").map_err(CliError::Output)?;
    }
    out!(
        out,
        "wrote {} run(s), {} columns, to {}",
        runs.rows,
        runs.columns,
        runs_path.display()
    );
    out!(
        out,
        "wrote {} event(s) from {} file(s) to {}",
        events.rows,
        files.len(),
        events_path.display()
    );
    out!(
        out,
        "wrote {points} metric point(s) to {}",
        metrics_path.display()
    );
    if events.bad > 0 {
        out!(
            out,
            "{} of them not valid log lines: their problem column says why",
            events.bad
        );
    }
    if events.skipped > 0 {
        out!(
            out,
            "skipped {} line(s) of program output (not starting with {{)",
            events.skipped
        );
    }
    Ok(0)
}
