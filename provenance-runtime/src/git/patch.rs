//! The uncommitted changes of a dirty build: carried in the binary as
//! `crate_info!()` captured them, and written beside the log when it is
//! opened, so `provenance rerun` can rebuild the exact source
//! (`docs/GIT.md`, *The patch*).
//!
//! The record is settled in two steps. Building the context knows whether
//! the patch may be stored (`PROVENANCE_PATCH`, `store_patch`) but not
//! where; opening the log knows where. In between, the bytes wait in a
//! process-wide list of `'static` slices, found again by their SHA-256,
//! so the public context needs no field that is not part of its record.

use std::io::{self, Write};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::Sha256Hash;

/// `git.patch`: where the uncommitted changes of a dirty build were stored,
/// or why they were not (`docs/GIT.md`, *The patch*). Present only when
/// the build's `dirty` is `true`.
///
/// Stored, it is written as
/// `{"file":"patches/<hex>.patch","bytes":…,"sha256":"sha256:…","redacted":[…]}`;
/// not stored, `file` is `null` and `reason` says why.
///
/// ```
/// use ith_provenance::git::PatchInfo;
///
/// let off = PatchInfo::not_stored("PROVENANCE_PATCH=off");
/// assert_eq!(
///     serde_json::to_string(&off).unwrap(),
///     r#"{"file":null,"redacted":[],"reason":"not stored: PROVENANCE_PATCH=off"}"#
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchInfo {
    /// The patch file, relative to the log's folder:
    /// `patches/<diff_hash hex>.patch`; `None` when not stored.
    pub file: Option<String>,
    /// The patch's size in bytes, when it was captured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// The SHA-256 of the patch's bytes (`sha256:<hex>`), when it was
    /// captured: what `provenance rerun` checks the file against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<Sha256Hash>,
    /// The paths whose added lines had secret values replaced by
    /// `<redacted>`: applied, the patch gives those files without their
    /// secrets, so it no longer gives back `diff_hash`.
    #[serde(default)]
    pub redacted: Vec<String>,
    /// Why the patch is not stored, starting `not stored: `; `None` when
    /// `file` names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl PatchInfo {
    /// A record of a patch not stored because of `why`.
    pub fn not_stored(why: impl std::fmt::Display) -> PatchInfo {
        PatchInfo {
            reason: Some(format!("not stored: {why}")),
            ..PatchInfo::default()
        }
    }
}

/// The patch as `crate_info!()` embedded it; not public API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuildPatch {
    pub bytes: Option<&'static [u8]>,
    pub sha256: Option<[u8; 32]>,
    pub redacted: &'static [&'static str],
    pub reason: Option<&'static str>,
}

/// What a patch that may be stored says until a log with a folder is opened.
const AWAITING_LOG: &str = "not stored: no log file was opened for this context";

/// The bytes of every patch a context was built with, waiting for a log.
static WAITING: Mutex<Vec<&'static [u8]>> = Mutex::new(Vec::new());

impl BuildPatch {
    /// The record of the build's patch, given whether it may be stored.
    pub(crate) fn record(&self, store: Result<(), &str>) -> PatchInfo {
        let redacted = self.redacted.iter().map(|&p| p.to_owned()).collect();
        let (Some(bytes), Some(sha256)) = (self.bytes, self.sha256) else {
            return PatchInfo {
                redacted,
                reason: Some(
                    self.reason
                        .unwrap_or("not stored: no patch was captured")
                        .to_owned(),
                ),
                ..PatchInfo::default()
            };
        };
        if let Err(why) = store {
            return PatchInfo::not_stored(why);
        }
        let mut waiting = WAITING.lock().unwrap_or_else(PoisonError::into_inner);
        if !waiting.iter().any(|w| std::ptr::eq(*w, bytes)) {
            waiting.push(bytes);
        }
        PatchInfo {
            file: None,
            bytes: Some(bytes.len() as u64),
            sha256: Some(Sha256Hash::from_bytes(sha256)),
            redacted,
            reason: Some(AWAITING_LOG.to_owned()),
        }
    }
}

/// Whether the run may store the patch: `Err` names what turned it off.
pub(crate) fn allowed(store_patch: bool) -> Result<(), &'static str> {
    if !store_patch {
        return Err("turned off by ProvenanceBuilder::store_patch(false)");
    }
    let off = crate::settings::patch_off();
    if off {
        return Err("PROVENANCE_PATCH=off when the run started");
    }
    Ok(())
}

