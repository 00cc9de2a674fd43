//! What can be wrong with a line, in the words a user reads.

use std::fmt;

use serde_json::Value;

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
    /// A line cut short before its end: its writer stopped mid-line
    /// (killed, or its destination failed).
    Torn {
        /// The parser's message.
        message: String,
        /// The 1-based column where another line, glued to this one without
        /// a `\n` (the next one to reach the file), starts; that line is
        /// read on its own. `None` when a later write ended this one with
        /// a `\n`.
        glued_at: Option<usize>,
    },
    /// A whole line without its `\n`: another line is glued to it at this
    /// 1-based column, and both are read.
    NoNewline {
        /// Where the glued line starts.
        column: usize,
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
    /// A `seq` that comes after a higher one and fills part of a gap: the
    /// line is out of order, not lost.
    SeqLate {
        /// The session.
        session: String,
        /// The `seq` found.
        seq: u64,
        /// The highest `seq` seen before it.
        after: u64,
    },
    /// A `seq` seen before: a repeated line.
    SeqRepeated {
        /// The session.
        session: String,
        /// The `seq` found.
        seq: u64,
        /// The highest `seq` seen before it.
        after: u64,
    },
    /// The file starts with a UTF-8 byte-order mark (read through).
    ByteOrderMark,
    /// Log lines end in `\r\n`; this is the first (all are read).
    Crlf {
        /// How many log lines of the file do.
        lines: u64,
    },
    /// A key written twice in one object.
    DuplicateKey {
        /// The JSON pointer of the object (empty: the line itself).
        object: String,
        /// The key.
        key: String,
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
            Problem::Torn {
                message,
                glued_at: Some(column),
            } => write!(
                f,
                "torn line ({message}): its writer was killed mid-line; the line glued to it at \
                 column {column} is read on its own"
            ),
            Problem::Torn {
                message,
                glued_at: None,
            } => write!(
                f,
                "torn line ({message}): its writer stopped mid-line (killed, or its destination \
                 failed)"
            ),
            Problem::NoNewline { column } => write!(
                f,
                "no newline before column {column}, where another line is glued to this one (both \
                 are read)"
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
            Problem::SeqLate {
                session,
                seq,
                after,
            } => write!(
                f,
                "session {session}: seq {seq} after seq {after}: out of order, not lost"
            ),
            Problem::SeqRepeated {
                session,
                seq,
                after,
            } => write!(
                f,
                "session {session}: seq {seq} again, after seq {after}: a repeated line"
            ),
            Problem::ByteOrderMark => f.write_str(
                "the file starts with a byte-order mark (EF BB BF); the contract writes UTF-8 \
                 without one (read through it)",
            ),
            Problem::Crlf { lines } => write!(
                f,
                "{lines} log line(s) end in \"\\r\\n\" (CRLF), this one first; the contract ends \
                 each line with \"\\n\" alone (read all the same)"
            ),
            Problem::DuplicateKey { object, key } => {
                let place = if object.is_empty() {
                    "the line".to_string()
                } else {
                    format!("the object at {object}")
                };
                write!(
                    f,
                    "key {key:?} written twice in {place}: readers disagree on which value \
                     counts (serde_json keeps the last, DuckDB refuses the file)"
                )
            }
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
