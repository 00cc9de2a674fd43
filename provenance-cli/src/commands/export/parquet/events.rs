//! `events.parquet`: every log line a row, its envelope in typed columns
//! and its payload as JSON text, streamed: lines are appended to Arrow
//! builders and written as a record batch every [`ROW_GROUP_ROWS`] rows
//! (or [`BATCH_BYTES`] of text), so memory stays bounded however large
//! the logs are.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{StringBuilder, TimestampMicrosecondBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};

use super::file::{BATCH_BYTES, ROW_GROUP_ROWS, TableFile, Written};
use super::json::{write_non_finite, write_payload};
use super::metrics::{self, MetricsTable};
use crate::error::CliError;
use crate::ops::line::tape::Tape;
use crate::ops::line::timestamp_micros;
use crate::ops::line::{self, EnvelopeRef, Payload};
use crate::ops::reader::LogReader;

/// The columns, in order, with their types and whether they can be null.
fn schema() -> Arc<Schema> {
    let text = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        Field::new(
            "ts",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            true,
        ),
        text("event_type", true),
        text("session_id", true),
        Field::new("seq", DataType::UInt64, true),
        text("experiment_id", true),
        text("run_id", true),
        text("parent_run_id", true),
        text("payload", true),
        text("non_finite", true),
        text("file", false),
        Field::new("line", DataType::UInt64, false),
        text("problem", true),
        text("raw", true),
    ]))
}

/// What the export of the events found.
#[derive(Debug, Default)]
pub(super) struct EventCounts {
    /// Rows written: every log line.
    pub(super) rows: u64,
    /// Of them, lines that are not a valid log line (or whose `ts` is not
    /// a real time): their `problem` says why.
    pub(super) bad: u64,
    /// Lines skipped as program output (not starting with `{`).
    pub(super) skipped: u64,
}

/// A bad line, for the caller to warn about: file, line number, what is
/// wrong and what was exported.
pub(super) type OnBadLine<'a> = dyn FnMut(&str, u64, &str) -> Result<(), CliError> + 'a;

/// Writes every log line of `files` to `path` (under its partial name),
/// and the points of its `metrics` lines to `metrics`.
pub(super) fn export(
    files: &[PathBuf],
    max_line: usize,
    path: &Path,
    metrics: &mut MetricsTable,
    on_bad: &mut OnBadLine<'_>,
) -> Result<(EventCounts, Written), CliError> {
    let mut table = EventsTable::create(path)?;
    let mut counts = EventCounts::default();
    // Reused by every line: once grown, no line allocates.
    let mut tape = Tape::default();
    for file in files {
        let mut reader = LogReader::open(file, max_line)?;
        let name = reader.name().to_string();
        while let Some(raw) = reader.next_line()? {
            if !raw.is_log_line {
                counts.skipped += 1;
                continue;
            }
            let number = raw.number;
            let size = raw.bytes.len() + name.len();
            let problem = match line::read(&raw, &mut tape) {
                Ok((envelope, payload)) => {
                    if envelope.event_type == metrics::EVENT_TYPE {
                        metrics.add(&envelope, payload)?;
                    }
                    table
                        .event(&name, number, envelope, payload)?
                        .map(|p| (p, "exported with a null ts, the rest as read"))
                }
                Err(problem) => {
                    let problem = problem.to_string();
                    let text = (raw.too_long.is_none()).then(|| String::from_utf8_lossy(raw.bytes));
                    table.bad(&name, number, text.as_deref(), &problem);
                    let note = match text {
                        Some(_) => "exported with a null envelope, the line in column raw",
                        None => "exported with a null envelope and a null raw",
                    };
                    Some((problem, note))
                }
            };
            tape.shrink();
            counts.rows += 1;
            if let Some((problem, note)) = problem {
                counts.bad += 1;
                on_bad(&name, number, &format!("{problem}; {note}"))?;
            }
            table.grew(size)?;
        }
    }
    Ok((counts, table.finish()?))
}

/// The builders of one record batch, and the file they go to.
struct EventsTable {
    file: TableFile,
    schema: Arc<Schema>,
    ts: TimestampMicrosecondBuilder,
    event_type: StringBuilder,
    session_id: StringBuilder,
    seq: UInt64Builder,
    experiment_id: StringBuilder,
    run_id: StringBuilder,
    parent_run_id: StringBuilder,
    payload: StringBuilder,
    non_finite: StringBuilder,
    name: StringBuilder,
    line: UInt64Builder,
    problem: StringBuilder,
    raw: StringBuilder,
    rows: usize,
    bytes: usize,
}

