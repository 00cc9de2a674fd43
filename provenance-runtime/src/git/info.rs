//! What is recorded of the source's git state: [`GitInfo`], and when it was
//! read ([`CapturedAt`]).

use std::path::PathBuf;

use ith_provenance_git::{DirtyPath, GitSearchStart, GitState};
use serde::{Deserialize, Serialize};

use super::patch::PatchInfo;
use crate::Sha256Hash;

/// The git state of the experiment's source at the moment of capture.
///
/// Every field is optional because every one of them can be unknowable: a run
/// outside any repository has no `sha`, a detached checkout has no `branch`,
/// a clean tree has no `diff_hash`. Whenever something is missing for a reason
/// other than "clean tree", `reason` says why in words a user can act on.
///
/// ```
/// use ith_provenance::git::{CapturedAt, DirtyPath, GitInfo, GitSearchStart, PathStatus};
///
/// let info = GitInfo {
///     sha: Some("0123456789abcdef0123456789abcdef01234567".into()),
///     short_sha: Some("0123456".into()),
///     dirty: Some(true),
///     branch: Some("main".into()),
///     diff_hash: Some(ith_provenance::Sha256Hash::of(b"edits")),
///     dirty_paths: vec![DirtyPath { path: "results/out.csv".into(), status: PathStatus::Untracked }],
///     dirty_path_count: Some(1),
///     captured_at: Some(CapturedAt::Build),
///     repo_root: Some("/src/experiment".into()),
///     remote_url: Some("https://github.com/ana/experiment.git".into()),
///     searched_from: Some("/src/experiment/crates/train".into()),
///     found_via: Some(GitSearchStart::ManifestDir),
///     reason: None,
///     patch: None,
/// };
/// let json = serde_json::to_string(&info).unwrap();
/// assert!(json.contains(r#""found_via":"manifest_dir""#));
/// assert!(json.contains(r#""dirty_paths":[{"path":"results/out.csv","status":"untracked"}]"#));
/// assert_eq!(serde_json::from_str::<GitInfo>(&json).unwrap(), info);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitInfo {
    /// The full 40-hex id of the commit HEAD names (`git rev-parse HEAD`);
    /// `None` when no commit can be named (not a repository, no commits yet,
    /// bare or corrupt repository, built without the `git` feature).
    pub sha: Option<String>,
    /// The abbreviated id as `git rev-parse --short HEAD` prints it: at least
    /// as long as git's `core.abbrev` (including git's automatic length,
    /// which grows with the number of packed objects), and longer if needed
    /// to be unique.
    pub short_sha: Option<String>,
    /// Whether the working tree differs from HEAD: any staged or unstaged
    /// addition, modification, deletion, rename or type change, any conflict,
    /// and any untracked file that is not ignored. Submodules are not looked
    /// into, and provenance's own event logs never count, wherever they are
    /// (`docs/GIT.md`, *Our own logs*). `None` when the status could not be
    /// read.
    pub dirty: Option<bool>,
    /// The checked-out branch (`git symbolic-ref --short HEAD`); `None` on a
    /// detached HEAD.
    pub branch: Option<String>,
    /// A hash of the uncommitted working-tree contents, `Some` only when
    /// `dirty` is `Some(true)`: equal edits give equal hashes, different
    /// edits different ones. Defined byte for byte in `docs/GIT.md`.
    pub diff_hash: Option<Sha256Hash>,
    /// The paths that make the tree dirty, sorted by their bytes, at most
    /// [`DIRTY_PATHS_CAP`](crate::git::DIRTY_PATHS_CAP) of them, each with
    /// how it differs from HEAD (`modified`, `added`, `deleted`,
    /// `untracked`, `conflicted`): what `diff` and `summary` name when two
    /// runs differ only by `diff_hash`. Empty on a clean tree, and in
    /// contexts written before it existed.
    #[serde(default)]
    pub dirty_paths: Vec<DirtyPath>,
    /// How many paths make the tree dirty, listed in `dirty_paths` or not;
    /// `None` when the status could not be read, and in contexts written
    /// before it existed.
    #[serde(default)]
    pub dirty_path_count: Option<usize>,
    /// When this state was read: `build` (the experiment crate's
    /// compilation, the source the binary's code came from) or `run`.
    /// `None` in contexts written before it existed, which were read at run
    /// time.
    #[serde(default)]
    pub captured_at: Option<CapturedAt>,
    /// The working directory of the repository found.
    pub repo_root: Option<PathBuf>,
    /// Where others can fetch the commit from: the URL of the remote the
    /// branch tracks (`branch.<name>.remote`), else of `origin`, as `git
    /// remote get-url` prints it but with any user name and password
    /// removed from a `scheme://user:password@host` URL. `None` without
    /// such a remote. Absent in contexts written before it existed.
    #[serde(default)]
    pub remote_url: Option<String>,
    /// The directory the search for a repository started from.
    pub searched_from: Option<PathBuf>,
    /// Whether that directory was the experiment's manifest directory or the
    /// process's current working directory.
    pub found_via: Option<GitSearchStart>,
    /// Why something is missing or unusual (not a repository, no commits yet,
    /// detached HEAD, manifest directory gone, feature off, ...); `None` when
    /// everything was captured normally.
    pub reason: Option<String>,
    /// The build's uncommitted changes, only when `dirty` is `true` in the
    /// build's record (never in `git_at_run`): the patch file written
    /// beside the log (`patches/<diff_hash hex>.patch`) that `provenance
    /// rerun` applies to the commit, or why it was not stored
    /// (`docs/GIT.md`, *The patch*). Absent in contexts written before it
    /// existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<PatchInfo>,
}

