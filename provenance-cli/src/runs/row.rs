//! One row of `runs`: a run's columns, named as the user filters and sorts
//! by them, and how two cells compare.

use std::cmp::Ordering;

use serde_json::Value;

use crate::scan::{Run, Session};

/// The columns every row has, in the order they are shown; then come
/// `config.*` and `metric.*`, each sorted by name.
pub(crate) const FIXED: [&str; 9] = [
    "session",
    "run",
    "experiment",
    "algorithm",
    "start",
    "commit",
    "dirty",
    "status",
    "duration_ms",
];

/// A run's cells, by column name (`null` where the log says nothing).
#[derive(Debug)]
pub(crate) struct Row {
    pub(crate) cells: Vec<(String, Value)>,
}

impl Row {
    /// The row of `run` of `session`.
    pub(crate) fn new(session: &Session, run: &Run) -> Row {
        let (sha, dirty) = session.git();
        let short = session
            .context
            .as_ref()
            .and_then(|c| c["git"]["short_sha"].as_str())
            .or_else(|| sha.map(|s| &s[..s.len().min(7)]));
        let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::String(s.to_string()));
        let status = match &run.status {
            Some(s) => Value::String(s.clone()),
            None => Value::String("unfinished".into()),
        };
        let mut cells = vec![
            ("session".to_string(), Value::String(session.id.clone())),
            ("run".to_string(), Value::String(run.id.clone())),
            (
                "experiment".to_string(),
                text(session.experiment_id.as_deref()),
            ),
            ("algorithm".to_string(), text(run.algorithm_name.as_deref())),
            ("start".to_string(), text(run.start_ts.as_deref())),
            ("commit".to_string(), text(short)),
            ("dirty".to_string(), dirty.map_or(Value::Null, Value::Bool)),
            ("status".to_string(), status),
            (
                "duration_ms".to_string(),
                run.duration_ms
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number),
            ),
        ];
        let mut config = Vec::new();
        if let Some(c) = &run.config {
            flatten("config", c, &mut config);
        }
        config.sort_by(|a, b| a.0.cmp(&b.0));
        let mut metrics = Vec::new();
        if let Some(m) = &run.final_metrics {
            flatten("metric", m, &mut metrics);
        }
        metrics.sort_by(|a, b| a.0.cmp(&b.0));
        cells.extend(config);
        cells.extend(metrics);
        Row { cells }
    }

    /// The cell of `column`, if the row has it.
    pub(crate) fn get(&self, column: &str) -> Option<&Value> {
        self.cells
            .iter()
            .find(|(name, _)| name == column)
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }
}

/// `prefix.key` for every leaf of `value`; nested objects join their keys
/// with dots, arrays stay one cell (shown as JSON).
fn flatten(prefix: &str, value: &Value, into: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            // An empty object (no metrics, no config) adds no column.
            for (key, v) in map {
                flatten(&format!("{prefix}.{key}"), v, into);
            }
        }
        Value::Null => {}
        other => into.push((prefix.to_string(), other.clone())),
    }
}

/// A cell as text: a string as it is, anything else as JSON.
pub(crate) fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The number a cell holds, or would read as (`"0.05"`).
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok().filter(|f: &f64| f.is_finite()),
        _ => None,
    }
}

/// Two cells compared as numbers when both are numbers, else as text.
pub(crate) fn compare(a: &Value, b: &Value) -> Ordering {
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => text(a).cmp(&text(b)),
    }
}
