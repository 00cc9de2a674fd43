//! `runs.parquet`: the rows of `provenance runs`, built by its own code
//! (`crate::commands::runs::row`), in its column order, each column typed; then the
//! columns its table has no room for (full commit, hashes, seeds as exact
//! `u64`, the log).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
    UInt64Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use serde_json::Value;

use super::file::{ROW_GROUP_ROWS, TableFile, Written};
use crate::commands::runs::row::{Cell, Columns, FIXED, Kind, Row};
use crate::commands::runs::table;
use crate::error::CliError;
use crate::ops::line::timestamp_micros;
use crate::ops::scan::{Run, ScanOptions, Session, scan};
use crate::ops::schemas::Schemas;
use crate::seed::seed_u64;

/// The columns after `provenance runs`' own, in order.
const EXTRA: [&str; 8] = [
    "git_sha",
    "config_hash",
    "random_seed",
    "root_seed",
    "parent_run_id",
    "version",
    "error",
    "log",
];

/// What the export of the runs wrote.
#[derive(Debug, Default)]
pub(super) struct RunCounts {
    /// Rows: runs.
    pub(super) rows: usize,
    /// Columns.
    pub(super) columns: usize,
    /// What the user should know: seeds and times that could not be read.
    pub(super) warnings: Vec<String>,
}

/// A run's columns beyond `provenance runs`' own.
struct Extra {
    git_sha: Option<String>,
    config_hash: Option<String>,
    random_seed: Option<u64>,
    root_seed: Option<u64>,
    parent_run_id: Option<String>,
    version: Option<String>,
    error: Option<String>,
    log: String,
}

/// Reads the runs of `files`, as `provenance runs` does (each file on its
/// own), and writes them to `path` (under its partial name).
pub(super) fn export(
    files: &[PathBuf],
    max_line: usize,
    path: &Path,
) -> Result<(RunCounts, Written), CliError> {
    let options = ScanOptions {
        max_line,
        max_findings: 0,
        ..ScanOptions::default()
    };
    let mut columns = Columns::default();
    let mut rows = Vec::new();
    let mut extras = Vec::new();
    let mut warnings = Vec::new();
    for file in files {
        let scan = scan(std::slice::from_ref(file), &options, Schemas::default())?;
        for session in &scan.sessions {
            for run in &session.runs {
                rows.push(Row::new(session, run, &mut columns));
                extras.push(extra(session, run, &mut warnings));
            }
        }
    }
    let ids = table::columns(&rows, &columns);
    let mut fields = Vec::new();
    let mut types = Vec::new();
    for &id in &ids {
        let kind = match id as usize {
            i if i < FIXED.len() => FIXED_TYPES[i],
            _ => infer(
                rows.iter().filter_map(|r| r.get(id)),
                columns.name(id).starts_with("metric."),
            ),
        };
        fields.push(Field::new(columns.name(id), kind.arrow(), true));
        types.push(kind);
    }
    for name in EXTRA {
        let data_type = match name {
            "random_seed" | "root_seed" => DataType::UInt64,
            _ => DataType::Utf8,
        };
        fields.push(Field::new(name, data_type, name != "log"));
    }
    let schema = Arc::new(Schema::new(fields));
    let mut out = TableFile::create(path, schema.clone())?;
    for (chunk, extra) in rows
        .chunks(ROW_GROUP_ROWS)
        .zip(extras.chunks(ROW_GROUP_ROWS))
    {
        let mut arrays: Vec<ArrayRef> = ids
            .iter()
            .zip(&types)
            .map(|(&id, &kind)| column(chunk, id, kind, &columns, &mut warnings))
            .collect();
        arrays.extend(extra_columns(extra));
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| out.error(&e))?;
        out.write(&batch)?;
    }
    let written = out.finish()?;
    let counts = RunCounts {
        rows: rows.len(),
        columns: schema.fields().len(),
        warnings,
    };
    Ok((counts, written))
}

fn extra(session: &Session, run: &Run, warnings: &mut Vec<String>) -> Extra {
    let mut seed = |what: &str, value: Option<&Value>| {
        let value = value.filter(|v| !v.is_null())?;
        let seed = seed_u64(value);
        if seed.is_none() {
            warnings.push(format!(
                "{}: session {} run {}: {what} {value} is not a seed (an integer from 0 to \
                 2^64-1 or \"0x\" and hex digits); exported as null",
                session.file, session.id, run.id
            ));
        }
        seed
    };
    let root = session
        .context
        .as_ref()
        .and_then(|c| Some(&c.root_seed.as_ref()?.seed));
    Extra {
        git_sha: session.git().0.map(String::from),
        config_hash: run.config_hash.clone(),
        random_seed: seed("random_seed", run.random_seed.as_ref()),
        root_seed: seed("root_seed", root),
        parent_run_id: run.parent.clone(),
        version: run.version.clone(),
        error: run.error.clone(),
        log: session.file.clone(),
    }
}

