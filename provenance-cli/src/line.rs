//! One line of a log: parsed, its envelope checked, or the problem named.

use std::fmt;

use serde_json::{Map, Value};

use crate::reader::RawLine;

pub mod tape;

use tape::{Item, Node, Tape};

/// The envelope fields every line starts with (`docs/CONTRACT.md`).
pub const ENVELOPE: [&str; 7] = [
    "ts",
    "event_type",
    "session_id",
    "seq",
    "experiment_id",
    "run_id",
    "parent_run_id",
];

/// A line's envelope.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    /// `ts`.
    pub ts: String,
    /// `event_type`.
    pub event_type: String,
    /// `session_id`.
    pub session_id: String,
    /// `seq`.
    pub seq: u64,
    /// `experiment_id`, when present.
    pub experiment_id: Option<String>,
    /// `run_id`, when present.
    pub run_id: Option<String>,
    /// `parent_run_id`, when present.
    pub parent_run_id: Option<String>,
}

/// Whether `key` is one of [`ENVELOPE`].
pub fn is_envelope_field(key: &str) -> bool {
    matches!(
        key,
        "ts" | "event_type" | "session_id" | "seq" | "experiment_id" | "run_id" | "parent_run_id"
    )
}

/// A line's envelope, borrowed from the line (or from an [`Envelope`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnvelopeRef<'a> {
    /// `ts`.
    pub ts: &'a str,
    /// `event_type`.
    pub event_type: &'a str,
    /// `session_id`.
    pub session_id: &'a str,
    /// `seq`.
    pub seq: u64,
    /// `experiment_id`, when present.
    pub experiment_id: Option<&'a str>,
    /// `run_id`, when present.
    pub run_id: Option<&'a str>,
    /// `parent_run_id`, when present.
    pub parent_run_id: Option<&'a str>,
}

impl Envelope {
    /// Borrows the envelope.
    pub fn as_ref(&self) -> EnvelopeRef<'_> {
        EnvelopeRef {
            ts: &self.ts,
            event_type: &self.event_type,
            session_id: &self.session_id,
            seq: self.seq,
            experiment_id: self.experiment_id.as_deref(),
            run_id: self.run_id.as_deref(),
            parent_run_id: self.parent_run_id.as_deref(),
        }
    }
}

/// A line's payload: from [`parse`] (a `Map`) or from [`parse_fast`] (the
/// line's tape, envelope fields hidden).
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
    pub fn to_map(&self) -> Map<String, Value> {
        match self {
            Payload::Map(m) => (*m).clone(),
            Payload::Tape(t) => t.to_map(|_| true),
        }
    }
}

/// Parses a raw line in place, without building a `Value`: `None` when
/// the line has any problem, for [`parse`] to name (the two accept exactly
/// the same lines).
pub fn parse_fast<'a>(
    raw: &RawLine<'a>,
    tape: &'a mut Tape,
) -> Option<(EnvelopeRef<'a>, Payload<'a>)> {
    if raw.too_long.is_some() {
        return None;
    }
    let text = std::str::from_utf8(raw.bytes).ok()?;
    let doc = tape.parse(text).ok()?;
    if !matches!(doc.root().node(), Node::Object { .. }) {
        return None;
    }
    let fields: [Option<Item<'a>>; 7] = std::array::from_fn(|slot| doc.envelope(slot));
    let [
        ts,
        event_type,
        session_id,
        seq,
        experiment_id,
        run_id,
        parent_run_id,
    ] = fields;
    let ts = ts?.as_str().filter(|ts| is_contract_timestamp(ts))?;
    let event_type = event_type?.as_str().filter(|t| !t.is_empty())?;
    let session_id = session_id?.as_str()?;
    let seq = seq?.as_u64()?;
    let optional = |item: Option<Item<'a>>| match item {
        None => Some(None),
        Some(item) => item.as_str().map(Some),
    };
    let experiment_id = optional(experiment_id)?;
    let run_id = optional(run_id)?;
    let parent_run_id = optional(parent_run_id)?;
    if parent_run_id.is_some() && run_id.is_none() {
        return None;
    }
    Some((
        EnvelopeRef {
            ts,
            event_type,
            session_id,
            seq,
            experiment_id,
            run_id,
            parent_run_id,
        },
        Payload::Tape(doc.payload()),
    ))
}

/// A parsed line: its envelope and its payload (the other fields).
#[derive(Clone, Debug)]
pub struct Event {
    /// The envelope.
    pub envelope: Envelope,
    /// Every field that is not an envelope field.
    pub payload: Map<String, Value>,
}

