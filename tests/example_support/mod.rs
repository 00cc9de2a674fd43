//! Runs the workspace's examples as a user would, each writing its log to a
//! file of its own.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use serde_json::Value;

/// An example binary, built by `cargo test` (which builds every example) or
/// on demand.
pub struct Example {
    binary: PathBuf,
    dir: tempfile::TempDir,
}

/// One run: exit status, stderr and the log it wrote.
pub struct Output {
    pub status: ExitStatus,
    pub stderr: String,
    pub log: String,
}

impl Example {
    /// The example `name`, with a temporary folder to run it in.
    pub fn build(name: &str) -> Example {
        Example {
            binary: example_binary(name),
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// Runs the example with `env` and `args`, its log going to
    /// `<tempdir>/<label>.ndjson`, from inside the temporary folder.
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

/// The example `name`'s binary (`target/<profile>/examples/<name>`, next
/// to this test binary's `deps/` folder), built with cargo when absent (a
/// test run filtered with `--test` does not build examples). The CLI's
/// tests use it too (`provenance-cli/tests/support/mod.rs`).
pub fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    let binary = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !binary.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "-p",
                "ith-provenance",
                "--example",
                name,
            ])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build --example {name} failed");
    }
    assert!(binary.exists(), "no example binary at {}", binary.display());
    binary
}

/// Every line of a log, parsed.
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
