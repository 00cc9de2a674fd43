//! What the macros' generated code (and `crate_info!()`'s expansion)
//! reaches the runtime through, and the hooks the workspace's benchmarks
//! use. Not public API: names here change whenever the macros need them to.

mod crate_info;
mod event;
mod fingerprint;
pub mod hooks;
mod provenance;

pub use crate_info::*;
pub use event::*;
pub use fingerprint::*;
pub use provenance::*;
