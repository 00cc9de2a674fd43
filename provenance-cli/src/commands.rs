//! The verbs: one file (or folder) per verb, owning its arguments and its
//! `run`. The work they share (reading logs, checking lines, expanding
//! paths) is in [`crate::ops`]; a verb never calls another verb.

pub(crate) mod diff;
pub(crate) mod export;
pub(crate) mod report;
pub(crate) mod rerun;
pub(crate) mod runs;
pub(crate) mod schema;
pub(crate) mod summary;
pub(crate) mod ui;
pub(crate) mod validate;
pub(crate) mod verify;
pub(crate) mod why;
