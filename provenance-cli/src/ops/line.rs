//! One line of a log: parsed, its envelope checked, or the problem named.
//!
//! The envelope's fields (`envelope.rs`), the payload read either way
//! (`payload.rs`), the two parsers that accept the same lines (`parse.rs`),
//! what can be wrong (`problem.rs`) and the borrowed JSON tape the fast
//! parser reads into ([`tape`]).

mod envelope;
mod parse;
mod payload;
mod problem;
pub(crate) mod tape;

pub use envelope::{EnvelopeRef, is_envelope_field, timestamp_micros};
pub use parse::{parse, parse_fast, read};
pub use payload::Payload;
pub use problem::{Problem, kind_of};
