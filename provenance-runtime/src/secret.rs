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

/// `args` (the program first) as a context would record them, their
/// secrets redacted by the rules of `docs/CONTEXT.md` (*Secrets*), with
/// the built-in secret names and those of `PROVENANCE_REDACT`: for a tool
/// that prints a command line it runs (`provenance rerun`).
///
/// ```
/// let shown = ith_provenance_runtime::redacted_command_line(
///     ["train", "--api-key", "sk-1", "--lr=0.1", "https://ana:pw@h/x"].map(String::from).to_vec(),
/// );
/// assert_eq!(shown, ["train", "--api-key", "<redacted>", "--lr=0.1", "https://<redacted>@h/x"]);
/// ```
pub fn redacted_command_line(args: Vec<String>) -> Vec<String> {
    redact_command_line(args, &secret_names(&[]))
}

/// The secret names of a context: the built-in parts, those of
/// `PROVENANCE_REDACT` and the builder's.
pub(crate) fn secret_names(from_builder: &[String]) -> SecretNames {
    let from_var = crate::settings::redact_names();
    SecretNames::with_extra(from_builder.iter().chain(&from_var).map(String::as_str))
}
