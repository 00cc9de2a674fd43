//! What can go wrong while logging, with what to do about it.

use std::path::PathBuf;

/// An event-log failure. Each message names what failed and where.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// The log's file (or the default folder) could not be created or
    /// opened, an explicit path's folder does not exist, or the destination
    /// could not take the first line (`session.start`).
    #[error(
        "cannot open event log {path}: {source}; choose another path with PROVENANCE_LOG=<path> \
         (or stdout, stderr, off)"
    )]
    Open {
        /// The path (or target) that failed.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },

    /// Lines could not be written to the destination.
    #[error(
        "cannot write event log {target}: {source}; {} event(s) dropped so far{}",
        dropped,
        if *strict { "" } else { " (the experiment continues; later events are dropped and counted)" }
    )]
    Write {
        /// The destination (a path, `stdout`, …).
        target: String,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
        /// Events lost so far, this one included.
        dropped: u64,
        /// Whether the log is in strict mode.
        strict: bool,
    },

    /// The event's `Serialize` implementation failed.
    #[error("cannot serialize a {event_type} event: {message}")]
    Serialize {
        /// The event type.
        event_type: &'static str,
        /// The serializer's message.
        message: String,
    },

    /// The event did not serialize as a JSON object, so it has no fields to
    /// put beside the envelope.
    #[error(
        "a {event_type} event must serialize as a JSON object (a struct with named fields), \
         not a number, string, sequence or newtype"
    )]
    NotAnObject {
        /// The event type.
        event_type: &'static str,
    },

    /// A payload field reuses an envelope field's name.
    #[error(
        "the {event_type} event has a field named {field:?}, which every line's envelope already \
         uses; rename it (#[serde(rename = \"...\")])"
    )]
    EnvelopeField {
        /// The event type.
        event_type: &'static str,
        /// The clashing field.
        field: &'static str,
    },

    /// Two Rust types claim the same event type and version
    /// ([`RegistryError::Duplicate`](crate::RegistryError)), so no log can
    /// say which schema a line follows. Reported before any line is written.
    #[error("cannot write an event log: {0}")]
    Registry(#[from] crate::RegistryError),

    /// A `log_*` function was called with no log installed.
    #[error(
        "no event log is installed for {event_type}: open one with EventLog::open(&ctx) and call \
         .install() on it (or use #[provenance])"
    )]
    NoLog {
        /// The event type that could not be written.
        event_type: &'static str,
    },

    /// An environment variable holds a value the runtime does not accept.
    #[error("{variable}={value:?} is not a valid setting: expected {expected}")]
    Setting {
        /// The variable (`PROVENANCE_STRICT`).
        variable: &'static str,
        /// What it held (at most 100 characters).
        value: String,
        /// What it may hold.
        expected: &'static str,
    },
}
