//! The canonical tree: JSON values whose objects are already sorted and free
//! of duplicate keys, written out as RFC 8785 text or as a
//! `serde_json::Value`.

use std::fmt::Write as _;

use super::number::write_es_float;
use super::path::Problem;
use super::string::{cmp_utf16, write_string};

/// A JSON value, as our serializer builds it.
#[derive(Debug)]
pub(super) enum Node {
    Null,
    Bool(bool),
    /// From the signed integer types; written with its exact digits.
    Signed(i128),
    /// From the unsigned integer types; written with its exact digits.
    Unsigned(u128),
    /// Always finite: the serializer rejects NaN and infinities.
    Float(f64),
    String(String),
    Array(Vec<Node>),
    /// Sorted by key in UTF-16 code-unit order, keys unique.
    Object(Vec<(String, Node)>),
}

impl Node {
    /// An object from its members in any order: sorts them canonically and
    /// rejects a key that appears twice.
    pub(super) fn object(mut members: Vec<(String, Node)>) -> Result<Node, Problem> {
        members.sort_by(|(a, _), (b, _)| cmp_utf16(a, b));
        if let Some(pair) = members.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            let key = &pair[0].0;
            return Err(Problem::new(format!(
                "appears twice in one object: two fields or map entries have the key {key:?} \
                 (often a #[serde(flatten)]ed field or map repeating a field's name); \
                 JSON object keys must be unique, so rename or drop one of them"
            ))
            .inside_key(key));
        }
        Ok(Node::Object(members))
    }

    /// Appends the RFC 8785 canonical text of this value to `out`.
    pub(super) fn write_canonical(&self, out: &mut String) {
        match self {
            Node::Null => out.push_str("null"),
            Node::Bool(true) => out.push_str("true"),
            Node::Bool(false) => out.push_str("false"),
            // Writing to a String cannot fail.
            Node::Signed(i) => {
                let _ = write!(out, "{i}");
            }
            Node::Unsigned(u) => {
                let _ = write!(out, "{u}");
            }
            Node::Float(f) => write_es_float(out, *f),
            Node::String(s) => write_string(out, s),
            Node::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_canonical(out);
                }
                out.push(']');
            }
            Node::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    value.write_canonical(out);
                }
                out.push('}');
            }
        }
    }

    /// This value as a `serde_json::Value`; fails only on integers beyond
    /// what `serde_json::Number` holds (`i64::MIN..=u64::MAX`).
    pub(super) fn into_value(self) -> Result<serde_json::Value, Problem> {
        use serde_json::Value;
        Ok(match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::Signed(i) => match (i64::try_from(i), u64::try_from(i)) {
                (Ok(i), _) => Value::from(i),
                (_, Ok(u)) => Value::from(u),
                _ => return Err(integer_too_wide(&i.to_string())),
            },
            Node::Unsigned(u) => match u64::try_from(u) {
                Ok(u) => Value::from(u),
                Err(_) => return Err(integer_too_wide(&u.to_string())),
            },
            // Finite by construction, so `from_f64` always succeeds.
            Node::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            Node::String(s) => Value::String(s),
            Node::Array(items) => Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| item.into_value().map_err(|e| e.inside_index(i)))
                    .collect::<Result<_, _>>()?,
            ),
            Node::Object(members) => Value::Object(
                members
                    .into_iter()
                    .map(|(key, value)| match value.into_value() {
                        Ok(value) => Ok((key, value)),
                        Err(e) => Err(e.inside_key(&key)),
                    })
                    .collect::<Result<_, _>>()?,
            ),
        })
    }
}

fn integer_too_wide(digits: &str) -> Problem {
    Problem::new(format!(
        "is the integer {digits}, outside the 64-bit range (i64::MIN..=u64::MAX) a \
         serde_json::Value can hold; store it as a string, or hash it with config_hash, \
         which writes every integer exactly"
    ))
}
