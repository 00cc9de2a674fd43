//! What `diff` found, in the shape `diff --json` prints (the module
//! documentation of `diff.rs` shows it).

use serde::Serialize;

use super::compare::Difference;
use super::events::TypeReport;
use crate::ops::scan::StartOrderGroup;

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
    /// No difference, with `--events` every event type the same, and with
    /// `--strict-identity` no run numbered by start order on either side.
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
    /// Each side's runs numbered by start order: their ids, and so the
    /// pairing and their seeds, follow thread scheduling.
    pub start_order: StartOrderSides,
    /// `--strict-identity`: runs numbered by start order make the sides
    /// differ.
    pub strict_identity: bool,
}

/// Each side's groups of runs numbered by start order.
#[derive(Debug, Default, Serialize)]
pub struct StartOrderSides {
    /// In A.
    pub a: Vec<StartOrderGroup>,
    /// In B.
    pub b: Vec<StartOrderGroup>,
}

impl StartOrderSides {
    /// How many runs each side numbers by start order, in words
    /// (`8 run(s) in A and 8 in B`), or `None` when neither has any.
    pub fn counted(&self) -> Option<String> {
        let runs = |groups: &[StartOrderGroup]| groups.iter().map(|g| g.runs).sum::<usize>();
        match (runs(&self.a), runs(&self.b)) {
            (0, 0) => None,
            (a, 0) => Some(format!("{a} run(s) in A")),
            (0, b) => Some(format!("{b} run(s) in B")),
            (a, b) => Some(format!("{a} run(s) in A and {b} in B")),
        }
    }
}
