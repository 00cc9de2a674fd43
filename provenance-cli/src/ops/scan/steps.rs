//! The steps one parsed line goes through before its event updates its
//! session, in the order the scanner takes them: the line's form, the
//! session it belongs to, what it adds to the session's tallies, the
//! contract version it follows, and its non-finite floats. Each step is a
//! function of what it reads and changes, so each is tested alone.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::model::{CONTRACT_VERSION, Session};
use crate::ops::line::{self, EnvelopeRef, Payload, Problem};
use crate::ops::non_finite;
use crate::ops::reader::RawLine;

/// Problems of the line's form: no newline at its end, and (when
/// `check_form`) a `ts` that is no real date and time.
pub(super) fn form(raw: &RawLine<'_>, envelope: EnvelopeRef<'_>, check_form: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !raw.terminated {
        problems.push(match raw.glued_at {
            Some(at) => Problem::NoNewline { column: at + 1 },
            None => Problem::Unterminated,
        });
    }
    if check_form && line::timestamp_micros(envelope.ts).is_none() {
        problems.push(Problem::Envelope {
            field: "ts",
            message: format!(
                "{:?} is no real date and time (a month 13, 30 February, hour 24 …)",
                envelope.ts
            ),
        });
    }
    problems
}

/// The sessions met so far, found by id.
pub(super) struct Sessions<'a> {
    /// Every session, in the order met.
    pub sessions: &'a mut Vec<Session>,
    /// Session id to its index in `sessions`.
    pub index: &'a mut HashMap<String, usize>,
    /// The session of the previous line: consecutive lines nearly always
    /// share it, so it is tried before the map.
    pub last: &'a mut Option<usize>,
}

impl Sessions<'_> {
    /// The index of the line's session, a new one when first met, and the
    /// problem of a session already read from another file (a copy of a
    /// log), which is then counted once, with both files named.
    pub(super) fn locate(&mut self, file: &str, session_id: &str) -> (usize, Option<Problem>) {
        let sessions = &mut *self.sessions;
        let last = self.last.filter(|&i| sessions[i].id == session_id);
        let index = match last.or_else(|| self.index.get(session_id).copied()) {
            Some(i) => i,
            None => {
                sessions.push(Session {
                    id: session_id.to_string(),
                    file: file.to_string(),
                    ..Session::default()
                });
                let i = sessions.len() - 1;
                self.index.insert(session_id.to_string(), i);
                i
            }
        };
        *self.last = Some(index);
        let session = &mut sessions[index];
        let mut problem = None;
        if session.file != file && !session.also_in.iter().any(|f| f == file) {
            session.also_in.push(file.to_string());
            problem = Some(Problem::Meta {
                message: format!(
                    "session {} was already read from {}: the same session in two logs (a copy?); \
                     its lines are counted together",
                    session.id, session.file
                ),
            });
        }
        (index, problem)
    }
}

/// Counts the line in its session: lines, lines by event type, the first
/// and last `ts`, the experiment id. No allocation once the session has
/// seen the event type.
pub(super) fn tally(session: &mut Session, envelope: EnvelopeRef<'_>) {
    session.lines += 1;
    match session.counts.get_mut(envelope.event_type) {
        Some(count) => *count += 1,
        None => {
            session.counts.insert(envelope.event_type.to_string(), 1);
        }
    }
    if session.first_ts.is_none() {
        session.first_ts = Some(envelope.ts.to_string());
    }
    if session.experiment_id.is_none() {
        session.experiment_id = envelope.experiment_id.map(String::from);
    }
    match &mut session.last_ts {
        Some(last) => {
            last.clear();
            last.push_str(envelope.ts);
        }
        None => session.last_ts = Some(envelope.ts.to_string()),
    }
}

/// The contract version the line follows: a `session.start` says its own;
/// other lines follow their session's (`None`: not known, read as the
/// newest).
pub(super) fn contract_of(
    session: &Session,
    event_type: &str,
    payload: Payload<'_>,
) -> Option<u64> {
    if event_type == "session.start" {
        payload.u64("contract_version")
    } else {
        session.contract_version
    }
}

/// Whether a line of `contract` is newer than this tool reads.
pub(super) fn is_newer(contract: Option<u64>) -> bool {
    contract.is_some_and(|v| v > CONTRACT_VERSION)
}

/// A version-2 line's payload with its `non_finite` list taken out: as
/// written (nulls in place, what its schema sees) and restored (the floats
/// back, what the line records), with the list's problems. `None` for a
/// line without the list, or of version 1 (whose strings stand in place),
/// or of a newer version: its payload is used as it is.
pub(super) fn split_non_finite(payload: Payload<'_>, contract: Option<u64>) -> Option<Split> {
    if is_newer(contract) || contract.is_some_and(|v| v < 2) || !payload.has(non_finite::FIELD) {
        return None;
    }
    let mut written = payload.to_map();
    let list = written.remove(non_finite::FIELD).unwrap_or(Value::Null);
    let problems = non_finite::check(&list, &written).into_iter().collect();
    let mut restored = written.clone();
    non_finite::restore(&list, &mut restored);
    Some(Split {
        written,
        restored,
        problems,
    })
}

