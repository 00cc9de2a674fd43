//! Records which commit of the experiment's source produced a run, and
//! whether the working tree had uncommitted edits.
//!
//! Git problems are never errors: a run outside a repository, in a bare or
//! corrupt one, or before the first commit still runs, and [`GitInfo`] says
//! what could not be named and why (`reason`). The exact definitions (how the
//! repository is found, what counts as dirty, the `diff_hash` byte layout
//! and a shell recipe that recomputes it) are in `docs/GIT.md`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

mod cache;
mod start;

#[cfg(feature = "git")]
mod abbrev;
#[cfg(feature = "git")]
mod capture;
#[cfg(feature = "git")]
mod diff_hash;
#[cfg(feature = "git")]
mod own_logs;
#[cfg(feature = "git")]
mod split;
#[cfg(feature = "git")]
mod status;

#[cfg(all(test, feature = "git"))]
mod split_tests;
#[cfg(all(test, feature = "git"))]
mod tests;

/// The git state of the experiment's source at the moment of capture.
///
/// Every field is optional because every one of them can be unknowable: a run
/// outside any repository has no `sha`, a detached checkout has no `branch`,
/// a clean tree has no `diff_hash`. Whenever something is missing for a reason
/// other than "clean tree", `reason` says why in words a user can act on.
///
/// ```
/// use provenance::{git::{GitInfo, GitSearchStart}};
///
/// let info = GitInfo {
///     sha: Some("0123456789abcdef0123456789abcdef01234567".into()),
///     short_sha: Some("0123456".into()),
///     dirty: Some(false),
///     branch: Some("main".into()),
///     diff_hash: None,
///     repo_root: Some("/src/experiment".into()),
///     searched_from: Some("/src/experiment/crates/train".into()),
///     found_via: Some(GitSearchStart::ManifestDir),
///     reason: None,
/// };
/// let json = serde_json::to_string(&info).unwrap();
/// assert!(json.contains(r#""found_via":"manifest_dir""#));
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
    pub diff_hash: Option<crate::Sha256Hash>,
    /// The working directory of the repository found.
    pub repo_root: Option<PathBuf>,
    /// The directory the search for a repository started from.
    pub searched_from: Option<PathBuf>,
    /// Whether that directory was the experiment's manifest directory or the
    /// process's current working directory.
    pub found_via: Option<GitSearchStart>,
    /// Why something is missing or unusual (not a repository, no commits yet,
    /// detached HEAD, manifest directory gone, feature off, ...); `None` when
    /// everything was captured normally.
    pub reason: Option<String>,
}

/// Where the search for the repository started.
///
/// ```
/// use provenance::git::GitSearchStart;
///
/// assert_eq!(serde_json::to_string(&GitSearchStart::WorkingDir).unwrap(), r#""working_dir""#);
/// ```
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

impl GitInfo {
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
            repo_root: None,
            searched_from: None,
            found_via: None,
            reason: Some(reason),
        }
    }
}

/// Captures the git state now, without caching.
///
/// `manifest_dir` is the experiment crate's `CARGO_MANIFEST_DIR` recorded at
/// compile time. The repository is searched for upward from it; if it is
/// `None` or does not exist where the binary runs, the search starts from the
/// current working directory instead and `reason` says so. This never fails
/// and never panics: whatever cannot be captured is `None`, with a `reason`.
///
/// Most callers want the cached [`git_info`] instead.
///
/// ```
/// let info = provenance::git::capture_git(Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))));
/// // Inside a checkout this names the commit; in a source tarball it says why not.
/// assert!(info.sha.is_some() || info.reason.is_some());
/// ```
pub fn capture_git(manifest_dir: Option<&Path>) -> GitInfo {
    capture_git_with_cwd(manifest_dir, std::env::current_dir)
}

/// [`capture_git`] with the current working directory supplied by the
/// caller, so tests can exercise the fallback without changing the process's
/// directory (which would race with every other test).
fn capture_git_with_cwd(
    manifest_dir: Option<&Path>,
    cwd: impl FnOnce() -> std::io::Result<PathBuf>,
) -> GitInfo {
    let start = match start::resolve(manifest_dir, cwd) {
        Ok(start) => start,
        Err(reason) => return GitInfo::unknown(reason),
    };
    #[cfg(feature = "git")]
    {
        capture::capture_from(start)
    }
    #[cfg(not(feature = "git"))]
    {
        let off = "built without the `git` feature of provenance-runtime".to_owned();
        GitInfo {
            searched_from: Some(start.dir),
            found_via: Some(start.via),
            reason: Some(match start.note {
                Some(note) => format!("{note}; {off}"),
                None => off,
            }),
            ..GitInfo::unknown(String::new())
        }
    }
}

/// The git state, captured once per process for each `manifest_dir` and
/// shared: the first call (or [`prefetch_git`]) pays the cost, later calls
/// return the same [`Arc`].
///
/// If a prefetch for the same `manifest_dir` is still running, this waits
/// for it rather than capturing twice.
///
/// ```
/// use std::sync::Arc;
///
/// let dir = Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
/// let first = provenance::git::git_info(dir);
/// assert!(Arc::ptr_eq(&first, &provenance::git::git_info(dir)));
/// ```
pub fn git_info(manifest_dir: Option<&Path>) -> Arc<GitInfo> {
    cache::get_or_capture(manifest_dir)
}

/// Starts capturing the git state for `manifest_dir` on a background thread,
/// so a later [`git_info`] with the same argument finds it ready (or waits
/// for the rest of it) instead of paying the whole cost on the caller's
/// critical path.
///
/// Does nothing if that capture is already done or under way. If no thread
/// can be spawned, the capture simply happens in the first [`git_info`].
///
/// ```
/// let dir = Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
/// provenance::git::prefetch_git(dir);
/// // ... set up the experiment meanwhile ...
/// let info = provenance::git::git_info(dir);
/// assert!(info.sha.is_some() || info.reason.is_some());
/// ```
pub fn prefetch_git(manifest_dir: Option<&Path>) {
    cache::prefetch(manifest_dir);
}
