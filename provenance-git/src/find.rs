//! Capturing the git state once, uncached: find the repository from the
//! experiment crate's folder (or the working directory), then read it.

use std::path::{Path, PathBuf};

use super::redact::SecretNames;
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
    capture_with_cwd(manifest_dir, std::env::current_dir, None)
}

/// [`capture`], and when the tree is dirty also its uncommitted changes as
/// a patch (`GitState::patch`), taken from the very paths `diff_hash`
/// hashes, with the values of `secrets` on added lines redacted
/// (`docs/GIT.md`, *The patch*). The macros call this when the experiment
/// crate is compiled; the run-time capture does not need the patch.
///
/// ```
/// use ith_provenance_git::{capture_with_patch, redact::SecretNames};
///
/// let state = capture_with_patch(None, &SecretNames::default());
/// // Only a dirty tree has a patch (stored, or a reason why not).
/// assert!(state.patch.is_none() || state.dirty == Some(true));
/// ```
pub fn capture_with_patch(manifest_dir: Option<&Path>, secrets: &SecretNames) -> GitState {
    capture_with_cwd(manifest_dir, std::env::current_dir, Some(secrets))
}

pub(super) fn capture_with_cwd(
    manifest_dir: Option<&Path>,
    cwd: impl FnOnce() -> std::io::Result<PathBuf>,
    patch: Option<&SecretNames>,
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
        super::capture::capture_from(start, patch)
    }
    #[cfg(not(feature = "libgit2"))]
    {
        let _ = patch;
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
