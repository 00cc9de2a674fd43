//! `diff`: what differs between the provenance of two runs.

use std::io::Write;

use crate::cli::DiffArgs;
use crate::error::CliError;

/// Runs `diff`: 0 when the runs are the same, 1 when they differ.
///
/// # Errors
/// A log that cannot be read, or a session that cannot be chosen.
pub fn run(args: &DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, CliError> {
    let _ = (args, out, err);
    Err(CliError::Usage("diff: not yet".into()))
}
