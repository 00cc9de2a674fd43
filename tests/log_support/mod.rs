//! Shared pieces of the event-log robustness tests: a fast context, a test
//! event, a strict line checker, a schema checker and the child-process
//! plumbing.
#![allow(dead_code)] // each test crate uses a different part

pub mod schema;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use ith_provenance::{Event, ProvenanceContext, crate_info, git::GitInfo};
use serde::{Deserialize, Serialize};

/// Names the job a re-run test binary performs; unset in a normal run.
pub const CHILD_ENV: &str = "LOG_TEST_CHILD";
/// The log file a child writes.
pub const FILE_ENV: &str = "LOG_TEST_FILE";
/// What a child prints on stdout once it has done the part the parent waits for.
pub const READY: &str = "log-test-ready";

/// A context built without capturing git (libgit2 per child process would
/// dominate these tests' run time, and git is not what they test).
pub fn context() -> ProvenanceContext {
    ProvenanceContext::builder(crate_info!())
        .seed(1)
        .git(GitInfo::unknown("not captured in log tests"))
        .build()
        .expect("a context with an explicit seed builds")
}

/// The test event: who wrote it, its number, and some text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Event)]
#[event(name = "test.note", version = 1)]
pub struct Note {
    pub worker: u32,
    pub i: u64,
    pub text: String,
}

impl Note {
    pub fn new(worker: u32, i: u64) -> Self {
        Note {
            worker,
            i,
            text: "the quick brown fox".into(),
        }
    }
}

/// The parts of a line the tests check. Deserializing into it still
/// validates the whole line as JSON.
#[derive(Debug, Deserialize)]
pub struct Line {
    pub ts: String,
    pub event_type: String,
    pub session_id: String,
    pub seq: u64,
    pub worker: Option<u32>,
    pub i: Option<u64>,
    pub text: Option<String>,
    pub status: Option<String>,
    pub error: Option<String>,
    pub dropped_events: Option<u64>,
    /// The event type an `event.schema` line describes.
    pub describes: Option<String>,
}

/// Parses every line of `bytes`, which must be whole lines, each one JSON
/// object with the envelope; panics naming the first bad line.
pub fn parse_lines(bytes: &[u8]) -> Vec<Line> {
    assert!(
        bytes.is_empty() || bytes.ends_with(b"\n"),
        "the log ends in a torn line: {:?}",
        String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(200)..])
    );
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(n, line)| {
            serde_json::from_slice(line).unwrap_or_else(|e| {
                panic!(
                    "line {n} is not a valid event ({e}): {:?}",
                    String::from_utf8_lossy(line)
                )
            })
        })
        .collect()
}

/// Reads and parses a log file.
pub fn read_log(path: &Path) -> Vec<Line> {
    parse_lines(&std::fs::read(path).expect("the log file exists"))
}

/// Groups lines by session, checking that each session's `seq` runs 0, 1,
/// 2, … in file order (no gap, no duplicate, no reordering) and starts with
/// `session.start`.
pub fn sessions(lines: &[Line]) -> BTreeMap<&str, Vec<&Line>> {
    let mut by_session: BTreeMap<&str, Vec<&Line>> = BTreeMap::new();
    for line in lines {
        let session = by_session.entry(&line.session_id).or_default();
        assert_eq!(
            line.seq,
            session.len() as u64,
            "session {}: seq out of order or with a gap",
            line.session_id
        );
        if line.seq == 0 {
            assert_eq!(line.event_type, "session.start");
        }
        session.push(line);
    }
    by_session
}

/// Checks that `line` is the `event.schema` line describing `event_type`.
pub fn assert_schema_line(line: &Line, event_type: &str) {
    assert_eq!(
        (line.event_type.as_str(), line.describes.as_deref()),
        ("event.schema", Some(event_type)),
        "line seq {} should describe {event_type}",
        line.seq
    );
}

/// The job this process was started for, when it is a child; `None` in a
/// normal test run, where the child entry must do nothing.
pub fn child_job() -> Option<String> {
    std::env::var(CHILD_ENV).ok()
}

/// A command re-running this test binary's `child_entry` for `job`.
pub fn child(job: &str) -> Command {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let mut cmd = Command::new(exe);
    cmd.args(["--exact", "child_entry", "--nocapture", "--ignored"])
        .env(CHILD_ENV, job)
        .env_remove(ith_provenance::log::LOG_ENV)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null());
    cmd
}

/// Runs a child to completion, capturing its output.
pub fn run_child(mut cmd: Command) -> Output {
    cmd.output().expect("the child starts")
}

/// A child that is killed if the test fails before it is waited for, so no
/// process outlives the test.
pub struct ChildGuard(Option<Child>);

impl ChildGuard {
    pub fn spawn(mut cmd: Command) -> Self {
        ChildGuard(Some(cmd.spawn().expect("the child starts")))
    }

    pub fn process(&mut self) -> &mut Child {
        self.0.as_mut().expect("the child is still held")
    }

    /// Reads the child's stdout until it prints [`READY`].
    pub fn wait_ready(&mut self) {
        let stdout = self.process().stdout.as_mut().expect("stdout is piped");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        loop {
            line.clear();
            let n = reader
                .read_line(&mut line)
                .expect("the child's stdout reads");
            assert!(n > 0, "the child ended before it was ready");
            if line.trim_end() == READY {
                return;
            }
        }
    }

    /// Closes the child's stdin, which a waiting child takes as "go".
    pub fn go(&mut self) {
        drop(self.process().stdin.take());
    }

    /// Waits for the child to end, collecting what is left of its output.
    pub fn finish(mut self) -> Output {
        let child = self.0.take().expect("the child is still held");
        child
            .wait_with_output()
            .expect("the child can be waited for")
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Blocks until stdin is closed: a child's signal to start.
pub fn wait_for_go() {
    let mut sink = Vec::new();
    let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
}

/// Fails the test showing the child's output unless it succeeded.
pub fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "the child failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        stderr_of(output)
    );
}

/// The process's stderr as text.
pub fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
