//! Reads the git state of an experiment's source: which commit, which
//! branch, whether the working tree has uncommitted edits, which paths make
//! it so, and a hash of those edits.
//!
//! Two callers share this one implementation: the runtime, when a run
//! starts (the tree as it is then), and the `#[provenance]` macros, when the
//! experiment crate is compiled (the tree the binary was built from). The
//! definitions (how the repository is found, what counts as dirty, the
//! `diff_hash` byte layout) are in `docs/GIT.md`; use the results through
//! `ith_provenance::git`.
//!
//! Git problems are never errors: a capture outside a repository, in a bare
//! or corrupt one, or before the first commit still returns a [`GitState`],
//! whose `reason` says what could not be named and why.

mod find;
pub mod redact;
mod start;
mod state;

#[cfg(feature = "libgit2")]
mod abbrev;
#[cfg(feature = "libgit2")]
mod capture;
#[cfg(feature = "libgit2")]
mod diff_hash;
#[cfg(feature = "libgit2")]
mod own_logs;
#[cfg(feature = "libgit2")]
mod patch;
#[cfg(feature = "libgit2")]
mod remote;
#[cfg(feature = "libgit2")]
mod split;
#[cfg(feature = "libgit2")]
mod status;

#[cfg(all(test, feature = "libgit2"))]
mod patch_tests;
#[cfg(all(test, feature = "libgit2"))]
mod split_tests;
#[cfg(all(test, feature = "libgit2"))]
mod tests;

pub use find::{capture, capture_with_patch};
pub use state::{
    DIRTY_PATHS_CAP, DirtyPath, GitSearchStart, GitState, PATCH_CAP_BYTES, PathStatus,
    UncommittedPatch,
};
