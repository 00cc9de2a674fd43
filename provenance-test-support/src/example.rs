//! Runs the workspace's examples as a user would, each run writing its log
//! to a file of its own, and reads the logs back.

use std::path::PathBuf;
use std::process::{Command, ExitStatus};

use serde_json::Value;

use crate::binaries::example_binary;

/// An example binary, with a temporary folder to run it in.
pub struct Example {
    binary: PathBuf,
    dir: tempfile::TempDir,
}

/// One run: exit status, stderr and the log it wrote.
pub struct Output {
    /// How the example exited.
    pub status: ExitStatus,
    /// Its standard error.
    pub stderr: String,
    /// The log it wrote (empty when it wrote none).
    pub log: String,
}

impl Example {
    /// The example `name` (built if need be, see [`example_binary`]), with
    /// a temporary folder to run it in.
    pub fn build(name: &str) -> Example {
        Example {
            binary: example_binary(name),
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// Runs the example with `env` and `args` from inside the temporary
    /// folder, `PROVENANCE_SEED` unset unless `env` sets it, its log going
    /// to `<folder>/<label>.ndjson`.
    pub fn run_logged(&self, label: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
        let log = self.dir.path().join(format!("{label}.ndjson"));
        let out = Command::new(&self.binary)
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("PROVENANCE_SEED")
            .env("PROVENANCE_LOG", &log)
            .envs(env.iter().copied())
            .output()
            .expect("the example runs");
        Output {
            status: out.status,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            log: std::fs::read_to_string(&log).unwrap_or_default(),
        }
    }
}

/// Every line of a log, parsed; panics naming the first line that is not
/// JSON.
pub fn events_of(log: &str) -> Vec<Value> {
    log.lines()
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("line {} is not JSON ({e}): {line}", i + 1))
        })
        .collect()
}

/// An event without what differs between two runs of the same code with the
/// same seed: the timestamp, the session id, the context's start time, and
/// durations.
pub fn normalized(event: &Value) -> Value {
    let mut event = event.clone();
    if let Some(map) = event.as_object_mut() {
        map.remove("ts");
        map.remove("session_id");
        map.remove("duration_ms");
        if let Some(ctx) = map.get_mut("context").and_then(Value::as_object_mut) {
            ctx.remove("session_id");
            ctx.remove("start_time");
        }
    }
    event
}
