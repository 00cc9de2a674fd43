//! The hash of the uncommitted working-tree contents (`docs/GIT.md`).
//!
//! For each changed path, sorted by bytes, one line `<path>\0<state>\n`,
//! where `<state>` is the git blob id of the working-tree file exactly as
//! `git hash-object --no-filters <path>` prints it (for a symlink, the blob
//! of its target text, as git stores symlinks), `deleted` when no file or
//! symlink is there, or `directory` for a path ending in `/` (an untracked
//! nested repository, which git lists but does not look into). The hash is
//! the SHA-256 of all lines. The caller has already left provenance's own
//! logs out of the paths (`own_logs`).
//!
//! Blob ids rather than diffs: they need no diff algorithm to agree on, are
//! what git itself would store, and are recomputable with two CLI commands.

use std::io;
use std::path::{Path, PathBuf};

use git2::{ObjectType, Oid};

use sha2::{Digest, Sha256};

/// What `<state>` says when the path has no file or symlink in the working
/// tree (deleted, or replaced by a directory).
const DELETED: &[u8] = b"deleted";

/// What `<state>` says for an untracked nested repository: git lists it as
/// `dir/` and never looks inside, so neither do we.
const DIRECTORY: &[u8] = b"directory";

/// Hashes `paths` (repository-relative, sorted, unique) against `workdir`.
/// The error is the `reason` to record: the tree is dirty but its contents
/// could not be read.
pub(super) fn diff_hash<P: AsRef<[u8]>>(workdir: &Path, paths: &[P]) -> Result<[u8; 32], String> {
    let mut lines = Vec::with_capacity(paths.len() * 64);
    for path in paths {
        let path = path.as_ref();
        lines.extend_from_slice(path);
        lines.push(0);
        if path.ends_with(b"/") {
            lines.extend_from_slice(DIRECTORY);
            lines.push(b'\n');
            continue;
        }
        match blob_id(&workdir.join(relative(path))) {
            Ok(Some(id)) => lines.extend_from_slice(id.to_string().as_bytes()),
            Ok(None) => lines.extend_from_slice(DELETED),
            Err(err) => {
                return Err(format!(
                    "the working tree has uncommitted edits but {} could not be read to \
                     hash them ({err}), so no diff_hash is recorded",
                    String::from_utf8_lossy(path)
                ));
            }
        }
        lines.push(b'\n');
    }
    Ok(Sha256::digest(&lines).into())
}

/// The blob id git would give the working-tree entry at `full`, or `None`
/// when there is no file or symlink there.
fn blob_id(full: &Path) -> io::Result<Option<Oid>> {
    let metadata = match full.symlink_metadata() {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err),
    };
    let id = if metadata.file_type().is_symlink() {
        let target = std::fs::read_link(full)?;
        Oid::hash_object(ObjectType::Blob, &path_bytes(&target))
    } else if metadata.is_file() {
        Oid::hash_file(ObjectType::Blob, full)
    } else {
        return Ok(None);
    };
    id.map(Some).map_err(io::Error::other)
}

/// `path` (repository-relative git bytes) as a path to join to the workdir.
#[cfg(unix)]
pub(super) fn relative(path: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(path))
}

#[cfg(not(unix))]
pub(super) fn relative(path: &[u8]) -> PathBuf {
    // git paths are UTF-8 on Windows.
    PathBuf::from(String::from_utf8_lossy(path).into_owned())
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Vec<u8> {
    // git writes symlink targets with forward slashes.
    path.to_string_lossy().replace('\\', "/").into_bytes()
}
