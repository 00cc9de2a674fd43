//! The plumbing of `provenance rerun`: a worktree at the recorded commit
//! with the stored patch applied ([`worktree`]), the inputs checked where
//! the rerun will read them ([`inputs`]), the recorded cargo target built
//! ([`build`]) and run as recorded ([`launch`]).
//!
//! Every step that cannot be done returns a [`Refusal`]: one line saying
//! what is missing or wrong, and what to do; the verb prints it and exits 2.

pub(crate) mod build;
pub(crate) mod inputs;
pub(crate) mod launch;
pub(crate) mod worktree;

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// Why a run cannot be rerun, in one line a user can act on.
#[derive(Debug)]
pub(crate) struct Refusal(pub(crate) String);

impl Refusal {
    pub(crate) fn new(message: impl Into<String>) -> Refusal {
        Refusal(message.into())
    }
}

/// Runs `program args…` in `dir` and returns its standard output; the
/// error names the command and quotes what it printed on stderr.
pub(crate) fn output<I, S>(program: &OsStr, dir: &Path, args: I) -> Result<Vec<u8>, String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<S> = args.into_iter().collect();
    let shown = || {
        std::iter::once(program.to_string_lossy().into_owned())
            .chain(
                args.iter()
                    .map(|a| a.as_ref().to_string_lossy().into_owned()),
            )
            .collect::<Vec<_>>()
            .join(" ")
    };
    let out = Command::new(program)
        .args(&args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", shown()))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr
            .trim()
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        return Err(format!("`{}` failed ({}): {first}", shown(), out.status));
    }
    Ok(out.stdout)
}
