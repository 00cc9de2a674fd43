//! Printing `runs`' rows: an aligned text table, CSV (RFC 4180) or a JSON
//! array of objects, every row with every column.

use std::borrow::Cow;
use std::io::Write;

use super::row::{Columns, Row, text};
use crate::error::CliError;
use crate::output::out;

/// The columns of `rows`: the fixed ones ([`super::row::FIXED`] for runs),
/// then every `config.*` and every `metric.*` any row has, each group
/// sorted by name.
pub(crate) fn columns(rows: &[Row], names: &Columns) -> Vec<u32> {
    let mut present = vec![false; names.len()];
    for row in rows {
        for id in row.columns() {
            present[id as usize] = true;
        }
    }
    let mut config = Vec::new();
    let mut metrics = Vec::new();
    for id in (names.fixed_len()..names.len()).filter(|&i| present[i]) {
        let id = u32::try_from(id).expect("column ids are u32");
        if names.name(id).starts_with("config") {
            config.push(id);
        } else {
            metrics.push(id);
        }
    }
    config.sort_by(|&a, &b| names.name(a).cmp(names.name(b)));
    metrics.sort_by(|&a, &b| names.name(a).cmp(names.name(b)));
    (0..u32::try_from(names.fixed_len()).expect("column ids are u32"))
        .chain(config)
        .chain(metrics)
        .collect()
}

/// A cell as one line of the text table: a control character (a newline,
/// a tab, a terminal's escape) written as its Rust escape (`\n`,
/// `\u{1b}`), so a value can neither break its row nor drive the terminal.
fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            shown.extend(c.escape_debug());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

pub(crate) fn print_text(
    rows: &[Row],
    names: &Columns,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let ids = columns(rows, names);
    let columns: Vec<String> = ids.iter().map(|&c| names.name(c).to_string()).collect();
    let cells: Vec<Vec<Cow<'_, str>>> = rows
        .iter()
        .map(|r| ids.iter().map(|&c| one_line(text(r.get(c)))).collect())
        .collect();
    let table: Vec<Vec<&str>> = cells
        .iter()
        .map(|r| r.iter().map(AsRef::as_ref).collect())
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
    let line = |cells: &[&str]| {
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
    let header: Vec<&str> = columns.iter().map(String::as_str).collect();
    out!(out, "{}", line(&header));
    for r in &table {
        out!(out, "{}", line(r));
    }
    Ok(())
}

/// Appends `s` to `line` as a CSV field.
fn csv_field(s: &str, line: &mut String) {
    if s.contains([',', '"', '\n', '\r']) {
        line.push('"');
        line.push_str(&s.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(s);
    }
}

pub(crate) fn print_csv(
    rows: &[Row],
    names: &Columns,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let ids = columns(rows, names);
    let mut line = String::new();
    let mut put = |cells: &mut dyn Iterator<Item = &str>, out: &mut dyn Write| {
        line.clear();
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                line.push(',');
            }
            csv_field(cell, &mut line);
        }
        out!(out, "{line}");
        Ok::<(), CliError>(())
    };
    put(&mut ids.iter().map(|&c| names.name(c)), out)?;
    for r in rows {
        put(&mut ids.iter().map(|&c| text(r.get(c))), out)?;
    }
    Ok(())
}

pub(crate) fn print_json(
    rows: &[Row],
    names: &Columns,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let ids = columns(rows, names);
    let columns: Vec<String> = ids
        .iter()
        .map(|&c| serde_json::Value::String(names.name(c).to_string()).to_string())
        .collect();
    // Written by hand to keep the columns in table order, whatever order
    // serde_json's maps keep; a row at a time.
    let mut s = String::from("[");
    for (i, r) in rows.iter().enumerate() {
        s.push_str(if i == 0 { "\n  {" } else { ",\n  {" });
        for (j, (&id, name)) in ids.iter().zip(&columns).enumerate() {
            if j > 0 {
                s.push(',');
            }
            s.push_str(name);
            s.push(':');
            match r.get(id) {
                Some(cell) => s.push_str(&cell.to_json()),
                None => s.push_str("null"),
            }
        }
        s.push('}');
        out.write_all(s.as_bytes()).map_err(CliError::Output)?;
        s.clear();
    }
    s.push_str(if rows.is_empty() { "]" } else { "\n]" });
    out!(out, "{s}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(one_line("line1\nline2\tx"), "line1\\nline2\\tx");
        assert_eq!(one_line("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(one_line("plain, é \"q\" \\"), "plain, é \"q\" \\");
    }
}