/// What is wrong with a line.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// Longer than the reader keeps.
    TooLong {
        /// Its length.
        bytes: u64,
        /// The limit.
        limit: usize,
    },
    /// An empty line.
    Blank,
    /// Not UTF-8.
    InvalidUtf8 {
        /// Byte offset of the first bad byte in the line.
        at: usize,
    },
    /// The last line, cut short (no `\n` and not complete JSON).
    Truncated {
        /// The parser's message.
        message: String,
    },
    /// Not JSON.
    NotJson {
        /// The parser's message.
        message: String,
    },
    /// JSON, but not an object.
    NotObject {
        /// What it is.
        kind: &'static str,
    },
    /// An envelope field missing or of the wrong type or form.
    Envelope {
        /// The field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Complete, but the file ends without the final `\n`.
    Unterminated,
    /// A `seq` gap: lines `from..=to` of the session are missing.
    Gap {
        /// The session.
        session: String,
        /// First missing `seq`.
        from: u64,
        /// Last missing `seq`.
        to: u64,
    },
    /// A `seq` seen before or out of order.
    SeqOutOfOrder {
        /// The session.
        session: String,
        /// The `seq` found.
        seq: u64,
        /// The `seq` expected.
        expected: u64,
    },
    /// The payload does not match its schema.
    Schema {
        /// The event type.
        event_type: String,
        /// Where and what, from the validator.
        message: String,
    },
    /// No schema describes the event type.
    NoSchema {
        /// The event type.
        event_type: String,
    },
    /// A `session.start` or `event.schema` line that breaks the contract.
    Meta {
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::TooLong { bytes, limit } => write!(
                f,
                "line is {bytes} bytes, longer than the {limit}-byte limit (--max-line-bytes); skipped"
            ),
            Problem::Blank => f.write_str("empty line"),
            Problem::InvalidUtf8 { at } => write!(f, "not UTF-8 (bad byte at column {})", at + 1),
            Problem::Truncated { message } => write!(
                f,
                "truncated last line ({message}): the writer stopped mid-line, e.g. killed"
            ),
            Problem::NotJson { message } => write!(f, "not JSON: {message}"),
            Problem::NotObject { kind } => write!(f, "a JSON {kind}, not an object"),
            Problem::Envelope { field, message } => {
                write!(f, "envelope field {field:?}: {message}")
            }
            Problem::Unterminated => {
                f.write_str("no newline at the end of the file: the last line may be incomplete")
            }
            Problem::Gap { session, from, to } if from == to => {
                write!(f, "session {session}: seq {from} is missing (a lost line)")
            }
            Problem::Gap { session, from, to } => write!(
                f,
                "session {session}: seq {from}..={to} are missing ({} lost lines)",
                to - from + 1
            ),
            Problem::SeqOutOfOrder {
                session,
                seq,
                expected,
            } => write!(
                f,
                "session {session}: seq {seq} where {expected} was expected (repeated or out of order)"
            ),
            Problem::Schema {
                event_type,
                message,
            } => write!(f, "{event_type} does not match its schema: {message}"),
            Problem::NoSchema { event_type } => write!(
                f,
                "no schema for event type {event_type:?}: no event.schema line precedes it in its \
                 session (pass one with --schema FILE)"
            ),
            Problem::Meta { message } => f.write_str(message),
        }
    }
}

/// Parses a raw line into its envelope and payload.
///
/// # Errors
/// The first problem found, in the order: length, UTF-8, JSON, object,
/// envelope fields in their order.
pub fn parse(raw: &RawLine<'_>) -> Result<Event, Problem> {
    if let Some(bytes) = raw.too_long {
        return Err(Problem::TooLong {
            bytes,
            limit: raw.limit,
        });
    }
    let text = std::str::from_utf8(raw.bytes).map_err(|e| Problem::InvalidUtf8 {
        at: e.valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Err(Problem::Blank);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        if !raw.terminated && e.is_eof() {
            Problem::Truncated { message }
        } else {
            Problem::NotJson { message }
        }
    })?;
    let Value::Object(map) = value else {
        return Err(Problem::NotObject {
            kind: kind_of(&value),
        });
    };
    split(map)
}