/// When a [`GitInfo`] was read.
///
/// ```
/// use ith_provenance::git::CapturedAt;
///
/// assert_eq!(serde_json::to_string(&CapturedAt::Build).unwrap(), r#""build""#);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapturedAt {
    /// When the experiment crate was compiled (by `crate_info!`).
    Build,
    /// When the run started.
    Run,
}

impl GitInfo {
    /// Writes `patch` (the build's, when dirty) beside the log file `log`,
    /// or records (`Err`) the reason the log has no folder for it.
    pub(crate) fn store_patch_beside(&mut self, log: Result<&std::path::Path, &str>) {
        let Some(patch) = self.patch.as_mut() else {
            return;
        };
        let (file, no_folder) = match log {
            Ok(file) => (Some(file), ""),
            Err(why) => (None, why),
        };
        super::patch::store_beside(patch, self.diff_hash.as_ref(), file, no_folder);
    }

    /// A capture that found nothing, for `reason`: every field `None`.
    /// For a context that should not (or cannot) record git state, e.g. in
    /// tests: `ProvenanceContext::builder(..).git(GitInfo::unknown("not captured"))`.
    pub fn unknown(reason: impl Into<String>) -> GitInfo {
        let reason = reason.into();
        GitInfo {
            sha: None,
            short_sha: None,
            dirty: None,
            branch: None,
            diff_hash: None,
            dirty_paths: Vec::new(),
            dirty_path_count: None,
            captured_at: None,
            repo_root: None,
            remote_url: None,
            searched_from: None,
            found_via: None,
            reason: Some(reason),
            patch: None,
        }
    }

    /// The record of a capture made `at` build or run time.
    pub(crate) fn from_state(state: GitState, at: CapturedAt) -> GitInfo {
        let counted = state.dirty.is_some();
        GitInfo {
            sha: state.sha,
            short_sha: state.short_sha,
            dirty: state.dirty,
            branch: state.branch,
            diff_hash: state.diff_hash.map(Sha256Hash::from_bytes),
            dirty_paths: state.dirty_paths,
            dirty_path_count: counted.then_some(state.dirty_path_count),
            captured_at: Some(at),
            repo_root: state.repo_root,
            remote_url: state.remote_url,
            searched_from: state.searched_from,
            found_via: state.found_via,
            reason: state.reason,
            // Only the build's capture makes one (the macros).
            patch: None,
        }
    }

    /// Whether `self` and `other` describe the same source: the same commit,
    /// dirty flag and uncommitted contents.
    pub(crate) fn same_source(&self, other: &GitInfo) -> bool {
        self.sha == other.sha && self.dirty == other.dirty && self.diff_hash == other.diff_hash
    }
}
