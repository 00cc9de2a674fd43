//! Secrets never reach a log in clear: the command line's secret values and
//! every URL's credentials are redacted, and the variables named like
//! secrets are recorded as a keyed hash, all once, when the context is
//! built, so nothing that reads or exports the log can bring them back
//! (`docs/CONTEXT.md`, *Secrets*).

mod command_line;
mod hash_key;

pub use hash_key::KEYED_HASH_PREFIX;
pub use ith_provenance_git::redact::{REDACTED, SECRET_NAME_PARTS, SecretNames};

pub(crate) use command_line::redact_command_line;
pub(crate) use hash_key::keyed_hash;

/// The secret names of a context: the built-in parts, those of
/// `PROVENANCE_REDACT` and the builder's.
pub(crate) fn secret_names(from_builder: &[String]) -> SecretNames {
    let from_var = crate::settings::redact_names();
    SecretNames::with_extra(from_builder.iter().chain(&from_var).map(String::as_str))
}
