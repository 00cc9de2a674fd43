//! A line's payload, read either way: split off a `Value`, or in place on
//! the line's tape.

use serde_json::{Map, Value};

use super::tape::Item;

/// A line's payload: from [`parse`](super::parse()) (a `Map`) or from
/// [`parse_fast`](super::parse_fast) (the line's tape, envelope fields
/// hidden).
#[derive(Clone, Copy)]
pub enum Payload<'a> {
    /// A payload split off a `Value`.
    Map(&'a Map<String, Value>),
    /// A payload read in place.
    Tape(Item<'a>),
}

impl Payload<'_> {
    /// The string field `key`.
    pub fn str(&self, key: &str) -> Option<&str> {
        match self {
            Payload::Map(m) => m.get(key).and_then(Value::as_str),
            Payload::Tape(t) => t.get(key).and_then(Item::as_str),
        }
    }

    /// Whether the payload has the field `key`.
    pub fn has(&self, key: &str) -> bool {
        match self {
            Payload::Map(m) => m.contains_key(key),
            Payload::Tape(t) => t.get(key).is_some(),
        }
    }

    /// The field `key` as a non-negative integer.
    pub fn u64(&self, key: &str) -> Option<u64> {
        match self {
            Payload::Map(m) => m.get(key).and_then(Value::as_u64),
            Payload::Tape(t) => t.get(key).and_then(Item::as_u64),
        }
    }

    /// The numeric field `key` as `f64`.
    pub fn f64(&self, key: &str) -> Option<f64> {
        match self {
            Payload::Map(m) => m.get(key).and_then(Value::as_f64),
            Payload::Tape(t) => t.get(key).and_then(Item::as_f64),
        }
    }

    /// The field `key` as a `Value`.
    pub fn value(&self, key: &str) -> Option<Value> {
        match self {
            Payload::Map(m) => m.get(key).cloned(),
            Payload::Tape(t) => t.get(key).map(Item::to_value),
        }
    }

    /// The whole payload as a `Map`.
    pub fn to_map(self) -> Map<String, Value> {
        match self {
            Payload::Map(m) => (*m).clone(),
            Payload::Tape(t) => t.to_map(|_| true),
        }
    }
}
