//! serde_json's private structs, turned back into the JSON they stand for.
//!
//! A `serde_json::value::RawValue` always serializes as a struct named
//! [`RAW_VALUE_TOKEN`] holding its JSON text, and with serde_json's
//! `arbitrary_precision` feature (which any crate in a build can switch on
//! for everyone) every `serde_json::Number` serializes as a struct named
//! [`NUMBER_TOKEN`] holding its digits. Taken at face value they would hash
//! as `{"$serde_json::private::Number":"0.1"}`, silently differing from the
//! same configuration without the feature, so they are recognized here.

use super::node::Node;
use super::path::Problem;

/// The struct name of a `serde_json::Number` under `arbitrary_precision`.
pub(super) const NUMBER_TOKEN: &str = "$serde_json::private::Number";
/// The struct name of a `serde_json::value::RawValue`.
pub(super) const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Whether a struct of this name is one of serde_json's private structs.
pub(super) fn is_token(name: &str) -> bool {
    name == NUMBER_TOKEN || name == RAW_VALUE_TOKEN
}

/// What a private struct stands for: a number, or JSON text that still has
/// to be canonicalized (by the serializer, which this module does not know).
pub(super) enum Resolved {
    Number(Node),
    Json(serde_json::Value),
}

/// The value a private struct named `token` with these members stands for.
pub(super) fn resolve(
    token: &'static str,
    members: Vec<(String, Node)>,
) -> Result<Resolved, Problem> {
    let text = match members.as_slice() {
        [(key, Node::String(text))] if key == token => text,
        _ => {
            return Err(Problem::new(format!(
                "is a struct named {token:?} that does not hold one string field of the same \
                 name; that name is reserved for serde_json's own types, so rename the struct"
            )));
        }
    };
    if token == NUMBER_TOKEN {
        number(text).map(Resolved::Number)
    } else {
        raw_value(text).map(Resolved::Json)
    }
}

/// A number's JSON text: integers keep their exact digits (as for Rust
/// integers), anything else is read as a double.
fn number(text: &str) -> Result<Node, Problem> {
    let magnitude = text.strip_prefix('-').unwrap_or(text);
    if !magnitude.is_empty() && magnitude.bytes().all(|b| b.is_ascii_digit()) {
        let parsed = if text.starts_with('-') {
            text.parse().map(Node::Signed)
        } else {
            text.parse().map(Node::Unsigned)
        };
        return parsed.map_err(|_| {
            Problem::new(format!(
                "is the integer {text}, wider than the 128 bits config hashing supports; \
                 store it as a string"
            ))
        });
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(Node::Float(f)),
        _ => Err(Problem::new(format!(
            "is the number {text}, which is not a finite double; store it as a string"
        ))),
    }
}

/// Raw JSON text, parsed; the caller canonicalizes it like any other value.
fn raw_value(text: &str) -> Result<serde_json::Value, Problem> {
    serde_json::from_str(text)
        .map_err(|e| Problem::new(format!("is a RawValue that is not valid JSON ({e})")))
}
