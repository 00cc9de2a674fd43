//! The runtime's one error type.

use std::path::PathBuf;

/// Everything that can go wrong in the runtime, each with a message that says
/// what failed, on which path or value, and what to do about it.
///
/// Git problems are deliberately *not* errors: a run outside a repository
/// still runs, and the context records `git_sha: null` with the reason
/// (see [`GitInfo`](crate::GitInfo)).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },

    /// A configuration value has no canonical JSON form (RFC 8785), so it
    /// cannot be hashed reproducibly.
    #[error("cannot hash configuration: the value at {path} {reason}")]
    Config {
        /// Where in the value the problem is, as a JSON-pointer-like path
        /// (`$`, `$.model.lr`, `$.layers[2]`).
        path: String,
        /// What is wrong there and how to fix it.
        reason: String,
    },

    /// A seed given as text (for example in `PROVENANCE_SEED`) is not a
    /// 64-bit unsigned integer.
    #[error(
        "{origin}={value:?} is not a valid seed: expected an unsigned 64-bit integer, \
         decimal (42) or hex (0x2a); unset it to draw a fresh seed"
    )]
    InvalidSeed {
        /// Where the text came from (the environment variable's name).
        origin: String,
        /// The text that was given.
        value: String,
    },

    /// The operating system could not supply random bytes for a fresh seed
    /// or session id.
    #[error(
        "the operating system's random source failed ({0}); set PROVENANCE_SEED to a fixed seed instead"
    )]
    Entropy(String),

    /// A string that should be a hash is not of the form `sha256:<64 lowercase hex>`.
    #[error("{value:?} is not a hash: expected sha256:<64 lowercase hex>")]
    InvalidHash {
        /// The text that was given (cut to 100 characters).
        value: String,
    },

    /// The event log failed (see [`LogError`](crate::LogError)).
    #[error(transparent)]
    Log(#[from] crate::LogError),

    /// A saved random state cannot be restored.
    #[error("cannot restore random state: {0}")]
    RandomState(String),
}

/// `Result` with the runtime's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
