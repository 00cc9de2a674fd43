//! Reads the git state of an experiment's source: which commit, which
//! branch, whether the working tree has uncommitted edits, which paths make
//! it so, and a hash of those edits.
//!
//! Two callers share this one implementation: the runtime, when a run
//! starts (the tree as it is then), and the `#[provenance]` macros, when the
//! experiment crate is compiled (the tree the binary was built from). The
//! definitions (how the repository is found, what counts as dirty, the
//! `diff_hash` byte layout) are in `docs/GIT.md`; use the results through
//! `provenance::git`.
//!
//! Git problems are never errors: a capture outside a repository, in a bare
//! or corrupt one, or before the first commit still returns a [`GitState`],
//! whose `reason` says what could not be named and why.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod find;
mod start;

#[cfg(feature = "libgit2")]
mod abbrev;
#[cfg(feature = "libgit2")]
mod capture;
#[cfg(feature = "libgit2")]
mod diff_hash;
#[cfg(feature = "libgit2")]
mod own_logs;
#[cfg(feature = "libgit2")]
mod remote;
#[cfg(feature = "libgit2")]
mod split;
#[cfg(feature = "libgit2")]
mod status;

#[cfg(all(test, feature = "libgit2"))]
mod split_tests;
#[cfg(all(test, feature = "libgit2"))]
mod tests;

pub use find::capture;

/// How many dirty paths a capture lists; `dirty_path_count` still counts
/// them all. Enough to name what a person forgot to commit or ignore, small
/// enough that a tree with thousands of untracked outputs does not make
/// every log's first line megabytes long.
pub const DIRTY_PATHS_CAP: usize = 50;

/// The git state of a source tree at the moment of capture.
///
/// Every field but the lists is optional because every one of them can be
/// unknowable; `reason` says why whenever something is missing for a reason
/// other than "clean tree".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GitState {
    /// The full 40-hex id of the commit HEAD names.
    pub sha: Option<String>,
    /// The abbreviation `git rev-parse --short HEAD` prints.
    pub short_sha: Option<String>,
    /// Whether the working tree differs from HEAD (`docs/GIT.md`, *Dirty*).
    pub dirty: Option<bool>,
    /// The checked-out branch; `None` on a detached HEAD.
    pub branch: Option<String>,
    /// SHA-256 of the uncommitted contents (`docs/GIT.md`, *diff_hash*),
    /// `Some` only when `dirty` is `Some(true)`.
    pub diff_hash: Option<[u8; 32]>,
    /// The repository's working directory.
    pub repo_root: Option<PathBuf>,
    /// Where others can fetch the commit from, credentials removed.
    pub remote_url: Option<String>,
    /// The directory the search for a repository started from.
    pub searched_from: Option<PathBuf>,
    /// Which directory that was.
    pub found_via: Option<GitSearchStart>,
    /// Why something is missing or unusual, in words a user can act on.
    pub reason: Option<String>,
    /// The first [`DIRTY_PATHS_CAP`] paths that make the tree dirty, sorted
    /// by their bytes, each with how it differs from HEAD.
    pub dirty_paths: Vec<DirtyPath>,
    /// How many paths make the tree dirty, listed or not.
    pub dirty_path_count: usize,
    /// The files of the repository whose change means HEAD, the branch or
    /// the index changed (HEAD, its reflog, the branch ref, packed refs,
    /// the index): the macros make cargo rebuild the experiment crate when
    /// any of them changes, so the build's record cannot go stale.
    pub watched: Vec<PathBuf>,
}

/// One path that makes the tree dirty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirtyPath {
    /// Relative to the repository root, `/`-separated, as git prints it (a
    /// name that is not UTF-8 is shown with U+FFFD in place of its bad
    /// bytes); an untracked nested repository ends with `/`.
    pub path: String,
    /// How it differs from HEAD.
    pub status: PathStatus,
}

/// How a path differs from HEAD, staged and unstaged changes together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathStatus {
    /// Tracked, and its content, mode or type differs.
    Modified,
    /// New and staged (`git add`), not in HEAD.
    Added,
    /// In HEAD, but gone from the index or the working tree.
    Deleted,
    /// New and not staged, not ignored.
    Untracked,
    /// Unmerged: a conflict left by a merge, rebase or cherry-pick.
    Conflicted,
}

impl PathStatus {
    /// The word the logs and the CLI use.
    pub fn as_str(self) -> &'static str {
        match self {
            PathStatus::Modified => "modified",
            PathStatus::Added => "added",
            PathStatus::Deleted => "deleted",
            PathStatus::Untracked => "untracked",
            PathStatus::Conflicted => "conflicted",
        }
    }
}

/// Where the search for the repository started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GitSearchStart {
    /// The experiment crate's `CARGO_MANIFEST_DIR`, recorded at compile time,
    /// so a binary run from elsewhere still records its own source's commit.
    ManifestDir,
    /// The process's current working directory: no manifest directory was
    /// given, or it does not exist on the machine the binary runs on.
    WorkingDir,
}

/// [`capture`], with the current working directory supplied by the caller
/// (tests exercise the fallback without changing the process's directory).
#[doc(hidden)]
pub fn capture_with_cwd(
    manifest_dir: Option<&Path>,
    cwd: impl FnOnce() -> std::io::Result<PathBuf>,
) -> GitState {
    find::capture_with_cwd(manifest_dir, cwd)
}
