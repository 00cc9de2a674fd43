//! The environment variables a log reads when the program does not choose:
//! `PROVENANCE_STRICT` and `PROVENANCE_QUIET` (`PROVENANCE_LOG` lives with
//! the targets it names, in `sink`).

use super::errors::LogError;

/// The variable that makes every log strict ([`EventLogBuilder::strict`](crate::EventLogBuilder::strict))
/// when the program does not choose: `1` strict, `0` (or unset, or empty)
/// lenient.
pub const STRICT_ENV: &str = "PROVENANCE_STRICT";

/// The variable that silences the runtime's notices on stderr (`1`): the
/// line saying why a session records no git commit, and the one saying
/// that parallel calls of a function have equal identities. Errors are
/// never silenced.
pub const QUIET_ENV: &str = "PROVENANCE_QUIET";

/// `PROVENANCE_STRICT`, read when a log is opened.
pub(crate) fn strict_from_env() -> Result<bool, LogError> {
    flag(STRICT_ENV)
}

/// `PROVENANCE_QUIET=1`; any other value is not quiet (a notice is never
/// worth failing for).
pub(crate) fn quiet() -> bool {
    flag(QUIET_ENV).unwrap_or(false)
}

/// A yes/no variable: unset, empty or `0` is no, `1` is yes (also `true`,
/// `false`, `yes`, `no`, `on`, `off`, any case), anything else an error.
fn flag(variable: &'static str) -> Result<bool, LogError> {
    let Some(raw) = std::env::var_os(variable) else {
        return Ok(false);
    };
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
