//! What the log does when it cannot write, and with events it cannot
//! encode: the right error, once, then counted drops, and never a panic.

mod log_support;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex, PoisonError};

use ith_provenance::{
    Event, EventLog, ProvenanceContext,
    log::{Durability, LogError, LogSummary, MemorySink},
};
use log_support::{
    ChildGuard, Note, READY, assert_schema_line, assert_success, child, child_job, context,
    parse_lines, read_log, run_child, sessions, stderr_of, wait_for_go,
};
use serde::Serialize;

/// What the lenient log prints on stderr when its destination fails.
const REPORT: &str = "provenance: cannot write";
const WRITER: &str = "the log's writer";

/// A writer that accepts `budget` bytes, then fails like a full disk; what
/// it accepted can be read back.
#[derive(Clone)]
struct FailAfter {
    budget: Arc<Mutex<usize>>,
    written: Arc<Mutex<Vec<u8>>>,
}

impl FailAfter {
    fn new(budget: usize) -> Self {
        FailAfter {
            budget: Arc::new(Mutex::new(budget)),
            written: Arc::default(),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        self.written
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The complete lines it received, parsed and checked gapless.
    fn complete_lines(&self) -> usize {
        let bytes = self.bytes();
        let end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let lines = parse_lines(&bytes[..end]);
        sessions(&lines);
        lines.len()
    }
}

impl Write for FailAfter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut budget = self.budget.lock().unwrap_or_else(PoisonError::into_inner);
        if *budget == 0 {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "test writer is full",
            ));
        }
        let n = buf.len().min(*budget);
        *budget -= n;
        self.written
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The length of `session.start` for `ctx`, so a budget can let it through.
fn session_start_len(ctx: &ProvenanceContext) -> usize {
    let sink = MemorySink::new();
    EventLog::builder().memory(&sink).open(ctx).unwrap();
    sink.contents().len()
}

