//! The scan the integration tests, the fuzz test and the benchmarks check
//! the verbs against, reached without making the modules that hold it
//! public.

pub use crate::commands::validate::is_valid;
pub use crate::ops::reader::{SNIFF_BYTES, binary_reason, glued_line_start};
pub use crate::ops::scan::{MAX_INPUTS, Scan, ScanOptions, scan, scan_bytes, scan_bytes_reference};
pub use crate::ops::schemas::Schemas;

use serde_json::{Map, Value};

use crate::ops::line::tape::Tape;
use crate::ops::line::{self, Payload};
use crate::ops::reader::RawLine;

/// One log line through each of the CLI's fast paths and through its
/// reference, for `benches/fast_paths.rs` (`docs/FAST_PATHS.md`).
pub struct LinePaths {
    line: String,
    tape: Tape,
    schemas: Schemas,
    /// The payload as the reference parse gives it.
    payload: Map<String, Value>,
}

impl LinePaths {
    /// Prepares `line`, a valid line (without its `\n`) of an event type
    /// the contract's version 2 has a schema for.
    ///
    /// # Errors
    /// What is wrong with the line, when it is not valid.
    pub fn new(line: &str) -> Result<LinePaths, String> {
        let event = line::parse(&raw(line)).map_err(|p| p.to_string())?;
        let mut paths = LinePaths {
            line: line.to_string(),
            tape: Tape::default(),
            schemas: Schemas::default(),
            payload: event.payload,
        };
        for reference in [false, true] {
            if !paths.check(reference) {
                return Err(format!("the line does not match the schema of {line}"));
            }
        }
        Ok(paths)
    }

    /// Builds the line's tape: with the quick tokenizer (which leaves the
    /// lines it does not know to serde_json), or with serde_json alone.
    /// Returns whether the line is JSON.
    pub fn tokenize(&mut self, reference: bool) -> bool {
        if reference {
            self.tape.parse_with_serde(&self.line).is_ok()
        } else {
            self.tape.parse(&self.line).is_ok()
        }
    }

    /// Reads the line's envelope: in place from its tape (`parse_fast`),
    /// or into a `serde_json::Map` (`parse`). Returns its `seq`.
    pub fn envelope(&mut self, reference: bool) -> Option<u64> {
        let raw = raw(&self.line);
        if reference {
            line::parse(&raw).ok().map(|event| event.envelope.seq)
        } else {
            line::parse_fast(&raw, &mut self.tape).map(|(envelope, _)| envelope.seq)
        }
    }

    /// Checks the payload against its schema as `validate` does: on the
    /// tape by the fast schema, or by the jsonschema crate on the payload
    /// as a `serde_json::Map` (what `check_payload` falls back to). Both
    /// ways parse the line in place first, as the scanner does, so only
    /// the check differs. Returns whether the payload is valid.
    pub fn check(&mut self, reference: bool) -> bool {
        let raw = raw(&self.line);
        let Some((envelope, tape_payload)) = line::parse_fast(&raw, &mut self.tape) else {
            return false;
        };
        let payload = if reference {
            Payload::Map(&self.payload)
        } else {
            tape_payload
        };
        self.schemas
            .check_payload("bench", envelope.event_type, payload, Some(2))
            .is_ok()
    }
}

/// `line` as the reader hands it over: whole, terminated, a log line.
fn raw(line: &str) -> RawLine<'_> {
    RawLine {
        number: 1,
        bytes: line.as_bytes(),
        terminated: true,
        too_long: None,
        limit: usize::MAX,
        is_log_line: true,
        glued_at: None,
    }
}
