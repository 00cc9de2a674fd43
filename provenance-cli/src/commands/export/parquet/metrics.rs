//! `metrics.parquet`: every point of every metric series a row (`metrics`
//! lines: a batch of one series' points), streamed as `events.parquet` is,
//! its value a DOUBLE with NaN and ±infinity kept as IEEE values (the
//! line's `non_finite` list says which `null` stands for which).

use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{
    Float64Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use serde_json::Value;

use super::file::{ROW_GROUP_ROWS, TableFile, Written};
use crate::error::CliError;
use crate::ops::line::{EnvelopeRef, Payload, timestamp_micros};

/// The event type of a batch of points.
pub(super) const EVENT_TYPE: &str = "metrics";

/// The columns, in order, with their types and whether they can be null.
fn schema() -> Arc<Schema> {
    let text = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        text("session_id", false),
        text("run_id", true),
        text("name", true),
        Field::new("step", DataType::Int64, true),
        Field::new("value", DataType::Float64, true),
        Field::new(
            "ts",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            true,
        ),
    ]))
}

/// The builders of one record batch, and the file they go to.
pub(super) struct MetricsTable {
    file: TableFile,
    schema: Arc<Schema>,
    session_id: StringBuilder,
    run_id: StringBuilder,
    name: StringBuilder,
    step: Int64Builder,
    value: Float64Builder,
    ts: TimestampMicrosecondBuilder,
    rows: usize,
    /// Rows written in all.
    pub(super) total: u64,
}

impl MetricsTable {
    pub(super) fn create(path: &Path) -> Result<MetricsTable, CliError> {
        let schema = schema();
        Ok(MetricsTable {
            file: TableFile::create(path, schema.clone())?,
            schema,
            session_id: StringBuilder::new(),
            run_id: StringBuilder::new(),
            name: StringBuilder::new(),
            step: Int64Builder::new(),
            value: Float64Builder::new(),
            ts: TimestampMicrosecondBuilder::new().with_timezone("UTC"),
            rows: 0,
            total: 0,
        })
    }

    /// Appends the points of a `metrics` line: `steps[i]` with `values[i]`
    /// (a step that is not an integer, or a value neither a number nor a
    /// non-finite `null`, is a null cell).
    pub(super) fn add(
        &mut self,
        envelope: &EnvelopeRef<'_>,
        payload: Payload<'_>,
    ) -> Result<(), CliError> {
        let array = |key| match payload.value(key) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        let (steps, values) = (array("steps"), array("values"));
        let non_finite = array("non_finite");
        let special = |i: usize| {
            let pointer = format!("/values/{i}");
            non_finite
                .iter()
                .find(|e| e["pointer"].as_str() == Some(&pointer))
                .and_then(|e| match e["value"].as_str()? {
                    "NaN" => Some(f64::NAN),
                    "Infinity" => Some(f64::INFINITY),
                    "-Infinity" => Some(f64::NEG_INFINITY),
                    _ => None,
                })
        };
        let name = payload.str("name");
        let ts = timestamp_micros(envelope.ts);
        for i in 0..steps.len().max(values.len()) {
            self.session_id.append_value(envelope.session_id);
            self.run_id.append_option(envelope.run_id);
            self.name.append_option(name);
            self.step
                .append_option(steps.get(i).and_then(Value::as_i64));
            let value = match values.get(i) {
                Some(Value::Number(n)) => n.as_f64(),
                Some(Value::Null) => special(i),
                _ => None,
            };
            self.value.append_option(value);
            self.ts.append_option(ts);
            self.rows += 1;
            self.total += 1;
            if self.rows >= ROW_GROUP_ROWS {
                self.flush()?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), CliError> {
        if self.rows == 0 {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.session_id.finish()),
            Arc::new(self.run_id.finish()),
            Arc::new(self.name.finish()),
            Arc::new(self.step.finish()),
            Arc::new(self.value.finish()),
            Arc::new(self.ts.finish()),
        ];
        let batch =
            RecordBatch::try_new(self.schema.clone(), columns).map_err(|e| self.file.error(&e))?;
        self.rows = 0;
        self.file.write(&batch)
    }

    pub(super) fn finish(mut self) -> Result<Written, CliError> {
        self.flush()?;
        self.file.finish()
    }
}
