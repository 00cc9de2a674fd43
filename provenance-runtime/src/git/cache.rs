//! One capture per process and start path, shared by every caller.
//!
//! Each start path gets a slot (`OnceLock`) in a small map. Whoever reaches an
//! empty slot first, the prefetch thread or a caller, fills it; everyone
//! else blocks in `OnceLock::get_or_init` until it is filled, so the work is
//! never done twice and nobody reads a half-built value.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::find::capture_git;
use super::info::GitInfo;

type Slot = Arc<OnceLock<Arc<GitInfo>>>;

/// Keyed by the `manifest_dir` argument as given (`None` is "the working
/// directory", captured once like any other key).
static SLOTS: OnceLock<Mutex<HashMap<Option<PathBuf>, Slot>>> = OnceLock::new();

fn slot(manifest_dir: Option<&Path>) -> Slot {
    let slots = SLOTS.get_or_init(Mutex::default);
    // The map is only ever inserted into, so a panic elsewhere cannot leave
    // it inconsistent: a poisoned lock is safe to keep using.
    let mut slots = slots.lock().unwrap_or_else(PoisonError::into_inner);
    Arc::clone(
        slots
            .entry(manifest_dir.map(Path::to_path_buf))
            .or_default(),
    )
}

fn fill(slot: &OnceLock<Arc<GitInfo>>, manifest_dir: Option<&Path>) -> Arc<GitInfo> {
    Arc::clone(slot.get_or_init(|| Arc::new(capture_git(manifest_dir))))
}

pub(super) fn get_or_capture(manifest_dir: Option<&Path>) -> Arc<GitInfo> {
    fill(&slot(manifest_dir), manifest_dir)
}

pub(super) fn prefetch(manifest_dir: Option<&Path>) {
    let slot = slot(manifest_dir);
    if slot.get().is_some() {
        return;
    }
    let owned_dir = manifest_dir.map(Path::to_path_buf);
    let spawned = std::thread::Builder::new()
        .name("provenance-git".to_owned())
        .spawn(move || {
            fill(&slot, owned_dir.as_deref());
        });
    // Without a thread the first `git_info` captures synchronously instead:
    // slower, never wrong.
    drop(spawned);
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
/// let first = ith_provenance::git::git_info(dir);
/// assert!(Arc::ptr_eq(&first, &ith_provenance::git::git_info(dir)));
/// ```
pub fn git_info(manifest_dir: Option<&Path>) -> Arc<GitInfo> {
    get_or_capture(manifest_dir)
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
/// ith_provenance::git::prefetch_git(dir);
/// // ... set up the experiment meanwhile ...
/// let info = ith_provenance::git::git_info(dir);
/// assert!(info.sha.is_some() || info.reason.is_some());
/// ```
pub fn prefetch_git(manifest_dir: Option<&Path>) {
    prefetch(manifest_dir);
}
