//! Capturing the git state once, uncached: find the repository from the
//! experiment crate's folder (or the working directory), then read it.

use std::path::{Path, PathBuf};

use super::start;
use super::state::GitState;

/// Captures the git state now, without caching.
///
/// `manifest_dir` is the experiment crate's `CARGO_MANIFEST_DIR`. The
/// repository is searched for upward from it; if it is `None` or does not
/// exist here, the search starts from the current working directory instead
/// and `reason` says so. This never fails and never panics: whatever cannot
/// be captured is `None`, with a `reason`.
///
/// ```
/// let state = ith_provenance_git::capture(Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))));
/// // Inside a checkout this names the commit; in a source tarball it says why not.
/// assert!(state.sha.is_some() || state.reason.is_some());
/// ```
pub fn capture(manifest_dir: Option<&Path>) -> GitState {
    capture_with_cwd(manifest_dir, std::env::current_dir)
}

pub(super) fn capture_with_cwd(
    manifest_dir: Option<&Path>,
    cwd: impl FnOnce() -> std::io::Result<PathBuf>,
) -> GitState {
    let start = match start::resolve(manifest_dir, cwd) {
        Ok(start) => start,
        Err(reason) => {
            return GitState {
                reason: Some(reason),
                ..GitState::default()
            };
        }
    };
    #[cfg(feature = "libgit2")]
    {
        super::capture::capture_from(start)
    }
    #[cfg(not(feature = "libgit2"))]
    {
        let off = "built without the `git` feature of ith-provenance-runtime".to_owned();
        GitState {
            searched_from: Some(start.dir),
            found_via: Some(start.via),
            reason: Some(match start.note {
                Some(note) => format!("{note}; {off}"),
                None => off,
            }),
            ..GitState::default()
        }
    }
}
