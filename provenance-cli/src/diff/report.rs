//! What `diff` found, in the shape `diff --json` prints (the module
//! documentation of `diff.rs` shows it).

use serde::Serialize;

use super::compare::Difference;
use super::events::TypeReport;

/// One side of the comparison.
#[derive(Debug, Serialize)]
pub struct SideId {
    /// The log.
    pub file: String,
    /// The session chosen in it.
    pub session: String,
    /// The contract version the session follows (`None`: no
    /// `session.start`).
    pub contract_version: Option<u64>,
    /// Lines of the log skipped as a program's output (not starting with
    /// `{`): not a difference.
    pub skipped_lines: u64,
}

/// What `diff --json` prints (see the module documentation).
#[derive(Debug, Serialize)]
pub struct Report {
    /// No difference, and with `--events` every event type the same.
    pub same: bool,
    /// The first log and session.
    pub a: SideId,
    /// The second log and session.
    pub b: SideId,
    /// What makes the runs differ.
    pub differences: Vec<Difference>,
    /// What differs without making the runs differ.
    pub notes: Vec<Difference>,
    /// With `--events`, each event type's comparison.
    pub events: Option<Vec<TypeReport>>,
}
