//! The `provenance` command-line tool: `summary`, `validate`, `diff`,
//! `verify` and `schema` over NDJSON provenance logs (`docs/CONTRACT.md`).
//!
//! The binary is a thin layer over this library, so the verbs are tested
//! (and fuzzed) without spawning processes. Every verb streams its logs:
//! memory grows with the number of sessions, runs and inputs, not lines.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cli;
pub mod diff;
pub mod error;
pub mod line;
pub mod non_finite;
pub mod output;
pub mod reader;
pub mod scan;
pub mod schema;
pub mod schemas;
pub mod seed;
pub mod summary;
pub mod validate;
pub mod verify;

pub use error::CliError;
