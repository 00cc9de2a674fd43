//! The run of a `#[provenance]` function: its id, seeds and metrics, current
//! for the body's whole dynamic extent.
//!
//! The public face is [`Run`], [`current_run`], [`rng`] and [`seed`];
//! [`Run`]'s documentation walks through a whole session.
//!
//! `docs/PROVENANCE_MACRO.md` describes the options, the argument markers,
//! the seed order and what is written when.

mod carry;
mod current;
pub(crate) mod guard;
mod handle;
mod identity;
mod record;
mod seed_event;
mod session;
mod start_order;

pub use carry::{Entered, Instrumented};
pub use current::current_run;
pub use handle::Run;
pub use record::{emit, record_output, rng, seed};
pub use seed_event::SeedDerived;
pub(crate) use start_order::StartOrder;