/// Checks a destination-failure error: it names `target`, carries the OS
/// error, and its message says whether the experiment goes on.
fn assert_write_error(err: &LogError, target: &str, dropped: u64, strict: bool) {
    match err {
        LogError::Write {
            target: t,
            dropped: d,
            strict: s,
            ..
        } => assert_eq!((t.as_str(), *d, *s), (target, dropped, strict), "{err}"),
        other => panic!("expected LogError::Write, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.starts_with(&format!("cannot write event log {target}: ")));
    assert!(message.contains(&format!("{dropped} event(s) dropped so far")));
    assert_eq!(message.contains("the experiment continues"), !strict);
}

/// `/dev/full` accepts the open and fails every write: `open` itself
/// reports it as a failure to open, whatever the durability, since it
/// writes `session.start`.
#[cfg(unix)]
#[test]
fn dev_full_fails_at_open() {
    if !Path::new("/dev/full").exists() {
        eprintln!("note: no /dev/full on this system; skipping");
        return;
    }
    for durability in [Durability::Buffered, Durability::PerLine, Durability::Fsync] {
        for strict in [false, true] {
            let err = EventLog::builder()
                .file("/dev/full")
                .durability(durability)
                .strict(strict)
                .open(&context())
                .expect_err("nothing can be written to /dev/full");
            let LogError::Open { path, source } = &err else {
                panic!("expected LogError::Open, got {err:?}");
            };
            assert_eq!(path, Path::new("/dev/full"));
            assert_eq!(source.kind(), io::ErrorKind::StorageFull, "{durability:?}");
            let message = err.to_string();
            assert!(
                message.starts_with("cannot open event log /dev/full: "),
                "{message}"
            );
            assert!(
                message.contains(&source.to_string()) && message.contains("PROVENANCE_LOG"),
                "{message}"
            );
        }
    }
}

/// Lenient (default) mode over a destination that fills up: the first
/// failing `emit` returns the error, every later one succeeds, and every
/// event that did not arrive whole is counted — exactly.
fn lenient_after_failure(durability: Durability, buffer_bytes: usize) {
    let ctx = context();
    let writer = FailAfter::new(session_start_len(&ctx) + 1000);
    let log = EventLog::builder()
        .writer(writer.clone())
        .durability(durability)
        .buffer_bytes(buffer_bytes)
        .flush_interval(None)
        .open(&ctx)
        .unwrap();
    let results: Vec<_> = (0..100).map(|i| log.emit(&Note::new(0, i))).collect();
    let first = results
        .iter()
        .position(Result::is_err)
        .expect("a write failed");
    assert!(results[first + 1..].iter().all(Result::is_ok));
    let dropped_then = match results[first].as_ref().unwrap_err() {
        LogError::Write { dropped, .. } => *dropped,
        other => panic!("expected LogError::Write, got {other:?}"),
    };
    assert_write_error(
        results[first].as_ref().unwrap_err(),
        WRITER,
        dropped_then,
        false,
    );
    assert!(log.flush().is_ok(), "the failure was reported already");

    let arrived = writer.complete_lines() as u64;
    assert!(arrived > 2, "the budget let some events through");
    // Lines are counted: `session.start`, the notes' `event.schema`, 100 notes.
    let summary = log.summary();
    assert_eq!(summary.events, 102);
    assert_eq!(
        summary.dropped_events,
        summary.events - arrived,
        "dropped_events must count exactly the events that did not arrive"
    );
    assert_eq!(log.dropped_events(), summary.dropped_events);

    // A run finished now reports the loss in its result (which is itself
    // lost, with its `event.schema` line, and counted).
    let init = log.algorithm_init("a", "1", &(), None, None).unwrap();
    let run = log.start_algorithm(init).unwrap();
    let before = log.dropped_events();
    assert_eq!(
        before,
        summary.dropped_events + 2,
        "algorithm.init and its schema"
    );
    let result = run.finish_ok(Default::default(), None).unwrap();
    assert_eq!(result.dropped_events, before);
    assert_eq!(log.dropped_events(), before + 2);
    assert_eq!(
        log.close().unwrap(),
        LogSummary {
            events: 106,
            dropped_events: before + 2
        }
    );
    assert_eq!(writer.complete_lines() as u64, arrived);
}

#[test]
fn writer_failing_midway_per_line() {
    lenient_after_failure(Durability::PerLine, 64 * 1024);
}

/// Buffered writes several lines at once; those that arrived whole before
/// the failure are not counted as dropped.
#[test]
fn writer_failing_midway_buffered() {
    lenient_after_failure(Durability::Buffered, 2000);
}

/// Buffered with nothing written yet: the failure surfaces at `flush`.
#[test]
fn writer_failing_at_flush() {
    let ctx = context();
    let writer = FailAfter::new(session_start_len(&ctx));
    let log = EventLog::builder()
        .writer(writer.clone())
        .flush_interval(None)
        .open(&ctx)
        .unwrap();
    for i in 0..10 {
        log.emit(&Note::new(0, i)).unwrap();
    }
    // The notes' `event.schema` line and 10 notes.
    assert_write_error(&log.flush().unwrap_err(), WRITER, 11, false);
    log.emit(&Note::new(0, 10)).unwrap();
    log.flush().unwrap();
    assert_eq!(log.dropped_events(), 12);
    assert_eq!(writer.complete_lines(), 1);
}

/// Strict mode: every `emit` after the failure returns the error too, with
/// the running count.
#[test]
fn strict_mode_fails_every_later_emit() {
    let ctx = context();
    let writer = FailAfter::new(session_start_len(&ctx) + 1000);
    let log = EventLog::builder()
        .writer(writer.clone())
        .durability(Durability::PerLine)
        .strict(true)
        .open(&ctx)
        .unwrap();
    let results: Vec<_> = (0..50).map(|i| log.emit(&Note::new(0, i))).collect();
    let first = results
        .iter()
        .position(Result::is_err)
        .expect("a write failed");
    assert!(results[..first].iter().all(Result::is_ok));
    for (n, result) in results[first..].iter().enumerate() {
        assert_write_error(result.as_ref().unwrap_err(), WRITER, n as u64 + 1, true);
    }
    assert!(
        first > 0,
        "the first note and its schema line fit the budget"
    );
    assert_eq!(log.dropped_events(), (50 - first) as u64);
    // `session.start`, the notes' `event.schema` line, the notes before.
    assert_eq!(writer.complete_lines(), first + 2);
    let init = log.algorithm_init("a", "1", &(), None, None).unwrap();
    assert!(matches!(
        log.start_algorithm(init),
        Err(LogError::Write { strict: true, .. })
    ));
}

/// The lenient log tells stderr about the failure exactly once, however
/// many events it then drops (checked in a child, whose stderr is ours to
/// read).
#[test]
fn failure_is_reported_once_on_stderr() {
    let output = run_child(captured(child("report-once")));
    assert_success(&output);
    let stderr = stderr_of(&output);
    assert_eq!(stderr.matches(REPORT).count(), 1, "stderr:\n{stderr}");
    assert!(stderr.contains(WRITER) && stderr.contains("test writer is full"));
}

/// A path whose folder cannot exist (it is under a regular file).
#[test]
fn unwritable_path_is_an_open_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"not a folder").unwrap();
    for path in [
        file.join("sub").join("log.ndjson"),
        dir.path().to_path_buf(),
    ] {
        let err = EventLog::builder()
            .file(&path)
            .open(&context())
            .expect_err("the path cannot be a log file");
        match &err {
            LogError::Open { path: p, .. } => assert_eq!(p, &path),
            other => panic!("expected LogError::Open, got {other:?}"),
        }
        let message = err.to_string();
        assert!(message.starts_with(&format!("cannot open event log {}: ", path.display())));
        assert!(message.contains("choose another path with PROVENANCE_LOG=<path>"));
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"not a folder");
}

