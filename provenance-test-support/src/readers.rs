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

/// What a reader script said: its exit status and standard output.
#[derive(Debug)]
pub struct ReaderReport {
    /// Whether the script exited 0.
    pub success: bool,
    /// Its standard output, the report the test reads.
    pub report: String,
}

/// Runs `python3 script dir` for `test`: its report (standard output, and
/// with standard error echoed to the test's log), or `None` when python3
/// cannot run and skipping is allowed ([`skip_unless_required`]).
pub fn run_reader(test: &str, script: &str, dir: &std::path::Path) -> Option<ReaderReport> {
    let out = match std::process::Command::new("python3")
        .arg(script)
        .arg(dir)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            skip_unless_required(test, &format!("python3 cannot run ({e})"));
            return None;
        }
    };
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!("{report}{}", String::from_utf8_lossy(&out.stderr));
    Some(ReaderReport {
        success: out.status.success(),
        report,
    })
}
