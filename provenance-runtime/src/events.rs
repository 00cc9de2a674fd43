//! Typed events: what a log line carries beside its envelope.
//!
//! Every event, built-in or user-defined, is a struct implementing [`Event`]
//! and goes through one emit path, [`EventLog::emit`](crate::EventLog::emit).
//! The line format is specified in `docs/CONTRACT.md`.

mod builtin;
mod schema;

pub use builtin::*;

/// The fields every line starts with. An event's own fields may not use
/// these names.
pub const ENVELOPE_FIELDS: [&str; 5] = ["ts", "event_type", "session_id", "seq", "experiment_id"];

/// An event type: a struct whose fields are the payload written flat beside
/// the envelope of each line.
///
/// Serialization must produce a JSON object (a struct with named fields).
/// Non-finite floats anywhere in it are written as `"NaN"`, `"Infinity"` and
/// `"-Infinity"`.
///
/// ```
/// use provenance_runtime::Event;
///
/// #[derive(serde::Serialize)]
/// struct Checkpoint { step: u64, loss: f64 }
///
/// impl Event for Checkpoint {
///     const EVENT_TYPE: &'static str = "training.checkpoint";
///     const VERSION: u32 = 1;
///     fn payload_schema() -> serde_json::Value {
///         serde_json::json!({
///             "type": "object",
///             "properties": {
///                 "step": {"type": "integer", "minimum": 0},
///                 "loss": {"type": ["number", "string"]}
///             },
///             "required": ["step", "loss"]
///         })
///     }
/// }
/// assert_eq!(Checkpoint::EVENT_TYPE, "training.checkpoint");
/// ```
pub trait Event: serde::Serialize {
    /// The `event_type` written on each line, e.g. `data.load`.
    const EVENT_TYPE: &'static str;
    /// The version of this event type's payload schema.
    const VERSION: u32;
    /// JSON Schema (draft 2020-12) of the payload fields alone; the envelope
    /// is specified by the contract.
    fn payload_schema() -> serde_json::Value;
}
