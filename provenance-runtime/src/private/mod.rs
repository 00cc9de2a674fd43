//! What the macros' generated code reaches the runtime through. Not public
//! API: names here change whenever the macros need them to.

mod event;
pub mod fast_paths;
mod fingerprint;
mod run;

pub use event::*;
pub use fingerprint::*;
pub use run::*;
