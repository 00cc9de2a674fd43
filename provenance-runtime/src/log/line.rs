//! Builds one NDJSON line — envelope, then the payload's fields flat beside
//! it — in a reused buffer.

use super::clock::push_timestamp;
use super::errors::LogError;
use super::finite::serialize_finite;
use super::json::{GiveUp, Json, push_json_str};
use super::run_envelope::{RunFields, push_current_run, push_run};
use crate::Event;
use crate::events::{ENVELOPE_FIELDS, OPTIONAL_ENVELOPE_FIELDS};

/// The parts of the envelope that are the same on every line of a session,
/// JSON-escaped once when the log opens.
#[derive(Debug)]
pub(crate) struct Envelope {
    /// `"session_id":"…"` with its leading comma.
    session: Vec<u8>,
    /// `,"experiment_id":"…"` or empty.
    experiment: Vec<u8>,
    /// The session's id, to find the run current on the writing thread.
    session_id: String,
}

impl Envelope {
    pub(crate) fn new(session_id: &str, experiment_id: Option<&str>) -> Self {
        let mut session = b",\"session_id\":".to_vec();
        push_json_str(&mut session, session_id);
        let mut experiment = Vec::new();
        if let Some(id) = experiment_id {
            experiment.extend_from_slice(b",\"experiment_id\":");
            push_json_str(&mut experiment, id);
        }
        Envelope {
            session,
            experiment,
            session_id: session_id.to_string(),
        }
    }
}

/// Which writer encodes payloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PayloadWriter {
    /// The fast writer (`json.rs`), handing the payload to the reference
    /// writer whenever it gives up. The default.
    Fast,
    /// Always serde_json through the non-finite adapter: what the fast
    /// writer must equal, kept selectable so a benchmark can time both on
    /// the real path.
    Reference,
}

/// Whose `run_id` a line carries.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LineRun<'a> {
    /// The run current on the writing thread, if any.
    Current,
    /// This run's (`None`: no run's), whichever thread writes the line: a
    /// run's metric batch, written by any thread, even one whose
    /// thread-locals are being destroyed.
    Given(Option<&'a RunFields>),
}

/// What a line's envelope holds besides the session's fields.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LineHead<'a> {
    /// `ts`, in microseconds since the Unix epoch.
    pub(crate) ts_micros: i64,
    pub(crate) seq: u64,
    pub(crate) run: LineRun<'a>,
}

/// Writes an event's payload as the fast writer would, from what the event
/// is rather than through serde (a `metrics` batch's arrays).
pub(super) type OwnPayload<'a> = &'a dyn Fn(&mut Vec<u8>) -> Result<(), GiveUp>;

/// Appends one complete line (ending in `\n`) for `event` to `out`, its
/// payload written by `own` when given (and the fast writer is chosen).
/// On error `out` is left exactly as it was.
pub(crate) fn encode_line<E: Event + ?Sized>(
    out: &mut Vec<u8>,
    envelope: &Envelope,
    head: LineHead<'_>,
    event: &E,
    check_fields: bool,
    writer: PayloadWriter,
    own: Option<OwnPayload<'_>>,
) -> Result<(), LogError> {
    let LineHead {
        ts_micros,
        seq,
        run,
    } = head;
    let line_start = out.len();
    out.extend_from_slice(b"{\"ts\":\"");
    push_timestamp(out, ts_micros);
    out.extend_from_slice(b"\",\"event_type\":");
    push_json_str(out, E::EVENT_TYPE);
    out.extend_from_slice(&envelope.session);
    out.extend_from_slice(b",\"seq\":");
    out.extend_from_slice(itoa::Buffer::new().format(seq).as_bytes());
    out.extend_from_slice(&envelope.experiment);
    // `,"run_id":…` (and `,"parent_run_id":…`) while an annotated
    // function's run in this session is current on this thread.
    match run {
        LineRun::Current => push_current_run(out, &envelope.session_id),
        LineRun::Given(Some(fields)) => push_run(out, fields, &envelope.session_id),
        LineRun::Given(None) => {}
    }

    let payload_start = out.len();
    let mut non_finite = Vec::new();
    let fast = match writer {
        PayloadWriter::Fast => match own {
            Some(own) => own(out),
            None => event.serialize(Json(&mut *out)),
        },
        PayloadWriter::Reference => Err(GiveUp),
    };
    let encoded = match fast {
        Ok(()) => Ok(()),
        Err(GiveUp) => {
            // A non-finite float or a shape the fast writer leaves to
            // serde_json, or an error (which serde_json reports in its own
            // words).
            out.truncate(payload_start);
            serialize_finite(event, &mut serde_json::Serializer::new(&mut *out))
                .map(|((), found)| non_finite = found)
        }
    };
    let result = encoded
        .map_err(|e| LogError::Serialize {
            event_type: E::EVENT_TYPE,
            message: e.to_string(),
        })
        .and_then(|()| {
            if check_fields {
                check_payload(&out[payload_start..], E::EVENT_TYPE)
            } else if out.get(payload_start) == Some(&b'{') {
                Ok(())
            } else {
                Err(LogError::NotAnObject {
                    event_type: E::EVENT_TYPE,
                })
            }
        });
    if let Err(e) = result {
        out.truncate(line_start);
        return Err(e);
    }
    if out.len() - payload_start == 2 {
        // `{}`: no payload fields; close the envelope.
        out.truncate(payload_start);
        out.push(b'}');
    } else {
        // `{"a":…}` becomes `,"a":…}` continuing the envelope's object.
        out[payload_start] = b',';
    }
    if !non_finite.is_empty() {
        push_non_finite(out, &non_finite);
    }
    out.push(b'\n');
    Ok(())
}

/// Replaces the line's closing `}` with its trailing `non_finite` field:
/// `,"non_finite":[{"pointer":"/excess_loss","value":"NaN"},…]}`.
fn push_non_finite(out: &mut Vec<u8>, found: &[(String, &'static str)]) {
    out.pop();
    out.extend_from_slice(b",\"non_finite\":[");
    for (i, (pointer, name)) in found.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"pointer\":");
        push_json_str(out, pointer);
        out.extend_from_slice(b",\"value\":\"");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\"}");
    }
    out.extend_from_slice(b"]}");
}

/// Checks, once per event type and log, that the payload is an object whose
/// fields do not reuse an envelope name (which would make the line
/// ambiguous: two `seq` keys).
fn check_payload(payload: &[u8], event_type: &'static str) -> Result<(), LogError> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(payload).map_err(|_| LogError::NotAnObject { event_type })?;
    let mut fields = ENVELOPE_FIELDS.iter().chain(&OPTIONAL_ENVELOPE_FIELDS);
    match fields.find(|f| object.contains_key(**f)) {
        Some(field) => Err(LogError::EnvelopeField { event_type, field }),
        None => Ok(()),
    }
}
