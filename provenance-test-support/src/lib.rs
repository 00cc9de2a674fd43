//! What the workspace's tests and benchmarks share, in one crate instead of
//! `#[path]` includes and copied helpers (as cargo's `cargo-test-support`).
//!
//! - [`git`](mod@git): the git CLI with a fixed identity, for repositories tests build.
//! - [`binaries`]: where the examples and the `provenance` binary are.
//! - [`outcome`]: running a program and keeping its exit code and output.
//! - [`example`]: running an example as a user would, each run with its own log.
//! - [`logs`]: valid logs for tests and benchmarks, small and large.
//! - [`experiment`]: a user's own experiment crate, copied and built.
//! - [`readers`]: whether a missing outside tool (python3) may skip a test.
//!
//! It depends on none of the workspace's crates, so any of them (even
//! `ith-provenance-git`, for its unit tests) can use it as a
//! dev-dependency.

pub mod binaries;
pub mod example;
pub mod experiment;
pub mod git;
pub mod logs;
pub mod outcome;
pub mod readers;

pub use binaries::{example_binary, provenance_binary, workspace_root};
pub use git::git;
pub use outcome::{Outcome, provenance};
