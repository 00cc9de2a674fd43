//! The names and the version of the event log contract (`docs/CONTRACT.md`),
//! written once, for the runtime that writes the lines, the derive that
//! checks event fields at compile time, and the CLI that reads them; and
//! how a line escapes its strings ([`json`]), for the runtime that writes
//! them and the CLI that reads and re-writes them.
//!
//! Use them through `ith_provenance::log::CONTRACT_VERSION` and
//! `ith_provenance::events::{ENVELOPE_FIELDS, OPTIONAL_ENVELOPE_FIELDS}`.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod json;

/// The contract version written in every `session.start` event.
pub const CONTRACT_VERSION: u32 = 2;

/// The fields every line starts with, in order. An event's own fields may
/// not use these names.
pub const ENVELOPE_FIELDS: [&str; 5] = ["ts", "event_type", "session_id", "seq", "experiment_id"];

/// The envelope fields a line carries only sometimes: `run_id` and
/// `parent_run_id` (lines written during a `#[provenance]` run, right after
/// the [`ENVELOPE_FIELDS`]) and `non_finite` (the last field of a line
/// holding a NaN or infinite float). An event's own fields may not use these
/// names either.
pub const OPTIONAL_ENVELOPE_FIELDS: [&str; 3] = ["run_id", "parent_run_id", "non_finite"];

/// Whether `name` is an envelope field, required or optional: a name no
/// event field may be written under.
pub fn is_envelope_field(name: &str) -> bool {
    ENVELOPE_FIELDS.contains(&name) || OPTIONAL_ENVELOPE_FIELDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_an_envelope_field_and_nothing_else_is() {
        for name in ENVELOPE_FIELDS.iter().chain(&OPTIONAL_ENVELOPE_FIELDS) {
            assert!(is_envelope_field(name), "{name}");
        }
        for name in ["step", "Seq", "run", "nonfinite", ""] {
            assert!(!is_envelope_field(name), "{name}");
        }
    }
}
