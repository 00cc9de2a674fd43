//! A line's payload written back as JSON text, straight from the line's
//! tape into the column's buffer: no `serde_json::Value` is built and
//! nothing is allocated per line.
//!
//! The text is the payload's, not the line's bytes: keys in the order
//! written, strings re-escaped only where JSON requires it (`"`, `\`,
//! control characters), numbers as serde_json writes them (integers
//! exactly, floats in the shortest form that reads back as the same
//! `f64`). So it parses to the same value as the line minus its envelope.

use std::fmt::{self, Write};

use ith_provenance_contract::json::escaped;
use serde_json::Value;

use crate::ops::line::Payload;
use crate::ops::line::tape::{Item, Node};

/// The payload key that is not payload: the line's non-finite floats,
/// exported in a column of their own.
pub(super) const NON_FINITE: &str = "non_finite";

/// Writes the payload as a JSON object, without `non_finite`.
pub(super) fn write_payload(payload: Payload<'_>, out: &mut impl Write) -> fmt::Result {
    out.write_char('{')?;
    let mut first = true;
    let mut key = |k: &str, out: &mut dyn Write| -> fmt::Result {
        if !std::mem::take(&mut first) {
            out.write_char(',')?;
        }
        write_string(k, out)?;
        out.write_char(':')
    };
    match payload {
        Payload::Tape(item) => {
            for (k, v) in item.entries().filter(|(k, _)| *k != NON_FINITE) {
                key(k, out)?;
                write_item(v, out)?;
            }
        }
        // Only for a line the fast parse turned down and the full one
        // accepted, which does not happen (the two agree): kept simple.
        Payload::Map(map) => {
            for (k, v) in map.iter().filter(|(k, _)| *k != NON_FINITE) {
                key(k, out)?;
                out.write_str(&v.to_string())?;
            }
        }
    }
    out.write_char('}')
}

/// Writes the payload's `non_finite` field as JSON, when it has one.
/// Returns whether it did.
pub(super) fn write_non_finite(
    payload: Payload<'_>,
    out: &mut impl Write,
) -> Result<bool, fmt::Error> {
    match payload {
        Payload::Tape(item) => match item.get(NON_FINITE) {
            Some(v) => write_item(v, out).map(|()| true),
            None => Ok(false),
        },
        Payload::Map(map) => match map.get(NON_FINITE) {
            Some(v) => out.write_str(&Value::to_string(v)).map(|()| true),
            None => Ok(false),
        },
    }
}

/// Writes one value of a tape as JSON. Recursion is bounded: serde_json
/// and the quick tokenizer refuse lines nested deeper than 128.
fn write_item(item: Item<'_>, out: &mut dyn Write) -> fmt::Result {
    match item.node() {
        Node::Null => out.write_str("null"),
        Node::Bool(b) => out.write_str(if b { "true" } else { "false" }),
        Node::U64(u) => write!(out, "{u}"),
        Node::I64(i) => write!(out, "{i}"),
        // A tape holds no non-finite float (the contract writes them as
        // null), but a line's `1e999` would be one: null, as serde_json.
        Node::F64(f) if f.is_finite() => out.write_str(ryu::Buffer::new().format_finite(f)),
        Node::F64(_) => out.write_str("null"),
        Node::Str { .. } => write_string(item.as_str().unwrap_or_default(), out),
        Node::Array { .. } => {
            out.write_char('[')?;
            for (i, element) in item.elements().enumerate() {
                if i > 0 {
                    out.write_char(',')?;
                }
                write_item(element, out)?;
            }
            out.write_char(']')
        }
        Node::Object { .. } => {
            out.write_char('{')?;
            for (i, (k, v)) in item.entries().enumerate() {
                if i > 0 {
                    out.write_char(',')?;
                }
                write_string(k, out)?;
                out.write_char(':')?;
                write_item(v, out)?;
            }
            out.write_char('}')
        }
    }
}

/// Writes `s` as a JSON string, escaped as the contract escapes it (and
/// serde_json: `\n`, `\t`, … by name, other controls as `\u00XX`).
fn write_string(s: &str, out: &mut dyn Write) -> fmt::Result {
    out.write_char('"')?;
    for piece in escaped(s) {
        out.write_str(piece)?;
    }
    out.write_char('"')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::line::tape::Tape;

    fn payload_of(line: &str) -> (String, Option<String>) {
        let mut tape = Tape::default();
        let doc = tape.parse(line).unwrap();
        let payload = Payload::Tape(doc.payload());
        let mut text = String::new();
        write_payload(payload, &mut text).unwrap();
        let mut non_finite = String::new();
        let has = write_non_finite(payload, &mut non_finite).unwrap();
        (text, has.then_some(non_finite))
    }

    #[test]
    fn the_payload_is_the_line_minus_its_envelope() {
        let line = r#"{"ts":"t","event_type":"x","session_id":"s","seq":1,"experiment_id":"e","run_id":"r","parent_run_id":"p","a":[1,-2,0.5,1e-7,2.0,true,null],"b":{"c":"d\"\\\n\u0001é"},"e":18446744073709551615,"x":null,"non_finite":[{"pointer":"/x","value":"NaN"}]}"#;
        let (text, non_finite) = payload_of(line);
        let mut expected: serde_json::Map<String, Value> = serde_json::from_str(line).unwrap();
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
            expected.remove(k);
        }
        let got: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(got, Value::Object(expected.clone()), "{text}");
        // serde_json's own text, byte for byte (keys kept in order).
        assert_eq!(text, Value::Object(expected).to_string());
        assert_eq!(
            non_finite.as_deref(),
            Some(r#"[{"pointer":"/x","value":"NaN"}]"#)
        );
        let (text, non_finite) = payload_of(r#"{"ts":"t","seq":0}"#);
        assert_eq!((text.as_str(), non_finite), ("{}", None));
    }
}
