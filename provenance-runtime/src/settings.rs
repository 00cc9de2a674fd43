//! Every environment variable the runtime reads, named and read here and
//! nowhere else; callers read each one once and pass its value down.
//!
//! Values are read with [`std::env::var_os`], so a value that is not UTF-8
//! is never silently taken for "unset": a path is used as it is, a name
//! list is read lossily (a name that is not UTF-8 still counts), and a
//! seed or a yes/no setting is an error that quotes it.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::LogError;

/// The environment variable that chooses the log's destination: a file path,
/// `stdout`, `stderr` or `off`.
pub const LOG_ENV: &str = "PROVENANCE_LOG";

/// The environment variable that supplies the root seed when the code gives
/// none: `PROVENANCE_SEED=42` (or `0x2a`) replays a past run.
pub const SEED_ENV: &str = "PROVENANCE_SEED";

/// The variable that makes every log strict ([`EventLogBuilder::strict`](crate::EventLogBuilder::strict))
/// when the program does not choose: `1` strict, `0` (or unset, or empty)
/// lenient.
pub const STRICT_ENV: &str = "PROVENANCE_STRICT";

/// The variable that silences the runtime's notices on stderr (`1`): the
/// line saying why a session records no git commit, and the one saying
/// that parallel calls of a function have equal identities. Errors are
/// never silenced.
pub const QUIET_ENV: &str = "PROVENANCE_QUIET";

/// The variable that keeps the uncommitted changes of a dirty build out of
/// the log (`off`, any case): read when the experiment crate is compiled
/// (the binary then carries no patch) and when the run starts (no patch is
/// written beside the log). See `docs/GIT.md`, *The patch*.
pub const PATCH_ENV: &str = "PROVENANCE_PATCH";

/// The variable naming further variables to record, comma-separated.
pub const ENV_NAMES_VAR: &str = "PROVENANCE_ENV";

/// The variable adding names to [`SECRET_NAME_PARTS`](crate::SECRET_NAME_PARTS), comma-separated
/// (`PROVENANCE_REDACT=sig,passphrase`), as
/// [`ProvenanceBuilder::redact_names`](crate::ProvenanceBuilder::redact_names) does.
pub const REDACT_NAMES_VAR: &str = "PROVENANCE_REDACT";

/// The variable naming the key file instead of
/// `$XDG_CONFIG_HOME/provenance/secret-hash.key` (else
/// `~/.config/provenance/secret-hash.key`): for CI, or to share one key
/// between accounts whose hashes must compare.
pub const HASH_KEY_FILE_ENV: &str = "PROVENANCE_HASH_KEY_FILE";

/// The one read of the environment.
fn read(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

/// `PROVENANCE_LOG` as it is (`None` when unset); `LogTarget` decides what
/// it names.
pub(crate) fn log_destination() -> Option<OsString> {
    read(LOG_ENV)
}

/// `PROVENANCE_SEED` as it is (`None` when unset); `RootSeed::resolve_with`
/// parses it, and rejects a value that is not a `u64`, UTF-8 or not.
pub(crate) fn seed() -> Option<OsString> {
    read(SEED_ENV)
}

/// `PROVENANCE_STRICT`.
///
/// # Errors
/// [`LogError::Setting`] when it holds something other than a yes or a no.
pub(crate) fn strict() -> Result<bool, LogError> {
    flag(STRICT_ENV)
}

/// `PROVENANCE_PATCH=off` (any case, spaces around ignored): the patch of
/// a dirty build is not stored; any other value leaves it on.
pub(crate) fn patch_off() -> bool {
    read(PATCH_ENV).is_some_and(|v| v.to_string_lossy().trim().eq_ignore_ascii_case("off"))
}

/// `PROVENANCE_QUIET=1`; any other value is not quiet (a notice is never
/// worth failing for).
pub(crate) fn quiet() -> bool {
    flag(QUIET_ENV).unwrap_or(false)
}

/// The names `PROVENANCE_ENV` lists (empty entries included; the caller
/// skips them). Lossy: a name that is not UTF-8 is still recorded.
pub(crate) fn env_names() -> Vec<String> {
    comma_list(ENV_NAMES_VAR)
}

/// The names `PROVENANCE_REDACT` adds to the secret ones. Lossy: a name
/// that is not UTF-8 must still count.
pub(crate) fn redact_names() -> Vec<String> {
    comma_list(REDACT_NAMES_VAR)
}

/// The value of a variable the context records (a thread variable, or one
/// named by `PROVENANCE_ENV` or `record_env`), `None` when unset.
pub(crate) fn recorded(name: &str) -> Option<OsString> {
    read(name)
}

/// Where the secret-hash key is: `PROVENANCE_HASH_KEY_FILE`, else
/// `$XDG_CONFIG_HOME/provenance/secret-hash.key` (an absolute one), else
/// `$HOME/.config/provenance/secret-hash.key` (`%USERPROFILE%` on
/// Windows); `None` when none of them is set. Empty counts as unset.
pub(crate) fn hash_key_file() -> Option<PathBuf> {
    let path = |name: &str| read(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(file) = path(HASH_KEY_FILE_ENV) {
        return Some(file);
    }
    let config = path("XDG_CONFIG_HOME")
        .filter(|dir| dir.is_absolute())
        .or_else(|| {
            path("HOME")
                .or_else(|| path("USERPROFILE"))
                .map(|home| home.join(".config"))
        })?;
    Some(config.join("provenance").join("secret-hash.key"))
}

fn comma_list(name: &str) -> Vec<String> {
    match read(name) {
        Some(value) => value
            .to_string_lossy()
            .split(',')
            .map(str::to_string)
            .collect(),
        None => Vec::new(),
    }
}

/// A yes/no variable: unset, empty or `0` is no, `1` is yes (also `true`,
/// `false`, `yes`, `no`, `on`, `off`, any case), anything else an error.
fn flag(variable: &'static str) -> Result<bool, LogError> {
    match read(variable) {
        None => Ok(false),
        Some(raw) => parse_flag(variable, &raw),
    }
}

/// [`flag`]'s rule on a value already read. A value that is not UTF-8 is
/// not a yes or a no, and the error quotes it (lossily).
fn parse_flag(variable: &'static str, raw: &std::ffi::OsStr) -> Result<bool, LogError> {
    let value = raw.to_string_lossy();
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "false" | "no" | "off" => Ok(false),
        "1" | "true" | "yes" | "on" => Ok(true),
        _ => Err(LogError::Setting {
            variable,
            value: value.chars().take(100).collect(),
            expected: "1 (on) or 0 (off)",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_takes_yes_and_no_in_any_case_and_nothing_else() {
        for yes in ["1", "true", " YES ", "On"] {
            assert!(parse_flag(STRICT_ENV, yes.as_ref()).unwrap(), "{yes:?}");
        }
        for no in ["", "0", "false", "No", " off"] {
            assert!(!parse_flag(STRICT_ENV, no.as_ref()).unwrap(), "{no:?}");
        }
        let err = parse_flag(STRICT_ENV, "maybe".as_ref()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "PROVENANCE_STRICT=\"maybe\" is not a valid setting: expected 1 (on) or 0 (off)"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_flag_that_is_not_utf8_is_an_error_quoting_it() {
        use std::os::unix::ffi::OsStrExt;
        let raw = std::ffi::OsStr::from_bytes(b"1\xff");
        let err = parse_flag(STRICT_ENV, raw).unwrap_err();
        assert_eq!(
            err.to_string(),
            "PROVENANCE_STRICT=\"1\u{fffd}\" is not a valid setting: expected 1 (on) or 0 (off)"
        );
    }
}
