//! The event log: NDJSON lines, one JSON object each, written fast, safely
//! under threads and processes, and never lost silently.
//!
//! The format is the contract in `docs/CONTRACT.md`; durability and failure
//! behaviour are described on [`Durability`] and
//! [`EventLogBuilder::strict`]. Runs ([`AlgorithmRun`](crate::AlgorithmRun),
//! `#[provenance]`) live in `run`; the log only adds the current run's
//! envelope fields (`run_envelope`).

mod builder;
mod clock;
mod durability;
mod errors;
mod event_log;
mod finite;
mod folder;
mod installed;
mod json;
mod line;
mod metrics;
mod metrics_json;
mod panic;
mod run_envelope;
mod sink;
mod state;

pub use builder::{CONTRACT_VERSION, EventLogBuilder};
pub(crate) use clock::push_timestamp;
pub use clock::{Clock, SystemClock};
pub use durability::Durability;
pub use errors::LogError;
pub use event_log::EventLog;
pub use installed::InstallGuard;
pub(crate) use line::PayloadWriter;
pub use metrics::{BATCH_POINTS, dropped_metric_points};
pub(crate) use metrics::{MetricStore, dropped_point};
pub(crate) use panic::last_panic_message;
pub(crate) use run_envelope::{RunFields, set_current_run};
pub use sink::{LogTarget, MemorySink, default_log_path};
pub use state::LogSummary;
