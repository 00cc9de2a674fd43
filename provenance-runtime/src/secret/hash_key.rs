//! The key that secrets are hashed under: 32 random bytes kept in the
//! user's configuration folder, drawn on first use, so two runs of one
//! user compare ("the token changed") while a dictionary cannot undo the
//! hash without the key.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use ith_provenance_git::redact::REDACTED;

use crate::settings::HASH_KEY_FILE_ENV;

/// How a keyed hash starts: `hmac-sha256:<64 lowercase hex>`, HMAC-SHA-256
/// of the value's bytes under the key file's 32 bytes.
pub const KEYED_HASH_PREFIX: &str = "hmac-sha256:";

/// Why there is no key to hash under.
#[derive(Debug, thiserror::Error)]
pub(crate) enum KeyError {
    /// No variable names a folder for the key.
    #[error(
        "no folder for the key file: {HASH_KEY_FILE_ENV}, XDG_CONFIG_HOME and HOME are unset (set {HASH_KEY_FILE_ENV} to a file path)"
    )]
    NoFolder,
    /// The file or its folder could not be read or written.
    #[error(
        "cannot {action} the key file {path}: {source} (set {HASH_KEY_FILE_ENV} to a file this user can write)"
    )]
    Io {
        /// What was being done.
        action: &'static str,
        /// The key file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file holds something else than a key.
    #[error(
        "the key file {path} does not hold 64 hex digits; delete it to draw a new key (earlier hashes then compare no more)"
    )]
    Malformed {
        /// The key file.
        path: PathBuf,
    },
    /// Others can read the file: a key they know makes the hashes reversible.
    #[error(
        "the key file {path} can be read by other users (mode {mode:o}); run `chmod 600` on it"
    )]
    Exposed {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// No random bytes for a new key.
    #[error("the operating system's random source failed: {0}")]
    Entropy(String),
}

/// The 32 bytes secrets are hashed under.
#[derive(PartialEq, Eq)]
pub(crate) struct HashKey([u8; 32]);

impl std::fmt::Debug for HashKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HashKey(..)") // never printed, even in a panic
    }
}

impl HashKey {
    /// `hmac-sha256:<hex>` of `value`.
    pub(crate) fn hash(&self, value: &[u8]) -> String {
        format!("{KEYED_HASH_PREFIX}{}", hex(&hmac_sha256(&self.0, value)))
    }
}

/// HMAC-SHA-256 (RFC 2104) of `value` under `key`.
fn hmac_sha256(key: &[u8], value: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(value);
    mac.finalize().into_bytes().into()
}

/// Lowercase hex, two digits a byte.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The keyed hash of the secret value of variable `name`, or [`REDACTED`]
/// when there is no key (said once on stderr: never a plain hash instead).
pub(crate) fn keyed_hash(name: &str, value: &[u8]) -> String {
    static KEY: OnceLock<Result<HashKey, KeyError>> = OnceLock::new();
    static TOLD: AtomicBool = AtomicBool::new(false);
    match KEY.get_or_init(|| load_or_create(&key_path()?)) {
        Ok(key) => key.hash(value),
        Err(error) => {
            if !TOLD.swap(true, Ordering::Relaxed) {
                eprintln!(
                    "provenance: {name} is recorded as {REDACTED}, not as a keyed hash: {error}"
                );
            }
            REDACTED.to_string()
        }
    }
}

/// Where the key is ([`settings::hash_key_file`](crate::settings::hash_key_file)).
fn key_path() -> Result<PathBuf, KeyError> {
    crate::settings::hash_key_file().ok_or(KeyError::NoFolder)
}

/// The key at `path`, drawn and written there (mode 0600, in a folder of
/// mode 0700) when there is none. Processes racing to draw it agree: each
/// writes a private temporary file and hard-links it into place, which
/// fails when another was first, whose key is then read.
pub(crate) fn load_or_create(path: &Path) -> Result<HashKey, KeyError> {
    match read_key(path) {
        Err(KeyError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            create_key(path)
        }
        found => found,
    }
}

/// Turns an I/O error while doing `action` with the key file at `path`
/// into the error naming both.
fn io_error(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> KeyError {
    move |source| KeyError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

fn read_key(path: &Path) -> Result<HashKey, KeyError> {
    let io = |action| io_error(action, path);
    let file = std::fs::File::open(path).map_err(io("read"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata().map_err(io("read"))?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::Exposed {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    let mut text = Vec::new();
    file.take(200).read_to_end(&mut text).map_err(io("read"))?;
    let malformed = || KeyError::Malformed {
        path: path.to_path_buf(),
    };
    let digits = std::str::from_utf8(&text).map_err(|_| malformed())?.trim();
    if digits.len() != 64 {
        return Err(malformed());
    }
    let mut key = [0u8; 32];
    for (byte, pair) in key.iter_mut().zip(digits.as_bytes().chunks_exact(2)) {
        let pair = std::str::from_utf8(pair).map_err(|_| malformed())?;
        *byte = u8::from_str_radix(pair, 16).map_err(|_| malformed())?;
    }
    Ok(HashKey(key))
}

fn create_key(path: &Path) -> Result<HashKey, KeyError> {
    let io = |action| io_error(action, path);
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(folder).map_err(io("create the folder of"))?;

    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| KeyError::Entropy(e.to_string()))?;
    let nonce = getrandom::u64().map_err(|e| KeyError::Entropy(e.to_string()))?;
    let file_name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = folder.join(format!(
        ".{file_name}.{}.{nonce:016x}.tmp",
        std::process::id()
    ));
    let written = write_private(&temporary, format!("{}\n", hex(&key)).as_bytes());
    let linked = written.and_then(|()| std::fs::hard_link(&temporary, path));
    let _ = std::fs::remove_file(&temporary);
    match linked {
        // Another process drew the key first: its key is the one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        other => other.map_err(io("create"))?,
    }
    read_key(path)
}

/// A new file only this user can read, holding `bytes`, on disk.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
#[path = "hash_key_tests.rs"]
mod tests;