/// `PROVENANCE_LOG=stdout` with the reader gone: the first `emit` returns
/// the broken pipe, the rest are dropped and counted, stderr hears about it
/// once, and the child exits normally.
#[cfg(unix)]
#[test]
fn closed_stdout_is_reported_once_and_never_panics() {
    let mut cmd = child("closed-stdout");
    cmd.env(ith_provenance::log::LOG_ENV, "stdout")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = ChildGuard::spawn(cmd);
    child.wait_ready();
    drop(child.process().stdout.take());
    child.go();
    let output = child.finish();
    assert_success(&output);
    let stderr = stderr_of(&output);
    assert_eq!(stderr.matches(REPORT).count(), 1, "stderr:\n{stderr}");
    assert!(stderr.contains("cannot write event log stdout"));
}

/// `PROVENANCE_LOG=off`: nothing is written anywhere, events are counted.
#[test]
fn env_off_writes_nothing() {
    let cwd = tempfile::tempdir().unwrap();
    let mut cmd = captured(child("env-open"));
    cmd.current_dir(cwd.path())
        .env(ith_provenance::log::LOG_ENV, "off");
    let output = run_child(cmd);
    assert_success(&output);
    assert_eq!(child_said(&output, "PATH="), "none");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("session.start"));
    assert_eq!(std::fs::read_dir(cwd.path()).unwrap().count(), 0);
}

/// `PROVENANCE_LOG=<path>`: the log goes there (its folder must exist).
#[test]
fn env_path_writes_there() {
    let cwd = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("nested").join("run.ndjson");
    // An explicit path's folder must exist (only the default one is made).
    std::fs::create_dir(out.path().join("nested")).unwrap();
    let mut cmd = captured(child("env-open"));
    cmd.current_dir(cwd.path())
        .env(ith_provenance::log::LOG_ENV, &path);
    let output = run_child(cmd);
    assert_success(&output);
    assert_eq!(PathBuf::from(child_said(&output, "PATH=")), path);
    let lines = read_log(&path);
    assert_eq!(lines.len(), 3);
    assert_schema_line(&lines[1], Note::EVENT_TYPE);
    assert_eq!(lines[0].session_id, child_said(&output, "SESSION="));
    assert_eq!(std::fs::read_dir(cwd.path()).unwrap().count(), 0);
}

/// A `PROVENANCE_LOG` that is not UTF-8 is still the user's path: the log
/// goes there, not to the default path as if the variable were unset.
#[cfg(unix)]
#[test]
fn env_path_that_is_not_utf8_writes_there() {
    use std::os::unix::ffi::OsStrExt;
    let cwd = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let path = out
        .path()
        .join(std::ffi::OsStr::from_bytes(b"run-\xff.ndjson"));
    let mut cmd = captured(child("env-open"));
    cmd.current_dir(cwd.path())
        .env(ith_provenance::log::LOG_ENV, &path);
    let output = run_child(cmd);
    assert_success(&output);
    let lines = read_log(&path);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0].session_id, child_said(&output, "SESSION="));
    assert_eq!(std::fs::read_dir(cwd.path()).unwrap().count(), 0);
}

