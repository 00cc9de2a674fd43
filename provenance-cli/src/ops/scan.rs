//! One streaming pass over one or more logs: every line parsed and checked,
//! and per session what `summary` and `diff` report. Memory grows with the
//! number of sessions, runs, inputs and seeds, never with the number of
//! lines.
//!
//! `model.rs` holds what a scan finds, `context.rs` the typed context, `scanner.rs` the pass over the
//! lines, `events.rs` what each event adds to its session, `seq.rs` what
//! its `seq` says (lost, late or repeated lines), `metrics.rs` what a
//! `metrics` batch must hold, `start_order.rs` the
//! runs whose identity follows start order.

mod context;
mod events;
mod metrics;
mod model;
mod scanner;
mod seq;
mod start_order;
mod steps;

pub use context::{
    Build, CargoTarget, Context, CrateRecord, Dependency, GitRecord, Host, Toolchain,
};
pub use model::{
    CONTRACT_VERSION, Finding, InMemory, Input, MAX_INPUTS, Output, Run, Scan, Session, Status,
};
pub use scanner::{ScanOptions, scan, scan_bytes, scan_bytes_reference};
pub use start_order::StartOrderGroup;
