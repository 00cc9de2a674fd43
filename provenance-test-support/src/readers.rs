//! Whether a test may skip what needs a program from outside the workspace
//! (python3 and its readers): on a developer's machine it may, saying so;
//! under `PROVENANCE_READERS_REQUIRED=1` (CI, where `.ci/run` installs
//! them) it must fail instead, or a missing tool would pass unnoticed.

/// The variable that forbids skipping.
pub const READERS_REQUIRED: &str = "PROVENANCE_READERS_REQUIRED";

/// Whether `PROVENANCE_READERS_REQUIRED=1` is set.
pub fn readers_required() -> bool {
    std::env::var(READERS_REQUIRED).as_deref() == Ok("1")
}

/// Reports that `test` cannot run because `missing` (e.g. "python3 cannot
/// run (No such file or directory)"): says it skipped on stderr, or panics
/// naming what is missing when [`readers_required`].
pub fn skip_unless_required(test: &str, missing: &str) {
    assert!(
        !readers_required(),
        "{test}: {missing}, and {READERS_REQUIRED}=1 forbids skipping it"
    );
    eprintln!("{test}: skipped, {missing}");
}
