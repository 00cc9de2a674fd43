//! The run of a `#[provenance]` function: its id, seeds and metrics, current
//! for the body's whole dynamic extent.
//!
//! The public face is [`Run`], [`current_run`], [`rng`] and [`seed`];
//! [`Run`]'s documentation walks through a whole session. [`AlgorithmRun`]
//! is the same record by hand, for code that cannot be annotated, and what
//! an annotated run writes its `algorithm.result` through.
//!
//! `docs/PROVENANCE_MACRO.md` describes the options, the argument markers,
//! the seed order and what is written when.

mod algorithm_run;
mod carry;
mod current_run;
pub(crate) mod guard;
mod handle;
mod identity;
mod record;
mod seed_event;
mod session;
mod start_order;

pub use algorithm_run::AlgorithmRun;
pub(crate) use algorithm_run::SharedOutputs;
pub use carry::{Entered, Instrumented};
pub use current_run::current_run;
pub use handle::Run;
pub use record::{emit, metric, metric_at, record_output, rng, seed};
pub use seed_event::SeedDerived;
pub(crate) use start_order::StartOrder;
