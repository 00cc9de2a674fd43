//! Secrets never reach a log in clear: the command line's secret values and
//! every URL's credentials are redacted, and the variables named like
//! secrets are recorded as a keyed hash, all once, when the context is
//! built, so nothing that reads or exports the log can bring them back
//! (`docs/CONTEXT.md`, *Secrets*).

mod command_line;
mod hash_key;

pub use hash_key::{HASH_KEY_FILE_ENV, KEYED_HASH_PREFIX};
pub use ith_provenance_git::redact::{REDACTED, SECRET_NAME_PARTS, SecretNames};

pub(crate) use command_line::redact_command_line;
pub(crate) use hash_key::keyed_hash;

/// The variable adding names to [`SECRET_NAME_PARTS`], comma-separated
/// (`PROVENANCE_REDACT=sig,passphrase`), as
/// [`ProvenanceBuilder::redact_names`](crate::ProvenanceBuilder::redact_names) does.
pub const REDACT_NAMES_VAR: &str = "PROVENANCE_REDACT";

/// The secret names of a context: the built-in parts, those of
/// `PROVENANCE_REDACT` and the builder's.
pub(crate) fn secret_names(from_builder: &[String]) -> SecretNames {
    // Lossy, not `var`: a name list that is not UTF-8 must still count.
    let from_var = std::env::var_os(REDACT_NAMES_VAR).unwrap_or_default();
    let from_var = from_var.to_string_lossy();
    SecretNames::with_extra(
        from_builder
            .iter()
            .map(String::as_str)
            .chain(from_var.split(',')),
    )
}