/// Splits a parsed object into envelope and payload.
///
/// # Errors
/// The first envelope field that is missing or malformed.
pub fn split(mut map: Map<String, Value>) -> Result<Event, Problem> {
    let ts = take_string(&mut map, "ts")?;
    if !is_contract_timestamp(&ts) {
        return Err(Problem::Envelope {
            field: "ts",
            message: format!(
                "{ts:?} is not RFC 3339 UTC with six fractional digits (2026-11-25T10:46:11.126706Z)"
            ),
        });
    }
    let event_type = take_string(&mut map, "event_type")?;
    if event_type.is_empty() {
        return Err(Problem::Envelope {
            field: "event_type",
            message: "empty".into(),
        });
    }
    let session_id = take_string(&mut map, "session_id")?;
    let seq = match map.remove("seq") {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| Problem::Envelope {
            field: "seq",
            message: format!("{n} is not an integer from 0 to 2^64-1"),
        })?,
        Some(other) => return Err(wrong_type("seq", "an integer", &other)),
        None => return Err(missing("seq")),
    };
    let experiment_id = take_optional(&mut map, "experiment_id")?;
    let run_id = take_optional(&mut map, "run_id")?;
    let parent_run_id = take_optional(&mut map, "parent_run_id")?;
    if parent_run_id.is_some() && run_id.is_none() {
        return Err(Problem::Envelope {
            field: "parent_run_id",
            message: "present without run_id".into(),
        });
    }
    Ok(Event {
        envelope: Envelope {
            ts,
            event_type,
            session_id,
            seq,
            experiment_id,
            run_id,
            parent_run_id,
        },
        payload: map,
    })
}

fn take_string(map: &mut Map<String, Value>, field: &'static str) -> Result<String, Problem> {
    match map.remove(field) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(wrong_type(field, "a string", &other)),
        None => Err(missing(field)),
    }
}

fn take_optional(
    map: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, Problem> {
    match map.remove(field) {
        Some(Value::String(s)) => Ok(Some(s)),
        None => Ok(None),
        Some(other) => Err(wrong_type(field, "a string (or absent)", &other)),
    }
}

fn missing(field: &'static str) -> Problem {
    Problem::Envelope {
        field,
        message: "missing".into(),
    }
}

fn wrong_type(field: &'static str, expected: &str, got: &Value) -> Problem {
    Problem::Envelope {
        field,
        message: format!("expected {expected}, found a {}", kind_of(got)),
    }
}

/// The JSON type's name, for messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as the contract writes `ts`.
pub fn is_contract_timestamp(ts: &str) -> bool {
    let b = ts.as_bytes();
    b.len() == 27
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'.',
            26 => c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str, terminated: bool) -> RawLine<'_> {
        RawLine {
            number: 1,
            offset: 0,
            bytes: text.as_bytes(),
            terminated,
            too_long: None,
            limit: 100,
            is_log_line: crate::reader::starts_like_a_log_line(text.as_bytes()),
        }
    }

    const GOOD: &str = r#"{"ts":"2026-11-25T10:46:11.126706Z","event_type":"x","session_id":"s","seq":3,"run_id":"run-1","a":1}"#;

    #[test]
    fn the_envelope_is_the_writers() {
        // The writer's fixed envelope, then its two optional run fields.
        assert_eq!(ENVELOPE[..5], provenance_runtime::ENVELOPE_FIELDS);
        assert_eq!(ENVELOPE[5..], ["run_id", "parent_run_id"]);
    }

    #[test]
    fn a_good_line_splits_into_envelope_and_payload() {
        let event = parse(&raw(GOOD, true)).unwrap();
        assert_eq!(event.envelope.seq, 3);
        assert_eq!(event.envelope.run_id.as_deref(), Some("run-1"));
        assert_eq!(event.envelope.experiment_id, None);
        assert_eq!(Value::Object(event.payload), serde_json::json!({"a": 1}));
    }

    #[test]
    fn each_problem_is_named() {
        let cut = &GOOD[..40];
        assert!(matches!(
            parse(&raw(cut, false)),
            Err(Problem::Truncated { .. })
        ));
        assert!(matches!(
            parse(&raw(cut, true)),
            Err(Problem::NotJson { .. })
        ));
        assert_eq!(
            parse(&raw("[1]", true)).unwrap_err(),
            Problem::NotObject { kind: "array" }
        );
        assert_eq!(parse(&raw("  ", true)).unwrap_err(), Problem::Blank);
        let bad_utf8 = RawLine {
            bytes: b"{\"a\xff\"}",
            ..raw("", true)
        };
        assert_eq!(
            parse(&bad_utf8).unwrap_err(),
            Problem::InvalidUtf8 { at: 3 }
        );
        let no_seq = GOOD.replace(r#""seq":3,"#, "");
        assert_eq!(parse(&raw(&no_seq, true)).unwrap_err(), missing("seq"));
        let neg = GOOD.replace(r#""seq":3"#, r#""seq":-1"#);
        assert!(
            parse(&raw(&neg, true))
                .unwrap_err()
                .to_string()
                .contains("envelope field \"seq\": -1 is not an integer")
        );
        let bad_ts = GOOD.replace("26706Z", "26706+00:00");
        assert!(matches!(
            parse(&raw(&bad_ts, true)),
            Err(Problem::Envelope { field: "ts", .. })
        ));
    }
}
