//! The `provenance` command-line tool: `summary`, `validate`, `diff`,
//! `verify`, `schema`, `runs`, `why`, `rerun`, `report`, `ui` and `export`
//! over NDJSON provenance logs (`docs/CONTRACT.md`).
//!
//! The binary is a thin layer over this library, so the verbs are tested
//! (and fuzzed) without spawning processes. `cli` parses the command line
//! and calls a verb in `commands/` (one file or folder each: its arguments
//! and its `run`); the verbs share the plumbing in `ops/` (finding, reading,
//! parsing, checking and scanning logs), which knows no verb. Every verb streams its logs:
//! memory grows with the number of sessions, runs and inputs, not lines.
//!
//! Public: [`cli::run`], the whole tool as a function, and [`seed`], how
//! to read and compare a seed in either form the contract writes it.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

pub mod cli;
mod commands;
mod error;
mod ops;
mod output;
pub mod seed;

/// For this crate's own integration tests, fuzz test and benchmarks only;
/// not part of the API (it changes whenever the scanner does).
#[doc(hidden)]
pub mod __private;
