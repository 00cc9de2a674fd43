//! Records which commit of the experiment's source produced a run, and
//! whether the working tree had uncommitted edits.
//!
//! Git problems are never errors: a run outside a repository, in a bare or
//! corrupt one, or before the first commit still runs, and [`GitInfo`] says
//! what could not be named and why (`reason`). The exact definitions (how the
//! repository is found, what counts as dirty, the `diff_hash` byte layout
//! and a shell recipe that recomputes it) are in `docs/GIT.md`.

mod cache;
mod find;
mod info;
mod start;

pub use cache::{git_info, prefetch_git};
pub use find::capture_git;
pub use info::{GitInfo, GitSearchStart};

#[cfg(feature = "git")]
mod abbrev;
#[cfg(feature = "git")]
mod capture;
#[cfg(feature = "git")]
mod diff_hash;
#[cfg(feature = "git")]
mod own_logs;
#[cfg(feature = "git")]
mod remote;
#[cfg(feature = "git")]
mod split;
#[cfg(feature = "git")]
mod status;

#[cfg(all(test, feature = "git"))]
mod split_tests;
#[cfg(all(test, feature = "git"))]
mod tests;
