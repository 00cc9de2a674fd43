//! The [`Event`] trait, and the envelope field names no event may use.

// The envelope's names, written once for the runtime, the derive (which
// refuses them as field names at compile time) and the CLI.
pub use ith_provenance_contract::{ENVELOPE_FIELDS, OPTIONAL_ENVELOPE_FIELDS};

/// An event type: a struct whose fields are the payload written flat beside
/// the envelope of each line.
///
/// Derive it: `#[derive(Event)]` with `#[event(name = "…", version = N)]`
/// writes `EVENT_TYPE`, `VERSION` and a `payload_schema()` built from the
/// fields' types ([`FieldSchema`](crate::FieldSchema)) and their `#[serde]` attributes, checks
/// the name and the field names at compile time, and registers the type for
/// [`schemas`](crate::schemas). The first line of each event type in a session is preceded
/// by an `event.schema` line carrying that schema, so every log describes
/// itself.
///
/// ```
/// use ith_provenance::Event;
///
/// #[derive(serde::Serialize, Event)]
/// #[event(name = "training.checkpoint", version = 1)]
/// struct Checkpoint {
///     step: u64,
///     loss: f64,
///     #[serde(skip_serializing_if = "Option::is_none")]
///     note: Option<String>,
/// }
///
/// assert_eq!(Checkpoint::EVENT_TYPE, "training.checkpoint");
/// assert_eq!(Checkpoint::VERSION, 1);
/// let schema = Checkpoint::payload_schema();
/// assert_eq!(schema["properties"]["step"], serde_json::json!({"type": "integer", "minimum": 0}));
/// assert_eq!(schema["required"], serde_json::json!(["step", "loss"]));
/// assert_eq!(schema["additionalProperties"], false);
/// ```
///
/// (Through the `ith-provenance` crate, leave out `crate = …`.) Implementing it
/// by hand is possible too: serialization must then produce a JSON object (a
/// struct with named fields) whose fields avoid [`ENVELOPE_FIELDS`], and
/// the type is not listed by [`schemas`](crate::schemas). Non-finite floats anywhere in an
/// event are written as `"NaN"`, `"Infinity"` and `"-Infinity"`.
pub trait Event: serde::Serialize {
    /// The `event_type` written on each line, e.g. `data.load`.
    const EVENT_TYPE: &'static str;
    /// The version of this event type's payload schema.
    const VERSION: u32;
    /// JSON Schema (draft 2020-12) of the payload fields alone; the envelope
    /// is specified by the contract.
    fn payload_schema() -> serde_json::Value;
}
