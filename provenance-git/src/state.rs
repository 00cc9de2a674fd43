//! What a capture records: [`GitState`], its dirty paths and where the
//! repository search started.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

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
    /// The uncommitted changes as a patch, when asked for
    /// ([`capture_with_patch`](crate::capture_with_patch)) and the tree is
    /// dirty (`docs/GIT.md`, *The patch*); `None` otherwise.
    pub patch: Option<UncommittedPatch>,
}

/// The largest patch kept: a bigger one is not stored, and its `reason`
/// says so. A patch is embedded in the binary and written beside every log
/// folder, so it is meant for source edits, not for data left unignored.
pub const PATCH_CAP_BYTES: usize = 1 << 20;

/// The uncommitted changes of a dirty tree, as `git apply --binary` applies
/// them to a clean checkout of the commit: tracked changes against HEAD and
/// untracked files that are not ignored, binary ones included, without
/// provenance's own logs (the paths `diff_hash` hashes).
///
/// ```
/// use ith_provenance_git::UncommittedPatch;
///
/// let off = UncommittedPatch::not_stored("PROVENANCE_PATCH=off");
/// assert_eq!(off.bytes, None);
/// assert_eq!(off.reason.as_deref(), Some("not stored: PROVENANCE_PATCH=off"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UncommittedPatch {
    /// The patch text (`diff --git …`, git's binary patches for binary
    /// files); `None` when it is not kept, and `reason` says why.
    pub bytes: Option<Vec<u8>>,
    /// The paths with an added line whose secret value was replaced by
    /// `<redacted>` ([`SecretNames::redact_assignment`](crate::redact::SecretNames::redact_assignment)):
    /// applied, the patch gives those files without their secrets, so it no
    /// longer gives back `diff_hash`.
    pub redacted: Vec<String>,
    /// Why there are no bytes, starting `not stored: `.
    pub reason: Option<String>,
}

impl UncommittedPatch {
    /// No patch, because of `why` (recorded as `not stored: <why>`).
    pub fn not_stored(why: impl std::fmt::Display) -> Self {
        UncommittedPatch {
            bytes: None,
            redacted: Vec::new(),
            reason: Some(format!("not stored: {why}")),
        }
    }
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
