//! The runtime of **provenance**: everything needed to record exactly what
//! produced an experiment's result.
//!
//! Use it through the `ith-provenance` crate, which gives these items their
//! public layout (`ith_provenance::log`, `ith_provenance::seed`, …); this crate's
//! own paths are not the documented API.
//!
//! - [`ProvenanceContext`]: who ran what, when, from which commit, with which
//!   seeds, configuration and inputs.
//! - [`fingerprint_array`], [`fingerprint_file`] and the [`Fingerprint`] trait:
//!   stable SHA-256 fingerprints of arrays, files and structured values. Array
//!   hashes equal numpy's `hashlib.sha256(arr.tobytes())`.
//! - [`config_hash`]: SHA-256 of a configuration's RFC 8785 canonical JSON.
//! - [`RootSeed`], [`derive_seed`] and [`capture_random_state`]: deterministic,
//!   recorded, portable random number streams.
//! - [`GitInfo`]: the commit, branch and dirty state of the experiment's source.
//!
//! Every hash is written as `sha256:<64 lowercase hex>` ([`Sha256Hash`]); the
//! exact byte layouts are specified in `docs/FINGERPRINT.md`.
#![deny(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod array;
mod build_info;
mod context;
mod crate_info;
mod error;
mod events;
mod file;
mod fingerprint;
mod git;
mod hash;
mod ith;
mod jcs;
mod log;
mod machine;
mod non_finite;
mod run;
mod secret;
mod seed;
mod settings;
mod time;
#[cfg(feature = "tracing")]
mod tracing_layer;

pub use array::*;
pub use build_info::{BuildInfo, CargoBuild, CargoLockInfo, Dependency, Toolchain};
pub use context::*;
pub use error::{Error, Result};
pub use events::*;
pub use file::*;
pub use fingerprint::*;
pub use git::*;
pub use hash::{HASH_PREFIX, Sha256Hash};
pub use ith::*;
pub use jcs::*;
pub use log::*;
pub use machine::{THREAD_ENV_VARS, looks_secret};
pub use run::*;
pub use secret::{
    KEYED_HASH_PREFIX, REDACTED, SECRET_NAME_PARTS, SecretNames, redacted_command_line,
};
pub use seed::*;
pub use settings::{
    ENV_NAMES_VAR, HASH_KEY_FILE_ENV, LOG_ENV, PATCH_ENV, QUIET_ENV, REDACT_NAMES_VAR, SEED_ENV,
    STRICT_ENV,
};
pub use time::format_timestamp;
#[cfg(feature = "tracing")]
pub use tracing_layer::{
    FieldValue, METRIC_FIELD_PREFIX, ProvenanceLayer, STEP_FIELD, TracingRecord,
};

/// The macros: `#[provenance]`, `#[derive(Fingerprint)]`, `#[derive(Event)]`.
pub use ith_provenance_macros::{Event, Fingerprint, provenance};

/// Not public API: the paths the macros' generated code names. Anything
/// here may change in any release.
#[doc(hidden)]
#[path = "private/mod.rs"]
pub mod __private;

/// Re-exported so users name the exact RNG types we hand out without adding
/// (and version-matching) a dependency of their own.
pub use rand_chacha;