/// Unset: `logs/provenance/<session_id>.ndjson` under the working directory
/// (`env_value(None)` wins over the real variable, set here to a decoy).
#[test]
fn default_path_is_under_the_working_directory() {
    let cwd = tempfile::tempdir().unwrap();
    let mut cmd = captured(child("env-default"));
    cmd.current_dir(cwd.path())
        .env(ith_provenance::log::LOG_ENV, "off");
    let output = run_child(cmd);
    assert_success(&output);
    let session = child_said(&output, "SESSION=");
    let relative = Path::new("logs")
        .join("provenance")
        .join(format!("{session}.ndjson"));
    assert_eq!(PathBuf::from(child_said(&output, "PATH=")), relative);
    let lines = read_log(&cwd.path().join(&relative));
    assert_eq!(lines.len(), 3);
    assert_schema_line(&lines[1], Note::EVENT_TYPE);
    assert_eq!(lines[0].session_id, session);
    // The folder the log created keeps its logs out of git.
    let gitignore = std::fs::read_to_string(cwd.path().join("logs/provenance/.gitignore"))
        .expect("the created default folder has a .gitignore");
    assert_eq!(
        gitignore
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>(),
        ["*"]
    );
}

/// A `.gitignore` already in the default folder is never overwritten.
#[test]
fn default_folder_keeps_an_existing_gitignore() {
    let cwd = tempfile::tempdir().unwrap();
    let folder = cwd.path().join("logs").join("provenance");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(".gitignore"), "!keep-me.ndjson\n").unwrap();
    let mut cmd = captured(child("env-default"));
    cmd.current_dir(cwd.path())
        .env(ith_provenance::log::LOG_ENV, "off");
    let output = run_child(cmd);
    assert_success(&output);
    let session = child_said(&output, "SESSION=");
    assert!(folder.join(format!("{session}.ndjson")).is_file());
    assert_eq!(
        std::fs::read_to_string(folder.join(".gitignore")).unwrap(),
        "!keep-me.ndjson\n"
    );
}

/// An event whose `Serialize` fails.
struct Unserializable;

impl Serialize for Unserializable {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("refused to serialize"))
    }
}

/// An event that is not a struct with named fields.
#[derive(Serialize)]
struct Bare(u64);

/// An event with fields named like the envelope's.
#[derive(Serialize)]
struct Clash {
    seq: u64,
}

#[derive(Serialize)]
struct ClashRenamed {
    #[serde(rename = "ts")]
    when: String,
}

/// An event whose `Serialize` panics halfway through a line.
struct Exploding;

impl Serialize for Exploding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Exploding", 2)?;
        st.serialize_field("before", "written")?;
        panic!("Serialize exploded");
    }
}

macro_rules! test_event {
    ($($ty:ty => $name:literal),* $(,)?) => {$(
        impl Event for $ty {
            const EVENT_TYPE: &'static str = $name;
            const VERSION: u32 = 1;
            fn payload_schema() -> serde_json::Value {
                serde_json::json!({"type": "object"})
            }
        }
    )*};
}

test_event! {
    Unserializable => "test.unserializable",
    Bare => "test.bare",
    Clash => "test.clash",
    ClashRenamed => "test.clash_renamed",
    Exploding => "test.exploding",
}