/// A payload split by [`split_non_finite`].
pub(super) struct Split {
    /// As written: nulls in place, the `non_finite` list left out.
    pub written: Map<String, Value>,
    /// The floats restored.
    pub restored: Map<String, Value>,
    /// What is wrong with the list.
    pub problems: Vec<Problem>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn envelope<'a>(ts: &'a str, event_type: &'a str, session_id: &'a str) -> EnvelopeRef<'a> {
        EnvelopeRef {
            ts,
            event_type,
            session_id,
            seq: 0,
            experiment_id: Some("exp"),
            run_id: None,
            parent_run_id: None,
        }
    }

    fn raw(bytes: &[u8], terminated: bool) -> RawLine<'_> {
        RawLine {
            number: 1,
            bytes,
            terminated,
            too_long: None,
            limit: 1 << 20,
            is_log_line: true,
            glued_at: None,
        }
    }

    #[test]
    fn form_names_a_missing_newline_and_an_unreal_time_only_when_asked() {
        let good = envelope("2026-12-01T10:00:00.000000Z", "x", "s");
        assert!(form(&raw(b"{}", true), good, true).is_empty());
        assert!(matches!(
            form(&raw(b"{}", false), good, false)[..],
            [Problem::Unterminated]
        ));
        let unreal = envelope("2026-02-30T10:00:00.000000Z", "x", "s");
        assert!(form(&raw(b"{}", true), unreal, false).is_empty());
        assert!(matches!(
            form(&raw(b"{}", true), unreal, true)[..],
            [Problem::Envelope { field: "ts", .. }]
        ));
    }

    #[test]
    fn locate_makes_a_session_once_and_names_a_second_file() {
        let (mut sessions, mut index, mut last) = (Vec::new(), HashMap::new(), None);
        let mut s = Sessions {
            sessions: &mut sessions,
            index: &mut index,
            last: &mut last,
        };
        assert!(matches!(s.locate("a.ndjson", "s1"), (0, None)));
        assert!(matches!(s.locate("a.ndjson", "s2"), (1, None)));
        assert!(matches!(s.locate("a.ndjson", "s1"), (0, None)));
        let (i, problem) = s.locate("b.ndjson", "s1");
        assert_eq!(i, 0);
        assert!(
            matches!(problem, Some(Problem::Meta { message }) if message.contains("already read from a.ndjson"))
        );
        assert!(
            matches!(s.locate("b.ndjson", "s1"), (0, None)),
            "named once"
        );
        assert_eq!(sessions[0].also_in, ["b.ndjson"]);
        assert_eq!(last, Some(0));
    }

    #[test]
    fn tally_counts_lines_types_and_keeps_the_first_and_last_time() {
        let mut session = Session::default();
        tally(&mut session, envelope("t1", "data.load", "s"));
        tally(&mut session, envelope("t2", "data.load", "s"));
        tally(&mut session, envelope("t3", "algorithm.result", "s"));
        assert_eq!(session.lines, 3);
        assert_eq!(session.counts["data.load"], 2);
        assert_eq!(session.first_ts.as_deref(), Some("t1"));
        assert_eq!(session.last_ts.as_deref(), Some("t3"));
        assert_eq!(session.experiment_id.as_deref(), Some("exp"));
    }

    #[test]
    fn the_contract_is_the_start_lines_own_else_the_sessions() {
        let mut session = Session::default();
        let start = json!({"contract_version": 1}).as_object().unwrap().clone();
        assert_eq!(
            contract_of(&session, "session.start", Payload::Map(&start)),
            Some(1)
        );
        session.contract_version = Some(2);
        assert_eq!(
            contract_of(&session, "data.load", Payload::Map(&Map::new())),
            Some(2)
        );
        assert!(is_newer(Some(CONTRACT_VERSION + 1)) && !is_newer(None));
    }

    #[test]
    fn non_finite_floats_are_restored_for_version_2_only() {
        let line = json!({"x": null, "non_finite": [{"pointer": "/x", "value": "NaN"}]});
        let map = line.as_object().unwrap().clone();
        let Split {
            written,
            restored,
            problems,
        } = split_non_finite(Payload::Map(&map), Some(2)).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(written, *json!({"x": null}).as_object().unwrap());
        assert!(!restored["x"].is_null(), "the NaN is back: {restored:?}");
        assert!(split_non_finite(Payload::Map(&map), Some(1)).is_none());
        assert!(split_non_finite(Payload::Map(&map), Some(CONTRACT_VERSION + 1)).is_none());
        let plain = json!({"x": 1.0}).as_object().unwrap().clone();
        assert!(split_non_finite(Payload::Map(&plain), Some(2)).is_none());
    }
}
