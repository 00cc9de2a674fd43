//! Records which commit of the experiment's source produced a run, and
//! whether the working tree had uncommitted edits.
//!
//! The state is read twice: when the experiment crate is compiled
//! ([`crate_info!`](crate::crate_info) carries it into the binary), and
//! when a run starts. The build's state is what produced the results; the
//! run's is kept beside it when the two differ (a binary not rebuilt after
//! a commit or an edit), see [`ProvenanceContext::git_at_run`](crate::ProvenanceContext).
//!
//! Git problems are never errors: a run outside a repository, in a bare or
//! corrupt one, or before the first commit still runs, and [`GitInfo`] says
//! what could not be named and why (`reason`). The exact definitions (how the
//! repository is found, what counts as dirty, the `diff_hash` byte layout
//! and a shell recipe that recomputes it) are in `docs/GIT.md`.

pub(crate) mod build;
mod cache;
mod find;
mod info;
pub(crate) mod patch;

pub(crate) use build::{Stale, reconcile};
pub use cache::{git_info, prefetch_git};
pub use find::capture_git;
pub use info::{CapturedAt, GitInfo};
pub use ith_provenance_git::{DIRTY_PATHS_CAP, DirtyPath, GitSearchStart, PathStatus};
pub use patch::PatchInfo;