/// `patch` with its file written beside the log at `log` (`None`: the log
/// has no folder, `no_folder` says where it goes instead). Never fails: a
/// patch that cannot be written keeps a reason.
pub(crate) fn store_beside(
    patch: &mut PatchInfo,
    diff_hash: Option<&Sha256Hash>,
    log: Option<&Path>,
    no_folder: &str,
) {
    if patch.reason.as_deref() != Some(AWAITING_LOG) {
        return;
    }
    let Some(bytes) = patch.sha256.as_ref().and_then(waiting) else {
        return;
    };
    let Some(diff_hash) = diff_hash else {
        patch.reason = Some("not stored: the record has no diff_hash to name it".into());
        return;
    };
    let Some(log) = log else {
        patch.reason = Some(format!("not stored: {no_folder}"));
        return;
    };
    let folder = log
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = format!("{}.patch", diff_hash.hex());
    match write_patch(&folder.join("patches"), &name, bytes) {
        Ok(()) => {
            patch.file = Some(format!("patches/{name}"));
            patch.reason = None;
        }
        Err(err) => {
            patch.reason = Some(format!(
                "not stored: cannot write {} ({err})",
                folder.join("patches").join(&name).display()
            ));
        }
    }
}

/// The waiting bytes whose SHA-256 is `sha256`.
fn waiting(sha256: &Sha256Hash) -> Option<&'static [u8]> {
    let waiting = WAITING.lock().unwrap_or_else(PoisonError::into_inner);
    waiting
        .iter()
        .copied()
        .find(|bytes| Sha256Hash::of(bytes) == *sha256)
}

/// What `patches/.gitignore` holds: the patches are source code and must
/// not be committed by accident, however the log folder is kept.
pub(crate) const GITIGNORE: &str =
    "# written by provenance: patches of uncommitted changes, never committed\n*\n";

/// Writes `dir/name` atomically (a temporary file renamed over it), unless
/// it already holds `bytes`, and `dir/.gitignore` when missing.
fn write_patch(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    if let Ok(mut ignore) = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dir.join(".gitignore"))
    {
        // Not writing it never loses the patch; `*` in the folder above
        // usually ignores it too.
        let _ = ignore.write_all(GITIGNORE.as_bytes());
    }
    let path = dir.join(name);
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let temp = dir.join(format!(
        ".{name}.{}.{:x}.tmp",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let written = std::fs::File::create(&temp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temp, &path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;

    static BYTES: &[u8] = b"diff --git a/x b/x\n";

    fn built() -> BuildPatch {
        BuildPatch {
            bytes: Some(BYTES),
            sha256: Some(*Sha256Hash::of(BYTES).as_bytes()),
            redacted: &["x"],
            reason: None,
        }
    }

    #[test]
    fn a_waiting_patch_is_written_beside_the_log_once() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let log = tmp.path().join("run.ndjson");
        let diff_hash = Sha256Hash::of(b"edits");
        for _ in 0..2 {
            let mut patch = built().record(Ok(()));
            assert_eq!(patch.reason.as_deref(), Some(AWAITING_LOG));
            store_beside(&mut patch, Some(&diff_hash), Some(&log), "unused");
            let name = format!("patches/{}.patch", diff_hash.hex());
            assert_eq!(patch.file.as_deref(), Some(name.as_str()));
            assert_eq!(patch.reason, None);
            assert_eq!(patch.bytes, Some(BYTES.len() as u64));
            assert_eq!(patch.redacted, ["x"]);
            assert_eq!(std::fs::read(tmp.path().join(&name)).expect("read"), BYTES);
        }
        let ignore = std::fs::read_to_string(tmp.path().join("patches/.gitignore"));
        assert_eq!(ignore.expect("gitignore"), GITIGNORE);
        let names: Vec<_> = std::fs::read_dir(tmp.path().join("patches"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
    }

    #[test]
    fn no_folder_or_off_leaves_a_reason() {
        let mut patch = built().record(Ok(()));
        store_beside(
            &mut patch,
            Some(&Sha256Hash::of(b"e")),
            None,
            "the log goes to standard output",
        );
        assert_eq!(patch.file, None);
        assert_eq!(
            patch.reason.as_deref(),
            Some("not stored: the log goes to standard output")
        );
        let off = built().record(Err("PROVENANCE_PATCH=off when the run started"));
        assert_eq!(
            off,
            PatchInfo::not_stored("PROVENANCE_PATCH=off when the run started")
        );
    }

    #[test]
    fn an_unwritable_folder_is_a_reason_not_a_failure() {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::write(tmp.path().join("patches"), "a file, not a folder").expect("write");
        let mut patch = built().record(Ok(()));
        let log = tmp.path().join("run.ndjson");
        store_beside(&mut patch, Some(&Sha256Hash::of(b"e")), Some(&log), "");
        assert_eq!(patch.file, None);
        let reason = patch.reason.expect("a reason");
        assert!(reason.starts_with("not stored: cannot write"), "{reason}");
    }
}
