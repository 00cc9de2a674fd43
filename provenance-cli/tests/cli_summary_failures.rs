//! `summary` on the failures a user must not miss — a run with no result, a
//! panic the program caught and went on after, lost lines, dropped events —
//! through the binary. Logs are the example's, cut or thinned as a killed
//! process or a lossy copy leaves them; what the example cannot do (catch a
//! panic, drop events, run without run ids) is written by hand after
//! docs/CONTRACT.md, on the example's own `session.start` and schema lines,
//! and `validate` must accept it.

mod support;

use std::path::{Path, PathBuf};

use provenance_test_support::provenance;
use serde_json::{Value, json};
use support::{Workspace, events, session_id};

/// The file name of `log`, as `summary` shows it when run from its folder.
fn name(log: &Path) -> &str {
    log.file_name()
        .and_then(|n| n.to_str())
        .expect("a file name")
}

/// `summary LOG`, run from the log's folder: exit status 0, and the text.
fn summary(ws: &Workspace, log: &Path) -> String {
    let out = provenance(ws.path(), &["summary", name(log)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    out.stdout
}

/// `summary --json LOG`'s only session.
fn summary_json(ws: &Workspace, log: &Path) -> Value {
    let out = provenance(ws.path(), &["summary", "--json", name(log)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()["sessions"][0].clone()
}

/// The lines of `text` that start with one of `heads` (`"session "`, …).
fn lines<'t>(text: &'t str, heads: &[&str]) -> Vec<&'t str> {
    text.lines()
        .filter(|l| heads.iter().any(|h| l.starts_with(h)))
        .collect()
}

/// The 1-based number of the last line of `lines` of `event_type`.
fn last_line_of(lines: &[Value], event_type: &str) -> usize {
    lines
        .iter()
        .rposition(|e| e["event_type"] == event_type)
        .expect("a line of that type")
        + 1
}

/// `log` without the lines `lost` picks, the others as they were, written
/// to `<folder>/<name>`: as a killed process (the end lost) or a lossy copy
/// (lines lost) leaves it.
fn without(ws: &Workspace, log: &Path, name: &str, lost: impl Fn(&Value) -> bool) -> PathBuf {
    let text = std::fs::read_to_string(log).expect("read the log");
    let kept: String = text
        .lines()
        .filter(|l| !lost(&serde_json::from_str(l).expect("a JSON line")))
        .map(|l| format!("{l}\n"))
        .collect();
    ws.write(name, &kept)
}

/// A log written line by line after docs/CONTRACT.md, for what the example
/// cannot do. Its `session.start`, its `event.schema` lines and the
/// payloads it starts from are the example's, so only what a test says
/// differs from a log the runtime writes.
struct HandLog {
    real: Vec<Value>,
    lines: Vec<Value>,
}

impl HandLog {
    fn new(ws: &Workspace) -> HandLog {
        let real = events(&ws.run_example("real", "7", &[]));
        HandLog {
            lines: vec![real[0].clone()],
            real,
        }
    }

    /// The example's first line of `event_type`.
    fn real(&self, event_type: &str) -> Value {
        self.real
            .iter()
            .find(|e| e["event_type"] == event_type)
            .unwrap_or_else(|| panic!("the example writes no {event_type}"))
            .clone()
    }

    /// Appends `line`, written in `run` (none: outside any `#[provenance]`
    /// run), after its type's `event.schema` line when it is the first of
    /// its type.
    fn push(&mut self, line: Value, run: Option<&str>) {
        let event_type = line["event_type"].clone();
        // `describes` in contract version 2, `name` in version 1.
        let described = |e: &Value| {
            e["event_type"] == "event.schema"
                && (e["describes"] == event_type || e["name"] == event_type)
        };
        if !self.lines.iter().any(described) {
            let schema = self.real.iter().find(|e| described(e)).cloned();
            self.append(schema.expect("the example's schema line"), run);
        }
        self.append(line, run);
    }

    fn append(&mut self, mut line: Value, run: Option<&str>) {
        let fields = line.as_object_mut().expect("a line is an object");
        fields.insert("seq".into(), json!(self.lines.len()));
        fields.remove("parent_run_id");
        match run {
            Some(run) => fields.insert("run_id".into(), json!(run)),
            None => fields.remove("run_id"),
        };
        self.lines.push(line);
    }

    /// `run` starts (the example's top-level `algorithm.init`).
    fn init(&mut self, run: Option<&str>) {
        let init = self.real("algorithm.init");
        self.push(init, run);
    }

    /// `run` ends with `status` (`"panic"`: with a panic's message).
    fn result(&mut self, run: Option<&str>, status: &str, dropped_events: u64) {
        let mut result = self.real("algorithm.result");
        result["status"] = json!(status);
        result["duration_ms"] = json!(1.5);
        result["dropped_events"] = json!(dropped_events);
        if status != "ok" {
            result["output_hash"] = Value::Null;
            result["final_metrics"] = json!({});
            result["error"] = json!("boom at src/main.rs:7:5");
        }
        self.push(result, run);
    }

    /// Writes the log to `<folder>/<name>`, which `validate` must accept.
    fn write(&self, ws: &Workspace, name: &str) -> PathBuf {
        let text: String = self.lines.iter().map(|l| format!("{l}\n")).collect();
        let log = ws.write(name, &text);
        let out = provenance(ws.path(), &["validate", name]);
        assert_eq!(
            out.code, 0,
            "a hand-written log breaks the contract:\n{}",
            out.stdout
        );
        log
    }
}

#[test]
fn a_run_without_a_result_is_unfinished_and_names_the_last_event_seen() {
    let ws = Workspace::new();
    let log = ws.run_example("full", "8", &[]);
    // Killed (or `std::process::exit`) before either run wrote its result:
    // everything from the first result on is lost (the outer run's last
    // `metrics` batch, written as it ends, too).
    let full = events(&log);
    let first_result = full
        .iter()
        .find(|e| e["event_type"] == "algorithm.result")
        .and_then(|e| e["seq"].as_u64())
        .unwrap();
    let cut = without(&ws, &log, "cut.ndjson", |e| {
        e["seq"].as_u64().unwrap() >= first_result
    });
    // The nested run's last event is its parent's too; the schema line of
    // `algorithm.result` before it does not count as an event.
    let last = last_line_of(&full, "epoch_detected");
    let text = summary(&ws, &cut);
    assert_eq!(
        lines(&text, &["session ", "run ", "status "]),
        [
            format!("session    {}  (cut.ndjson)", session_id(&log)),
            format!(
                "run        ith_experiment#1 ith_experiment 1.0.0: unfinished (last seen: \
                 epoch_detected at line {last})"
            ),
            format!(
                "run        ith_experiment#1/bull_ith#1 (in ith_experiment#1) bull_ith 1.0.0: \
                 unfinished (last seen: epoch_detected at line {last})"
            ),
            "status     unfinished: 2 run(s) without a result".into(),
        ],
        "{text}"
    );
    assert!(!text.contains("no result"), "{text}");

    let json = summary_json(&ws, &cut);
    for run in json["runs"].as_array().unwrap() {
        assert_eq!(run["status"], Value::Null);
        assert_eq!(run["last_event"], "epoch_detected");
        assert_eq!(run["last_line"], last);
        assert_eq!(run["lines_after"], Value::Null);
    }
}

#[test]
fn lines_without_run_ids_count_for_the_run_started_without_one() {
    // `start_algorithm` without `#[provenance]`: no line carries a run id.
    let ws = Workspace::new();
    let mut log = HandLog::new(&ws);
    let load = log.real("data.load");
    log.init(None);
    log.push(load.clone(), None);
    log.result(None, "ok", 0);
    log.init(None);
    log.push(load, None);
    let log = log.write(&ws, "manual.ndjson");
    // session.start, then a schema line before the first of each type.
    let text = summary(&ws, &log);
    assert_eq!(
        lines(&text, &["run ", "status "]),
        [
            "run        init-1 ith_experiment 1.0.0: ok in 1.5 ms",
            "run        init-2 ith_experiment 1.0.0: unfinished (last seen: data.load at line 9)",
            "status     unfinished: 1 run(s) without a result",
        ],
        "{text}"
    );
    let json = summary_json(&ws, &log);
    assert_eq!(json["runs"][0]["last_event"], "algorithm.result");
    assert_eq!(json["runs"][0]["last_line"], 7);
    assert_eq!(json["runs"][1]["last_line"], 9);
}

#[test]
fn a_caught_panic_says_the_process_went_on() {
    let ws = Workspace::new();
    // A sweep that wraps each call in `catch_unwind`: the second panics, the
    // third runs, the program exits 0.
    let mut log = HandLog::new(&ws);
    log.init(Some("ith_experiment#1"));
    log.result(Some("ith_experiment#1"), "ok", 0);
    log.init(Some("ith_experiment#2"));
    log.result(Some("ith_experiment#2"), "panic", 0);
    log.init(Some("ith_experiment#3"));
    log.result(Some("ith_experiment#3"), "ok", 0);
    let log = log.write(&ws, "caught.ndjson");
    let text = summary(&ws, &log);
    assert_eq!(
        lines(&text, &["run ", "             error", "status "]),
        [
            "run        ith_experiment#1 ith_experiment 1.0.0: ok in 1.5 ms",
            "run        ith_experiment#2 ith_experiment 1.0.0: panic in 1.5 ms",
            "             error  boom at src/main.rs:7:5",
            "run        ith_experiment#3 ith_experiment 1.0.0: ok in 1.5 ms",
            "status     panic in run ith_experiment#2 (caught: the process went on, 2 later \
             line(s))",
        ],
        "{text}"
    );

    let json = summary_json(&ws, &log);
    assert_eq!(json["runs"][1]["status"], "panic");
    assert_eq!(json["runs"][1]["lines_after"], 2);
    assert_eq!(json["runs"][2]["lines_after"], 0);
}

#[test]
fn a_panic_on_the_last_line_is_plain_panic() {
    let ws = Workspace::new();
    let mut log = HandLog::new(&ws);
    log.init(Some("ith_experiment#1"));
    log.result(Some("ith_experiment#1"), "panic", 0);
    let log = log.write(&ws, "panic.ndjson");
    let text = summary(&ws, &log);
    assert_eq!(
        lines(&text, &["run ", "status "]),
        [
            "run        ith_experiment#1 ith_experiment 1.0.0: panic in 1.5 ms",
            "status     panic in run ith_experiment#1",
        ],
        "{text}"
    );
    assert!(!text.contains("caught"), "{text}");
    assert_eq!(summary_json(&ws, &log)["runs"][0]["lines_after"], 0);
}

#[test]
fn lost_lines_make_the_first_line_say_incomplete() {
    let ws = Workspace::new();
    // Seed 8 finds 8 epochs: lines with seq 10..=12 are three of them.
    let log = ws.run_example("full", "8", &[]);
    let thinned = without(&ws, &log, "thinned.ndjson", |e| {
        (10..=12).contains(&e["seq"].as_u64().unwrap())
    });
    let text = summary(&ws, &thinned);
    assert_eq!(
        text.lines().next(),
        Some(
            format!(
                "session    {}  (thinned.ndjson)  — INCOMPLETE: 3 line(s) lost (seq gaps)",
                session_id(&log)
            )
            .as_str()
        ),
        "{text}"
    );
    // The detail stays where it was.
    assert!(
        text.contains("\nseq        3 line(s) lost (missing seq 10..=12)\n"),
        "{text}"
    );
    assert!(text.contains("\nstatus     ok\n"), "{text}");
}

#[test]
fn dropped_events_make_the_first_line_say_incomplete() {
    let ws = Workspace::new();
    let mut log = HandLog::new(&ws);
    log.init(Some("ith_experiment#1"));
    log.result(Some("ith_experiment#1"), "ok", 1);
    log.init(Some("ith_experiment#2"));
    // Each result carries the session's count so far.
    log.result(Some("ith_experiment#2"), "ok", 4);
    let log = log.write(&ws, "dropped.ndjson");
    let session = session_id(&log);
    let text = summary(&ws, &log);
    assert_eq!(
        text.lines().next(),
        Some(
            format!("session    {session}  (dropped.ndjson)  — INCOMPLETE: 4 event(s) dropped")
                .as_str()
        ),
        "{text}"
    );
    assert!(
        text.contains("\n             dropped 4 event(s)\n"),
        "{text}"
    );

    // Both at once, in one suffix.
    let both = without(&ws, &log, "both.ndjson", |e| e["seq"] == 2);
    let text = summary(&ws, &both);
    assert_eq!(
        text.lines().next(),
        Some(
            format!(
                "session    {session}  (both.ndjson)  — INCOMPLETE: 1 line(s) lost (seq gaps), \
                 4 event(s) dropped"
            )
            .as_str()
        ),
        "{text}"
    );
}

#[test]
fn a_clean_log_says_none_of_it() {
    let ws = Workspace::new();
    let log = ws.run_example("clean", "7", &[]);
    let text = summary(&ws, &log);
    assert_eq!(
        text.lines().next(),
        Some(format!("session    {}  (clean.ndjson)", session_id(&log)).as_str()),
        "{text}"
    );
    assert!(text.contains("\nstatus     ok\n"), "{text}");
    for word in ["INCOMPLETE", "unfinished", "panic", "caught", "dropped"] {
        assert!(!text.contains(word), "{word:?} in:\n{text}");
    }
    let json = summary_json(&ws, &log);
    for run in json["runs"].as_array().unwrap() {
        assert!(run["lines_after"].is_u64(), "{run}");
        assert_eq!(run["last_event"], "algorithm.result", "{run}");
    }
}
