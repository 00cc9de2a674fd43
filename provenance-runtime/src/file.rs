//! Streaming fingerprints of input files, equal to `sha256sum`.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Error, Result, Sha256Hash};

/// The fingerprint of a file on disk: the fields of the original
/// `fingerprint_file`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFingerprint {
    /// The path as given.
    pub path: PathBuf,
    /// The last component of the path, when it has one.
    pub filename: Option<String>,
    /// SHA-256 of the file's bytes: the digest `sha256sum` prints.
    pub sha256: Sha256Hash,
    /// The number of bytes hashed.
    pub size_bytes: u64,
}

/// Bytes read per call: large enough for SHA-256 to run at full speed, small
/// enough that memory stays constant however large the file.
const READ_BUFFER: usize = 1 << 20;

/// Fingerprints a file by streaming it through SHA-256 in constant memory.
///
/// ```
/// use ith_provenance::fingerprint_file;
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("prices.csv");
/// std::fs::write(&path, "t,close\n0,101.5\n").unwrap();
///
/// let fp = fingerprint_file(&path).unwrap();
/// assert_eq!(fp.size_bytes, 16);
/// assert_eq!(fp.filename.as_deref(), Some("prices.csv"));
/// // `sha256sum prices.csv` prints the same digest.
/// assert_eq!(fp.sha256, ith_provenance::Sha256Hash::of(b"t,close\n0,101.5\n"));
///
/// let missing = fingerprint_file(dir.path().join("nope.csv")).unwrap_err();
/// assert!(missing.to_string().contains("nope.csv"));
/// ```
///
/// # Errors
/// [`Error::Io`] naming the path when the file cannot be opened or read
/// (missing, a directory, no permission, an I/O error mid-way).
pub fn fingerprint_file(path: impl AsRef<Path>) -> Result<FileFingerprint> {
    let path = path.as_ref();
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(io_error)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; READ_BUFFER];
    let mut size_bytes = 0u64;
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                hasher.update(&buffer[..n]);
                size_bytes += n as u64;
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(e)),
        }
    }
    Ok(FileFingerprint {
        path: path.to_path_buf(),
        filename: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        sha256: Sha256Hash::finish(hasher),
        size_bytes,
    })
}

/// Where a file is: its absolute path (a relative one resolved against the
/// working directory, without following symlinks) and the working
/// directory, both as text. When the working directory cannot be read (it
/// was removed), the path stays as given and the directory is `None`.
pub(crate) fn placed(path: &Path) -> (String, Option<String>) {
    let working_dir = std::env::current_dir().ok();
    let absolute = match &working_dir {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path.to_path_buf(),
    };
    (
        absolute.display().to_string(),
        working_dir.map(|dir| dir.display().to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_file_streams_to_the_one_shot_digest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.bin");
        // Not a multiple of the read buffer, to cover the short last read.
        let data: Vec<u8> = (0..READ_BUFFER * 3 + 12_345)
            .map(|i| (i * 31 % 251) as u8)
            .collect();
        std::fs::write(&path, &data).unwrap();
        let fp = fingerprint_file(&path).unwrap();
        assert_eq!(fp.sha256, Sha256Hash::of(&data));
        assert_eq!(fp.size_bytes, data.len() as u64);
    }

    #[test]
    fn empty_file_hashes_to_the_empty_digest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty");
        std::fs::write(&path, b"").unwrap();
        let fp = fingerprint_file(&path).unwrap();
        assert_eq!(fp.sha256, Sha256Hash::of(b""));
        assert_eq!(fp.size_bytes, 0);
    }

    #[test]
    fn a_directory_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let err = fingerprint_file(dir.path()).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("cannot read "), "{msg}");
        assert!(msg.contains(&dir.path().display().to_string()), "{msg}");
    }
}