/// A column's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Type {
    /// Text: strings, and any other JSON value as its JSON text.
    Utf8,
    /// `true` / `false`.
    Boolean,
    /// Integers, at least one negative or none above `i64::MAX`.
    Int64,
    /// Integers, none negative, one above `i64::MAX`.
    UInt64,
    /// Numbers, at least one not an integer.
    Float64,
    /// `start`: a contract `ts`.
    Timestamp,
}

impl Type {
    fn arrow(self) -> DataType {
        match self {
            Type::Utf8 => DataType::Utf8,
            Type::Boolean => DataType::Boolean,
            Type::Int64 => DataType::Int64,
            Type::UInt64 => DataType::UInt64,
            Type::Float64 => DataType::Float64,
            Type::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        }
    }
}

/// The types of [`FIXED`], in its order.
const FIXED_TYPES: [Type; 9] = [
    Type::Utf8,      // session
    Type::Utf8,      // run
    Type::Utf8,      // experiment
    Type::Utf8,      // algorithm
    Type::Timestamp, // start
    Type::Utf8,      // commit
    Type::Boolean,   // dirty
    Type::Utf8,      // status
    Type::Float64,   // duration_ms
];

/// What one cell would be alone.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Seen {
    Boolean,
    Integer { negative: bool, big: bool },
    Float,
    Text,
}

/// Words a metric's non-finite value reads as (restored from the line's
/// `non_finite`), which float64 holds.
const NON_FINITE: [&str; 3] = ["NaN", "Infinity", "-Infinity"];

fn seen(cell: Cell<'_>, metric: bool) -> Seen {
    let text = cell.text;
    match cell.kind {
        // A metric is a float (`final_metrics`, a series' summary): its
        // NaN or infinity is one, not text that turns the column to text.
        Kind::Text if metric && NON_FINITE.contains(&text) => Seen::Float,
        Kind::Text => Seen::Text,
        Kind::Json if text == "true" || text == "false" => Seen::Boolean,
        Kind::Json => {
            if let Ok(i) = text.parse::<i64>() {
                Seen::Integer {
                    negative: i < 0,
                    big: false,
                }
            } else if text.parse::<u64>().is_ok() {
                Seen::Integer {
                    negative: false,
                    big: true,
                }
            } else if text.parse::<f64>().is_ok_and(f64::is_finite) {
                // serde_json wrote it from a finite number; an array or
                // anything else does not parse.
                Seen::Float
            } else {
                Seen::Text
            }
        }
    }
}

/// The type of a column holding `cells`: integers int64 (uint64 when one
/// exceeds `i64::MAX` and none is negative), numbers with a float float64
/// (in a `metric` column, NaN and ±infinity too), booleans boolean,
/// anything else (mixed, strings, arrays) text.
fn infer<'r>(cells: impl Iterator<Item = Cell<'r>>, metric: bool) -> Type {
    let mut acc: Option<Seen> = None;
    for cell in cells {
        let next = seen(cell, metric);
        acc = Some(match (acc, next) {
            (None, x) => x,
            (Some(Seen::Boolean), Seen::Boolean) => Seen::Boolean,
            (
                Some(Seen::Integer {
                    negative: a,
                    big: b,
                }),
                Seen::Integer {
                    negative: c,
                    big: d,
                },
            ) => Seen::Integer {
                negative: a || c,
                big: b || d,
            },
            (Some(Seen::Integer { .. } | Seen::Float), Seen::Integer { .. } | Seen::Float) => {
                Seen::Float
            }
            _ => Seen::Text,
        });
        if acc == Some(Seen::Text) {
            break;
        }
    }
    match acc {
        Some(Seen::Boolean) => Type::Boolean,
        // Integers no 64-bit type holds all of: kept exact, as text.
        Some(Seen::Integer {
            negative: true,
            big: true,
        }) => Type::Utf8,
        Some(Seen::Integer { big: true, .. }) => Type::UInt64,
        Some(Seen::Integer { .. }) => Type::Int64,
        Some(Seen::Float) => Type::Float64,
        Some(Seen::Text) | None => Type::Utf8,
    }
}

