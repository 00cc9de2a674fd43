//! Typed events: what a log line carries beside its envelope.
//!
//! Every event, built-in or user-defined, is a struct implementing [`Event`]
//! (usually with `#[derive(Event)]`) and goes through one emit path,
//! [`EventLog::emit`](crate::EventLog::emit). The line format is specified
//! in `docs/CONTRACT.md`.

mod builtin;
mod event;
mod field_schema;
pub(crate) mod registry;

pub use builtin::*;
pub use event::{ENVELOPE_FIELDS, Event, OPTIONAL_ENVELOPE_FIELDS};
pub use field_schema::FieldSchema;
pub(crate) use registry::check as check_registry;
pub use registry::{EventSchema, RegistryError, schemas};
