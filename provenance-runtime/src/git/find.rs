//! Capturing the git state once, uncached: find the repository from the
//! experiment crate's folder (or the working directory), then read it.

use std::path::{Path, PathBuf};

#[cfg(feature = "git")]
use super::capture;
use super::info::GitInfo;
use super::start;

/// Captures the git state now, without caching.
///
/// `manifest_dir` is the experiment crate's `CARGO_MANIFEST_DIR` recorded at
/// compile time. The repository is searched for upward from it; if it is
/// `None` or does not exist where the binary runs, the search starts from the
/// current working directory instead and `reason` says so. This never fails
/// and never panics: whatever cannot be captured is `None`, with a `reason`.
///
/// Most callers want the cached [`git_info`](crate::git_info) instead.
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
pub(super) fn capture_git_with_cwd(
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
