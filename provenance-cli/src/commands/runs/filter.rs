//! `--where COLUMN OP VALUE`: parsing a condition and testing a row.

use std::cmp::Ordering;

use super::row::{Cell, Columns, Kind, Row, compare};
use crate::error::CliError;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One `--where` condition.
#[derive(Debug)]
pub(crate) struct Condition {
    pub(crate) column: String,
    op: Op,
    value: String,
}

/// Parses `COLUMN OP VALUE` (spaces around the operator allowed). A
/// column whose name holds an operator's character is written in double
/// quotes: `"metric.a<b" > 0.5`.
///
/// # Errors
/// [`CliError::Usage`] naming the condition and what is wrong with it.
pub(crate) fn parse(text: &str) -> Result<Condition, CliError> {
    let bad = |why: &str| {
        CliError::Usage(format!(
            "bad --where {text:?}: {why} (expected COLUMN OP VALUE with OP one of =, !=, <, <=, \
             >, >=, e.g. --where config.hurdle=0.05; a column holding one of them in double \
             quotes, --where '\"metric.a<b\">0.5')"
        ))
    };
    // A quoted column: the operator is looked for after its closing quote.
    let (quoted, from) = match text.trim_start().strip_prefix('"') {
        Some(rest) => {
            let Some(end) = rest.find('"') else {
                return Err(bad("the column's opening \" is not closed"));
            };
            (Some(&rest[..end]), text.len() - rest.len() + end + 1)
        }
        None => (None, 0),
    };
    if quoted.is_some() && !text[from..].trim_start().starts_with(['=', '!', '<', '>']) {
        return Err(bad("the quoted column must be followed by the operator"));
    }
    let Some(at) = text[from..].find(['=', '!', '<', '>']).map(|at| from + at) else {
        return Err(bad("no operator"));
    };
    let rest = &text[at..];
    let (op, len) = if rest.starts_with("!=") {
        (Op::Ne, 2)
    } else if rest.starts_with("<=") {
        (Op::Le, 2)
    } else if rest.starts_with(">=") {
        (Op::Ge, 2)
    } else if rest.starts_with("==") {
        return Err(bad("== is not an operator; use ="));
    } else if rest.starts_with('=') {
        (Op::Eq, 1)
    } else if rest.starts_with('<') {
        (Op::Lt, 1)
    } else if rest.starts_with('>') {
        (Op::Gt, 1)
    } else {
        return Err(bad("! must be followed by ="));
    };
    let column = quoted.unwrap_or_else(|| text[..at].trim());
    if column.is_empty() {
        return Err(bad("no column before the operator"));
    }
    let value = text[at + len..].trim();
    if value.starts_with(['=', '<', '>', '!']) {
        return Err(bad("two operators"));
    }
    Ok(Condition {
        column: column.to_string(),
        op,
        value: value.to_string(),
    })
}

impl Condition {
    /// Whether `row` meets the condition. A row without the column meets
    /// only `!=` (and `=` with an empty value).
    pub(crate) fn matches(&self, row: &Row, columns: &Columns) -> bool {
        let text = |text| Cell {
            kind: Kind::Text,
            text,
        };
        let found = columns.find(&self.column).and_then(|id| row.get(id));
        let order = compare(found.unwrap_or(text("")), text(&self.value));
        match self.op {
            Op::Eq => order == Ordering::Equal,
            Op::Ne => order != Ordering::Equal,
            Op::Lt | Op::Le | Op::Gt | Op::Ge if found.is_none() => false,
            Op::Lt => order == Ordering::Less,
            Op::Le => order != Ordering::Greater,
            Op::Gt => order == Ordering::Greater,
            Op::Ge => order != Ordering::Less,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse_longest_first() {
        let c = parse("config.hurdle<=0.05").unwrap();
        assert_eq!((c.column.as_str(), c.op), ("config.hurdle", Op::Le));
        let c = parse("status != ok").unwrap();
        assert_eq!(
            (c.column.as_str(), c.op, c.value.as_str()),
            ("status", Op::Ne, "ok")
        );
    }

    #[test]
    fn a_quoted_column_may_hold_an_operators_character() {
        let c = parse(r#""metric.a<b" >= 0.5"#).unwrap();
        assert_eq!(
            (c.column.as_str(), c.op, c.value.as_str()),
            ("metric.a<b", Op::Ge, "0.5")
        );
        let c = parse(r#" "config.x=y!"=a<b"#).unwrap();
        assert_eq!(
            (c.column.as_str(), c.op, c.value.as_str()),
            ("config.x=y!", Op::Eq, "a<b")
        );
    }

    #[test]
    fn bad_conditions_say_why() {
        for (text, why) in [
            (r#""metric.a<b>0.5"#, "is not closed"),
            (r#""metric.a" x>0.5"#, "must be followed by the operator"),
            (r#""">1"#, "no column"),
            ("hurdle", "no operator"),
            ("=3", "no column"),
            ("a==3", "=="),
            ("a!3", "! must be followed"),
            ("a<>3", "two operators"),
        ] {
            let e = parse(text).unwrap_err().to_string();
            assert!(
                e.contains(why) && e.contains(&format!("{text:?}")),
                "{text}: {e}"
            );
        }
    }
}
