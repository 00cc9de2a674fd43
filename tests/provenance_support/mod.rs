//! Running one `#[provenance]` scenario in a child process and reading
//! back the log it wrote (shared by `provenance_attr.rs` and
//! `provenance_attr_shapes.rs`).
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use ith_provenance::ith::HypothesisResult;
use serde_json::Value;

pub const CHILD_ENV: &str = "PROVENANCE_ATTR_CHILD";

pub struct Child {
    pub lines: Vec<Value>,
    /// The same lines as written (key order kept).
    pub raw: Vec<String>,
    pub stdout: String,
}

/// Runs `child_<name>` in a child process and returns its log's lines
/// (without the `event.schema` lines that describe each type once).
pub fn run_child(name: &str, env: &[(&str, &str)]) -> Child {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("run.ndjson");
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            &format!("child_{name}"),
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD_ENV, "1")
        .env("PROVENANCE_LOG", &log)
        .env_remove("PROVENANCE_SEED");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "child_{name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("1 passed"),
        "child_{name} did not run:\n{stdout}"
    );
    let (lines, raw) = read_log(&log);
    Child { lines, raw, stdout }
}

pub fn read_log(path: &Path) -> (Vec<Value>, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.ends_with('\n'), "the last line reached the file whole");
    text.lines()
        .map(|line| {
            (
                serde_json::from_str::<Value>(line).unwrap(),
                line.to_string(),
            )
        })
        .filter(|(line, _)| line["event_type"] != "event.schema")
        .unzip()
}

pub fn is_child() -> bool {
    std::env::var_os(CHILD_ENV).is_some()
}

pub fn of_type<'a>(lines: &'a [Value], event_type: &str) -> Vec<&'a Value> {
    lines
        .iter()
        .filter(|l| l["event_type"] == event_type)
        .collect()
}

pub fn types(lines: &[Value]) -> Vec<&str> {
    lines
        .iter()
        .map(|l| l["event_type"].as_str().unwrap())
        .collect()
}

/// The lines of one run (by `run_id`).
pub fn run<'a>(lines: &'a [Value], run_id: &str) -> Vec<&'a Value> {
    lines.iter().filter(|l| l["run_id"] == run_id).collect()
}

/// A line the body writes, through the installed log.
pub fn body_event(hypothesis_id: &str) {
    ith_provenance::ith::log_hypothesis_result(HypothesisResult {
        hypothesis_id: hypothesis_id.into(),
        test_name: "t".into(),
        statistic: 1.0,
        p_value: 0.5,
        effect_size: None,
        decision: "fail_to_reject".into(),
        alpha: 0.05,
        context: Default::default(),
    })
    .unwrap();
}