impl EventsTable {
    fn create(path: &Path) -> Result<EventsTable, CliError> {
        let schema = schema();
        Ok(EventsTable {
            file: TableFile::create(path, schema.clone())?,
            schema,
            ts: TimestampMicrosecondBuilder::new().with_timezone("UTC"),
            event_type: StringBuilder::new(),
            session_id: StringBuilder::new(),
            seq: UInt64Builder::new(),
            experiment_id: StringBuilder::new(),
            run_id: StringBuilder::new(),
            parent_run_id: StringBuilder::new(),
            payload: StringBuilder::new(),
            non_finite: StringBuilder::new(),
            name: StringBuilder::new(),
            line: UInt64Builder::new(),
            problem: StringBuilder::new(),
            raw: StringBuilder::new(),
            rows: 0,
            bytes: 0,
        })
    }

    /// Appends a log line; returns its problem when its `ts` is not a real
    /// time (the row is written, with a null `ts`).
    fn event(
        &mut self,
        file: &str,
        line: u64,
        envelope: EnvelopeRef<'_>,
        payload: Payload<'_>,
    ) -> Result<Option<String>, CliError> {
        let ts = timestamp_micros(envelope.ts);
        self.ts.append_option(ts);
        self.event_type.append_value(envelope.event_type);
        self.session_id.append_value(envelope.session_id);
        self.seq.append_value(envelope.seq);
        self.experiment_id.append_option(envelope.experiment_id);
        self.run_id.append_option(envelope.run_id);
        self.parent_run_id.append_option(envelope.parent_run_id);
        // Written straight into the column's buffer, then closed as one
        // value (a failure of `fmt::Write` on a builder cannot happen).
        let written = write_payload(payload, &mut self.payload)
            .and_then(|()| write_non_finite(payload, &mut self.non_finite));
        let Ok(has_non_finite) = written else {
            let message = format!("{file}:{line}: its payload could not be written as JSON");
            return Err(self.file.error(&message));
        };
        self.payload.append_value("");
        if has_non_finite {
            self.non_finite.append_value("");
        } else {
            self.non_finite.append_null();
        }
        self.name.append_value(file);
        self.line.append_value(line);
        let problem = ts.is_none().then(|| {
            format!(
                "envelope field \"ts\": {:?} is not a real time",
                envelope.ts
            )
        });
        self.problem.append_option(problem.as_deref());
        self.raw.append_null();
        Ok(problem)
    }

    /// Appends a line that is not a log line: every envelope column null,
    /// the text (when kept: not too long) in `raw`, the problem named.
    fn bad(&mut self, file: &str, line: u64, text: Option<&str>, problem: &str) {
        self.ts.append_null();
        for column in [
            &mut self.event_type,
            &mut self.session_id,
            &mut self.experiment_id,
            &mut self.run_id,
            &mut self.parent_run_id,
            &mut self.payload,
            &mut self.non_finite,
        ] {
            column.append_null();
        }
        self.seq.append_null();
        self.name.append_value(file);
        self.line.append_value(line);
        self.problem.append_value(problem);
        self.raw.append_option(text);
    }

    /// Counts a row of `bytes` and writes the batch when it is full.
    fn grew(&mut self, bytes: usize) -> Result<(), CliError> {
        self.rows += 1;
        self.bytes += bytes;
        if self.rows >= ROW_GROUP_ROWS || self.bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), CliError> {
        if self.rows == 0 {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.ts.finish()),
            Arc::new(self.event_type.finish()),
            Arc::new(self.session_id.finish()),
            Arc::new(self.seq.finish()),
            Arc::new(self.experiment_id.finish()),
            Arc::new(self.run_id.finish()),
            Arc::new(self.parent_run_id.finish()),
            Arc::new(self.payload.finish()),
            Arc::new(self.non_finite.finish()),
            Arc::new(self.name.finish()),
            Arc::new(self.line.finish()),
            Arc::new(self.problem.finish()),
            Arc::new(self.raw.finish()),
        ];
        let batch =
            RecordBatch::try_new(self.schema.clone(), columns).map_err(|e| self.file.error(&e))?;
        self.rows = 0;
        self.bytes = 0;
        self.file.write(&batch)
    }

    fn finish(mut self) -> Result<Written, CliError> {
        self.flush()?;
        self.file.finish()
    }
}