/// Bad events are refused with the error naming the problem; nothing is
/// written, no `seq` is used, and the log goes on.
#[test]
fn bad_events_are_refused_without_a_trace() {
    let sink = MemorySink::new();
    let log = EventLog::builder()
        .memory(&sink)
        .durability(Durability::PerLine)
        .open(&context())
        .unwrap();
    let written = sink.contents();

    for _ in 0..2 {
        let err = log.emit(&Unserializable).unwrap_err();
        assert!(
            matches!(&err, LogError::Serialize { event_type: "test.unserializable", message } if message.contains("refused to serialize")),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "cannot serialize a test.unserializable event: refused to serialize"
        );

        let err = log.emit(&Bare(7)).unwrap_err();
        assert!(
            matches!(
                err,
                LogError::NotAnObject {
                    event_type: "test.bare"
                }
            ),
            "{err:?}"
        );

        let err = log.emit(&Clash { seq: 99 }).unwrap_err();
        assert!(
            matches!(
                err,
                LogError::EnvelopeField {
                    event_type: "test.clash",
                    field: "seq"
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("rename it"));

        let err = log.emit(&ClashRenamed { when: "x".into() }).unwrap_err();
        assert!(
            matches!(err, LogError::EnvelopeField { field: "ts", .. }),
            "{err:?}"
        );

        let caught =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| log.emit(&Exploding)));
        assert!(caught.is_err(), "the event's own panic propagates");
    }
    assert_eq!(sink.contents(), written, "a refused event wrote something");
    assert_eq!(log.summary().events, 1, "a refused event used a seq");

    log.emit(&Note::new(0, 0)).unwrap();
    log.flush().unwrap();
    let lines = parse_lines(sink.contents().as_bytes());
    sessions(&lines);
    // A refused event's `event.schema` line went with it: the note's comes
    // first.
    assert_eq!(lines.len(), 3);
    assert_schema_line(&lines[1], Note::EVENT_TYPE);
    assert_eq!(lines[2].seq, 2);
}

fn captured(mut cmd: std::process::Command) -> std::process::Command {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd
}

/// The value of the child's stdout line starting with `key`.
fn child_said(output: &std::process::Output, key: &str) -> String {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .unwrap_or_else(|| panic!("the child printed no {key}: {}", stderr_of(output)))
        .to_string()
}

/// The child side of the tests above; does nothing in a normal run.
#[test]
#[ignore = "a child process of the tests in this file"]
fn child_entry() {
    let Some(job) = child_job() else { return };
    let ctx = context();
    match job.as_str() {
        "report-once" => {
            // Room for the run's `algorithm.init` and its schema line, not
            // for the 100 notes.
            let writer = FailAfter::new(session_start_len(&ctx) + 3000);
            let log = EventLog::builder()
                .writer(writer)
                .durability(Durability::PerLine)
                .open(&ctx)
                .unwrap();
            let run = log
                .start_algorithm(log.algorithm_init("a", "1", &(), None, None).unwrap())
                .unwrap();
            let errors = (0..100)
                .filter(|&i| log.emit(&Note::new(0, i)).is_err())
                .count();
            assert_eq!(errors, 1);
            run.finish_ok(Default::default(), None).unwrap();
            log.close().unwrap();
        }
        "closed-stdout" => {
            let log = EventLog::builder()
                .durability(Durability::PerLine)
                .open(&ctx)
                .unwrap();
            println!("{READY}");
            wait_for_go();
            // stdout is closed now: nothing may print to it below.
            let run = log
                .start_algorithm(log.algorithm_init("a", "1", &(), None, None).unwrap())
                .expect_err("the pipe is closed");
            // `algorithm.init` and its `event.schema` line.
            assert_write_error(&run, "stdout", 2, false);
            let LogError::Write { source, .. } = &run else {
                unreachable!()
            };
            assert_eq!(source.kind(), io::ErrorKind::BrokenPipe);
            for i in 0..100 {
                log.emit(&Note::new(0, i)).unwrap();
            }
            let summary = log.close().unwrap();
            // And the notes, with theirs.
            assert_eq!(summary.dropped_events, 103);
            // Skip the test harness's own report, which would go to the
            // closed stdout.
            std::process::exit(0);
        }
        "env-open" => {
            let log = EventLog::open(&ctx).unwrap();
            report_and_close(log);
        }
        "env-default" => {
            let log = EventLog::builder().env_value(None).open(&ctx).unwrap();
            report_and_close(log);
        }
        other => panic!("unknown child job {other}"),
    }
}

fn report_and_close(log: EventLog) {
    log.emit(&Note::new(0, 0)).unwrap();
    match log.path() {
        Some(path) => println!("PATH={}", path.display()),
        None => println!("PATH=none"),
    }
    println!("SESSION={}", log.session_id());
    assert_eq!(
        log.close().unwrap(),
        LogSummary {
            events: 3,
            dropped_events: 0
        }
    );
}
