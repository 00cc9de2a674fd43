//! The event log: NDJSON lines, one JSON object each, written fast, safely
//! under threads and processes, and never lost silently.
//!
//! The format is the contract in `docs/CONTRACT.md`; durability and failure
//! behaviour are described on [`Durability`] and [`EventLog`].

mod builder;
mod clock;
mod current;
mod durability;
mod env;
mod errors;
mod event_log;
mod finite;
mod folder;
mod json;
mod line;
mod panic;
mod run;
mod run_fields;
mod sink;
mod state;

pub use builder::{CONTRACT_VERSION, EventLogBuilder};
pub(crate) use clock::push_timestamp;
pub use clock::{Clock, SystemClock};
pub use current::InstallGuard;
pub use durability::Durability;
pub use env::{QUIET_ENV, STRICT_ENV};
pub(crate) use env::{quiet, strict_from_env};
pub use errors::LogError;
pub use event_log::EventLog;
pub(crate) use run::SharedOutputs;
pub use run::{
    AlgorithmRun, log_algorithm_init, log_data_load, log_epoch_detected, log_hypothesis_result,
};
pub(crate) use run_fields::{RunFields, set_current_run};
pub use sink::{LOG_ENV, LogTarget, MemorySink, default_log_path};
pub use state::LogSummary;
