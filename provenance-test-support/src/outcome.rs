//! Running a program to the end and keeping what a test checks: its exit
//! code and its output as text.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::binaries::provenance_binary;

/// What a finished run gave.
#[derive(Debug)]
pub struct Outcome {
    /// The exit status.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Outcome {
    /// The exit code and output of `output`; panics if the process was
    /// killed by a signal (it has no exit code then).
    pub fn of(output: Output) -> Outcome {
        Outcome {
            code: output
                .status
                .code()
                .unwrap_or_else(|| panic!("the process was killed, not exited: {output:?}")),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Standard output as JSON; panics showing it when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The outcome itself, after checking that the program did not panic
    /// (bad input must get a message, never a panic); `what` names the run
    /// in the failure.
    pub fn no_panic(self, what: impl std::fmt::Debug) -> Outcome {
        assert!(
            !self.stderr.contains("panicked"),
            "{what:?} panicked: {}",
            self.stderr
        );
        self
    }

    /// Whether standard output or standard error holds `text`.
    pub fn has(&self, text: &str) -> bool {
        self.stdout.contains(text) || self.stderr.contains(text)
    }
}

/// Runs `command` to the end, capturing its output.
pub fn run(command: &mut Command) -> Outcome {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?} does not start: {e}"));
    Outcome::of(output)
}

/// Runs the `provenance` binary ([`provenance_binary`]) with `args` from
/// the folder `cwd`.
pub fn provenance<S: AsRef<OsStr>>(cwd: &Path, args: &[S]) -> Outcome {
    run(Command::new(provenance_binary())
        .args(args)
        .current_dir(cwd))
}
