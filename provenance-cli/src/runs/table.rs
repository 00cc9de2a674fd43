//! Printing `runs`' rows: an aligned text table, CSV (RFC 4180) or a JSON
//! array of objects, every row with every column.

use std::io::Write;

use serde_json::Value;

use super::row::{FIXED, Row, text};
use crate::error::CliError;
use crate::output::out;

/// The columns of `rows`: [`FIXED`], then every `config.*` and every
/// `metric.*` any row has, each group sorted.
pub(crate) fn columns(rows: &[Row]) -> Vec<String> {
    let mut config = std::collections::BTreeSet::new();
    let mut metrics = std::collections::BTreeSet::new();
    for row in rows {
        for (name, _) in &row.cells[FIXED.len()..] {
            if name.starts_with("config") {
                config.insert(name.as_str());
            } else {
                metrics.insert(name.as_str());
            }
        }
    }
    FIXED
        .iter()
        .copied()
        .chain(config)
        .chain(metrics)
        .map(String::from)
        .collect()
}

fn cell<'r>(row: &'r Row, column: &str) -> &'r Value {
    row.get(column).unwrap_or(&Value::Null)
}

pub(crate) fn print_text(rows: &[Row], out: &mut dyn Write) -> Result<(), CliError> {
    let columns = columns(rows);
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| columns.iter().map(|c| text(cell(r, c))).collect())
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            table
                .iter()
                .map(|r| r[i].chars().count())
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(c);
            if i + 1 < cells.len() {
                s.extend(std::iter::repeat_n(' ', widths[i] - c.chars().count()));
            }
        }
        s.trim_end().to_string()
    };
    out!(out, "{}", line(&columns));
    for r in &table {
        out!(out, "{}", line(r));
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub(crate) fn print_csv(rows: &[Row], out: &mut dyn Write) -> Result<(), CliError> {
    let columns = columns(rows);
    let header: Vec<String> = columns.iter().map(|c| csv_field(c)).collect();
    out!(out, "{}", header.join(","));
    for r in rows {
        let fields: Vec<String> = columns
            .iter()
            .map(|c| csv_field(&text(cell(r, c))))
            .collect();
        out!(out, "{}", fields.join(","));
    }
    Ok(())
}

pub(crate) fn print_json(rows: &[Row], out: &mut dyn Write) -> Result<(), CliError> {
    let columns = columns(rows);
    // Written by hand to keep the columns in table order, whatever order
    // serde_json's maps keep.
    let mut s = String::from("[");
    for (i, r) in rows.iter().enumerate() {
        s.push_str(if i == 0 { "\n  {" } else { ",\n  {" });
        for (j, c) in columns.iter().enumerate() {
            if j > 0 {
                s.push(',');
            }
            s.push_str(&Value::String(c.clone()).to_string());
            s.push(':');
            s.push_str(&cell(r, c).to_string());
        }
        s.push('}');
    }
    s.push_str(if rows.is_empty() { "]" } else { "\n]" });
    out!(out, "{s}");
    Ok(())
}
