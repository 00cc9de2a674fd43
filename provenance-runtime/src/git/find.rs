//! Capturing the git state now, uncached, as a [`GitInfo`].

use std::path::Path;

use super::info::{CapturedAt, GitInfo};

/// Captures the git state now, without caching.
///
/// `manifest_dir` is the experiment crate's `CARGO_MANIFEST_DIR` recorded at
/// compile time. The repository is searched for upward from it; if it is
/// `None` or does not exist where the binary runs, the search starts from the
/// current working directory instead and `reason` says so. This never fails
/// and never panics: whatever cannot be captured is `None`, with a `reason`.
///
/// Most callers want the cached [`git_info`](crate::git::git_info) instead.
///
/// ```
/// let info = ith_provenance::git::capture_git(Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))));
/// // Inside a checkout this names the commit; in a source tarball it says why not.
/// assert!(info.sha.is_some() || info.reason.is_some());
/// ```
pub fn capture_git(manifest_dir: Option<&Path>) -> GitInfo {
    GitInfo::from_state(ith_provenance_git::capture(manifest_dir), CapturedAt::Run)
}
