//! One capture per process and start path, shared by every caller.
//!
//! Each start path gets a slot (`OnceLock`) in a small map. Whoever reaches an
//! empty slot first, the prefetch thread or a caller, fills it; everyone
//! else blocks in `OnceLock::get_or_init` until it is filled, so the work is
//! never done twice and nobody reads a half-built value.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::{GitInfo, capture_git};

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
