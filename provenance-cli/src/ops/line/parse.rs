//! Parsing one line into its envelope and payload: in place on a tape
//! ([`parse_fast`]), or into a `Value` that names whatever is wrong
//! ([`parse`]). The two accept exactly the same lines.

use serde_json::{Map, Value};

use super::envelope::{Envelope, EnvelopeRef, is_contract_timestamp};
use super::payload::Payload;
use super::problem::{Problem, kind_of};
use super::tape::{Doc, Item, Node, Tape};
use crate::ops::reader::RawLine;

/// Reads a line: in place on `tape` when it is well formed (nearly every
/// line), else the problem that [`parse`] names. The one way the verbs
/// read a line: a line that is not text or not JSON is parsed once, by the
/// tape, whose error names the problem; only a JSON object with a bad
/// envelope (a writer's bug) is read again, into a `Map`, to name the field.
///
/// # Errors
/// The line's first problem, exactly as [`parse`] reports it.
pub fn read<'a>(
    raw: &RawLine<'a>,
    tape: &'a mut Tape,
) -> Result<(EnvelopeRef<'a>, Payload<'a>), Problem> {
    match in_place(raw, tape) {
        Ok(read) => Ok(read),
        Err(Some(problem)) => Err(problem),
        Err(None) => match parse(raw) {
            Err(problem) => Err(problem),
            // The two accept exactly the same lines (tests/fuzz_reader.rs):
            // this is a bug in one of them, reported rather than guessed at.
            Ok(_) => Err(Problem::Meta {
                message: "the in-place parse turned down a line serde_json reads; please report \
                          this line"
                    .into(),
            }),
        },
    }
}

/// Parses a raw line in place, without building a `Value`: `None` when
/// the line has any problem, for [`parse`] to name (the two accept exactly
/// the same lines).
pub fn parse_fast<'a>(
    raw: &RawLine<'a>,
    tape: &'a mut Tape,
) -> Option<(EnvelopeRef<'a>, Payload<'a>)> {
    in_place(raw, tape).ok()
}

/// [`parse_fast`], with the problem when the tape already names it (not
/// text, not JSON), `None` when only [`parse`] can (not an object, a bad
/// envelope).
fn in_place<'a>(
    raw: &RawLine<'a>,
    tape: &'a mut Tape,
) -> Result<(EnvelopeRef<'a>, Payload<'a>), Option<Problem>> {
    let text = text_of(raw).map_err(Some)?;
    let doc = tape.parse(text).map_err(|e| Some(json_problem(e, raw)))?;
    in_place_envelope(doc).ok_or(None)
}

fn in_place_envelope<'a>(doc: Doc<'a>) -> Option<(EnvelopeRef<'a>, Payload<'a>)> {
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

/// Parses a raw line into its envelope and payload.
///
/// # Errors
/// The first problem found, in the order: length, UTF-8, JSON, object,
/// envelope fields in their order.
pub fn parse(raw: &RawLine<'_>) -> Result<Event, Problem> {
    let text = text_of(raw)?;
    let value: Value = serde_json::from_str(text).map_err(|e| json_problem(e, raw))?;
    let Value::Object(map) = value else {
        return Err(Problem::NotObject {
            kind: kind_of(&value),
        });
    };
    split(map)
}

/// The line as text: not too long, UTF-8, not blank.
fn text_of<'a>(raw: &RawLine<'a>) -> Result<&'a str, Problem> {
    if let Some(bytes) = raw.too_long {
        return Err(Problem::TooLong {
            bytes,
            limit: raw.limit,
        });
    }
    // A line with another glued to it was cut by the kernel between two
    // pages, which can fall inside a character.
    let glued_at = raw.glued_at.map(|at| at + 1);
    let text = std::str::from_utf8(raw.bytes).map_err(|e| match glued_at {
        Some(_) if e.error_len().is_none() => Problem::Torn {
            message: format!("cut inside a character at column {}", e.valid_up_to() + 1),
            glued_at,
        },
        _ => Problem::InvalidUtf8 {
            at: e.valid_up_to(),
        },
    })?;
    if text.trim().is_empty() {
        return Err(Problem::Blank);
    }
    Ok(text)
}

/// What serde_json's error says of the line: cut short, torn, or not JSON.
fn json_problem(e: serde_json::Error, raw: &RawLine<'_>) -> Problem {
    let glued_at = raw.glued_at.map(|at| at + 1);
    let message = e.to_string();
    match (e.is_eof(), raw.terminated) {
        (true, _) if glued_at.is_some() => Problem::Torn { message, glued_at },
        (true, false) => Problem::Truncated { message },
        (true, true) => Problem::Torn {
            message,
            glued_at: None,
        },
        (false, _) => Problem::NotJson { message },
    }
}

/// Splits a parsed object into envelope and payload.
///
/// # Errors
/// The first envelope field that is missing or malformed.
fn split(mut map: Map<String, Value>) -> Result<Event, Problem> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str, terminated: bool) -> RawLine<'_> {
        RawLine {
            number: 1,
            bytes: text.as_bytes(),
            terminated,
            too_long: None,
            limit: 100,
            is_log_line: crate::ops::reader::starts_like_a_log_line(text.as_bytes()),
            glued_at: None,
        }
    }

    const GOOD: &str = r#"{"ts":"2026-11-25T10:46:11.126706Z","event_type":"x","session_id":"s","seq":3,"run_id":"run-1","a":1}"#;

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
            Err(Problem::Torn { glued_at: None, .. })
        ));
        // Cut short, another line glued after it (at byte 40 of the line).
        let glued = RawLine {
            glued_at: Some(40),
            ..raw(cut, false)
        };
        assert!(matches!(
            parse(&glued),
            Err(Problem::Torn {
                glued_at: Some(41),
                ..
            })
        ));
        // Cut inside a two-byte character: torn too, not "not UTF-8".
        let inside_a_character = RawLine {
            bytes: b"{\"a\":\"\xc3",
            glued_at: Some(7),
            ..raw("", false)
        };
        assert!(matches!(
            parse(&inside_a_character),
            Err(Problem::Torn {
                glued_at: Some(8),
                ..
            })
        ));
        assert!(matches!(
            parse(&raw("{nope", true)),
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
