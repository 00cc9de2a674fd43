//! Helpers shared by the CLI's end-to-end tests: the `ith_epochs` example
//! writing real logs into a temporary folder, and the `provenance` binary
//! run on them. What other packages' tests share too (running a binary,
//! git, the examples) is in the `provenance-test-support` crate.
#![allow(dead_code)]

pub mod handmade;
pub mod openlineage;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use provenance_test_support::example_binary;

/// The README's `sh` block after the comment `<!-- <marker>`: the commands
/// a test runs as written.
pub fn readme_block(marker: &str) -> &'static str {
    const README: &str = include_str!("../../../README.md");
    let start = README
        .find(&format!("<!-- {marker}"))
        .unwrap_or_else(|| panic!("the README has a {marker} block"));
    let block = &README[start..];
    let block = &block[block.find("```sh\n").expect("a sh block") + 6..];
    &block[..block.find("```").expect("the block ends")]
}

/// The `ith_epochs` example, located (and built) once per test binary.
pub fn ith_epochs() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| example_binary("ith_epochs"))
}

/// A temporary folder in which the example runs and writes its logs.
pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    /// A new, empty folder.
    pub fn new() -> Workspace {
        ith_epochs();
        Workspace {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `ith_epochs args` from the folder with `PROVENANCE_SEED=seed`,
    /// its log going to `<folder>/<label>.ndjson`; returns the log's path.
    pub fn run_example(&self, label: &str, seed: &str, args: &[&str]) -> PathBuf {
        let log = self.path().join(format!("{label}.ndjson"));
        let out = Command::new(ith_epochs())
            .args(args)
            .current_dir(self.path())
            .env("PROVENANCE_SEED", seed)
            .env("PROVENANCE_LOG", &log)
            .output()
            .expect("the example runs");
        assert!(
            out.status.success(),
            "ith_epochs {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(log.exists(), "ith_epochs wrote no log at {}", log.display());
        log
    }

    /// Two runs of `ith_epochs args` with the same seed, taken while the
    /// repository's working tree stood still: others may edit it meanwhile,
    /// which changes the recorded `git.diff_hash` (a real difference), so
    /// the pair is run again, up to five times, until both logs record the
    /// same git state.
    pub fn same_pair(&self, seed: &str, args: &[&str]) -> (PathBuf, PathBuf) {
        for attempt in 0..5 {
            let a = self.run_example(&format!("same-a{attempt}"), seed, args);
            let b = self.run_example(&format!("same-b{attempt}"), seed, args);
            if context(&a)["git"] == context(&b)["git"] {
                return (a, b);
            }
        }
        panic!("the working tree changed under every one of five pairs of runs");
    }

    /// Writes `text` to `<folder>/<name>`; returns the path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path().join(name);
        std::fs::write(&path, text).expect("write a file");
        path
    }
}

/// A seed as the example's writer shows it in text output: decimal from a
/// contract-version-1 writer, `0x` + 16 hex digits from a version-2 one
/// (so these tests hold before and after the writer moves to version 2).
pub fn written_seed(seed: u64) -> String {
    if ith_provenance_runtime::CONTRACT_VERSION >= 2 {
        format!("0x{seed:016x}")
    } else {
        seed.to_string()
    }
}

/// The lines of a log, parsed.
pub fn events(log: &Path) -> Vec<Value> {
    std::fs::read_to_string(log)
        .expect("read the log")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// The context of a log's first `session.start`.
pub fn context(log: &Path) -> Value {
    events(log)
        .into_iter()
        .find(|e| e["event_type"] == "session.start")
        .map(|e| e["context"].clone())
        .expect("a session.start line")
}

/// The session id of a log's first line.
pub fn session_id(log: &Path) -> String {
    events(log)[0]["session_id"]
        .as_str()
        .expect("a session_id")
        .to_string()
}

/// The lines of a log, each passed through `edit` (which returns the new
/// line), written to `<folder>/<name>`.
pub fn edit_lines(
    ws: &Workspace,
    log: &Path,
    name: &str,
    mut edit: impl FnMut(&str) -> String,
) -> PathBuf {
    let text = std::fs::read_to_string(log).expect("read the log");
    let mut edited = String::new();
    for line in text.lines() {
        edited.push_str(&edit(line));
        edited.push('\n');
    }
    ws.write(name, &edited)
}