/// Column `id` of `rows` as an array of `kind`. Every cell parses as its
/// column's type (the type was inferred from the same cells), so a cell
/// that does not is null only in the impossible case.
fn column(
    rows: &[Row],
    id: u32,
    kind: Type,
    columns: &Columns,
    warnings: &mut Vec<String>,
) -> ArrayRef {
    let cells = rows.iter().map(|r| r.get(id).map(|c| c.text));
    match kind {
        Type::Utf8 => {
            let mut b = StringBuilder::new();
            cells.for_each(|c| b.append_option(c));
            Arc::new(b.finish())
        }
        Type::Boolean => {
            let mut b = BooleanBuilder::new();
            cells.for_each(|c| b.append_option(c.map(|t| t == "true")));
            Arc::new(b.finish())
        }
        Type::Int64 => {
            let mut b = Int64Builder::new();
            cells.for_each(|c| b.append_option(c.and_then(|t| t.parse().ok())));
            Arc::new(b.finish())
        }
        Type::UInt64 => {
            let mut b = UInt64Builder::new();
            cells.for_each(|c| b.append_option(c.and_then(|t| t.parse().ok())));
            Arc::new(b.finish())
        }
        Type::Float64 => {
            let mut b = Float64Builder::new();
            cells.for_each(|c| b.append_option(c.and_then(|t| t.parse().ok())));
            Arc::new(b.finish())
        }
        Type::Timestamp => {
            let mut b = TimestampMicrosecondBuilder::new().with_timezone("UTC");
            for c in cells {
                let ts = c.and_then(timestamp_micros);
                if let (Some(text), None) = (c, ts) {
                    warnings.push(format!(
                        "a run's {} {text:?} is not a real time; exported as null",
                        columns.name(id)
                    ));
                }
                b.append_option(ts);
            }
            Arc::new(b.finish())
        }
    }
}

fn extra_columns(extras: &[Extra]) -> Vec<ArrayRef> {
    let text = |f: &dyn Fn(&Extra) -> Option<&str>| -> ArrayRef {
        let mut b = StringBuilder::new();
        extras.iter().for_each(|e| b.append_option(f(e)));
        Arc::new(b.finish())
    };
    let seed = |f: &dyn Fn(&Extra) -> Option<u64>| -> ArrayRef {
        let mut b = UInt64Builder::new();
        extras.iter().for_each(|e| b.append_option(f(e)));
        Arc::new(b.finish())
    };
    vec![
        text(&|e| e.git_sha.as_deref()),
        text(&|e| e.config_hash.as_deref()),
        seed(&|e| e.random_seed),
        seed(&|e| e.root_seed),
        text(&|e| e.parent_run_id.as_deref()),
        text(&|e| e.version.as_deref()),
        text(&|e| e.error.as_deref()),
        text(&|e| Some(&e.log)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Cell<'_> {
        Cell {
            kind: Kind::Json,
            text,
        }
    }

    #[test]
    fn a_column_takes_the_type_all_its_cells_fit() {
        let text = Cell {
            kind: Kind::Text,
            text: "20",
        };
        let big = "18446744073709551615";
        for (cells, expected) in [
            (vec![json("1"), json("-2")], Type::Int64),
            (vec![json("1"), json(big)], Type::UInt64),
            (vec![json("-1"), json(big)], Type::Utf8),
            (vec![json("1"), json("0.5")], Type::Float64),
            (vec![json(big), json("1e-7")], Type::Float64),
            (vec![json("true"), json("false")], Type::Boolean),
            (vec![json("true"), json("1")], Type::Utf8),
            (vec![json("1"), text], Type::Utf8),
            (vec![json("[1,2]")], Type::Utf8),
            (vec![], Type::Utf8),
        ] {
            assert_eq!(infer(cells.iter().copied(), false), expected, "{cells:?}");
        }
        // A metric's NaN and infinities are floats; elsewhere, text.
        let word = |text| Cell {
            kind: Kind::Text,
            text,
        };
        let cells = [json("1"), word("Infinity"), word("-Infinity"), word("NaN")];
        assert_eq!(infer(cells.iter().copied(), true), Type::Float64);
        assert_eq!(infer([word("NaN")].into_iter(), true), Type::Float64);
        assert_eq!(infer(cells.iter().copied(), false), Type::Utf8);
        assert_eq!(infer([word("inf")].into_iter(), true), Type::Utf8);
    }
}
