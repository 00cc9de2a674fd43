//! What a log keeps when its process dies: killed, panicking, aborting.
//! Each case runs in a child process (this binary re-run with
//! `LOG_TEST_CHILD=<job>`), and the parent reads what reached the file.

mod log_support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use ith_provenance::{Event, EventLog, log::Durability};
use log_support::{
    ChildGuard, FILE_ENV, Line, Note, READY, assert_schema_line, child, child_job, context,
    parse_lines, read_log, run_child, sessions, stderr_of,
};

/// Events a child writes before it says it is ready to be killed.
const BEFORE_READY: u64 = 500;
/// Buffered children's buffer, small enough to fill many times.
const SMALL_BUFFER: usize = 8 * 1024;
/// A buffer no test fills.
const LARGE_BUFFER: usize = 1 << 20;
/// A child left running by a failed test stops by itself after this long.
const CHILD_LIMIT: Duration = Duration::from_secs(30);
const PANIC_MESSAGE: &str = "the model diverged at step 7";

fn file_child(job: &str, path: &std::path::Path) -> std::process::Command {
    let mut cmd = child(job);
    cmd.env(FILE_ENV, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Starts `job`, waits until it is ready, kills it (SIGKILL) and returns
/// the lines it left, and the unterminated fragment after them, if any.
#[cfg(unix)]
fn kill_when_ready(job: &str) -> (Vec<Line>, Vec<u8>) {
    use std::os::unix::process::ExitStatusExt;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("killed.ndjson");
    let mut child = ChildGuard::spawn(file_child(job, &path));
    child.wait_ready();
    child.process().kill().unwrap();
    let output = child.finish();
    assert_eq!(output.status.signal(), Some(9), "{}", stderr_of(&output));
    let bytes = std::fs::read(&path).unwrap();
    let (whole, torn) = split_torn_tail(&bytes);
    (parse_lines(whole), torn.to_vec())
}

/// PerLine: every event `emit` returned from is in the file, whole, and
/// gapless, although the child was killed while still writing.
///
/// The one thing a kill can cost is the line being written at that
/// instant: Linux checks for SIGKILL between the pages of a `write`, so a
/// line that straddles a page boundary of the file can be cut short (about
/// one kill in a few hundred here). `emit` had not returned for it, so
/// `PerLine`'s promise holds; the fragment has no `\n`, and the next log
/// opened on the file ends it first (see
/// `a_torn_tail_is_ended_before_the_next_session`).
#[cfg(unix)]
#[test]
fn kill_9_per_line_keeps_every_event() {
    let (lines, torn) = kill_when_ready("kill-per-line");
    let sessions = sessions(&lines);
    assert_eq!(sessions.len(), 1);
    // `session.start`, the notes' `event.schema` line, then at least the
    // notes emitted before the child said it was ready.
    assert!(
        lines.len() as u64 >= BEFORE_READY + 2,
        "only {} lines survived",
        lines.len()
    );
    assert_schema_line(&lines[1], Note::EVENT_TYPE);
    if !torn.is_empty() {
        eprintln!("note: the kill tore the line being written: {torn:?}");
        assert!(torn.starts_with(b"{\"ts\":\""), "{torn:?}");
        assert!(torn.len() < note_line_len(&context(), u64::MAX));
    }
}

/// Buffered: a kill loses the buffer's contents, nothing more. What is
/// left is a gapless prefix of the session, starting with `session.start`,
/// and what is missing fits in the buffer.
#[cfg(unix)]
#[test]
fn kill_9_buffered_loses_at_most_the_buffer() {
    let (lines, torn) = kill_when_ready("kill-buffered");
    assert!(torn.is_empty(), "the child was not writing when killed");
    sessions(&lines);
    assert_at_most_buffer_lost(&lines, BEFORE_READY, SMALL_BUFFER);
}

/// `lines` is what is left of a session of `session.start`, the notes'
/// `event.schema` line and `emitted` notes; checks that the lost tail was
/// smaller than the buffer. Lost notes are at least as long as the shortest
/// kept one (same text, larger numbers).
fn assert_at_most_buffer_lost(lines: &[Line], emitted: u64, buffer: usize) {
    let kept = match lines {
        [] => panic!("open writes session.start before returning"),
        [_start] => 0,
        [_start, schema, notes @ ..] => {
            assert_schema_line(schema, Note::EVENT_TYPE);
            assert!(
                !notes.is_empty(),
                "the schema line is written with the first note"
            );
            notes.len() as u64
        }
    };
    let lost = emitted - kept;
    eprintln!("buffered: {kept} of {emitted} events kept, {lost} lost with the buffer");
    let shortest_note = note_line_len(&context(), 0);
    assert!(
        lost as usize * shortest_note < buffer,
        "{lost} events lost, more than a {buffer}-byte buffer holds"
    );
}

/// The length of a note's line, measured by writing it to memory.
fn note_line_len(ctx: &ith_provenance::ProvenanceContext, i: u64) -> usize {
    let sink = ith_provenance::log::MemorySink::new();
    let log = EventLog::builder().memory(&sink).open(ctx).unwrap();
    log.emit(&Note::new(0, i)).unwrap();
    log.close().unwrap();
    sink.lines()[2].len() + 1
}

/// A panic inside an algorithm run leaves a complete log whose last line
/// is `algorithm.result` with `status: "panic"` and the panic's message.
#[test]
fn panic_in_a_run_ends_the_log_with_its_result() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panicked.ndjson");
    let output = run_child(file_child("panic-in-run", &path));
    assert!(!output.status.success());
    assert!(stderr_of(&output).contains(PANIC_MESSAGE));

    let lines = read_log(&path);
    sessions(&lines);
    let types: Vec<&str> = lines.iter().map(|l| l.event_type.as_str()).collect();
    assert_eq!(
        types[..4],
        [
            "session.start",
            "event.schema",
            "algorithm.init",
            "event.schema"
        ]
    );
    assert_schema_line(&lines[1], "algorithm.init");
    assert_schema_line(&lines[3], Note::EVENT_TYPE);
    assert_eq!(types[4..14], [Note::EVENT_TYPE; 10]);
    assert_eq!(types[14], "event.schema");
    assert_schema_line(&lines[14], "algorithm.result");
    assert_eq!(types.len(), 16);
    let last = lines.last().unwrap();
    assert_eq!(last.event_type, "algorithm.result");
    assert_eq!(last.status.as_deref(), Some("panic"));
    assert_eq!(last.dropped_events, Some(0));
    let error = last.error.as_deref().unwrap();
    assert!(error.contains(PANIC_MESSAGE), "error: {error}");
}

/// A panic with the log leaked (no destructor will ever flush it) still
/// writes every buffered event: the panic hook did it. That is the path
/// that also serves `panic = "abort"` builds, where nothing unwinds.
#[test]
fn panic_hook_flushes_a_leaked_buffered_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leaked.ndjson");
    let output = run_child(file_child("panic-leaked", &path));
    assert!(!output.status.success());
    let lines = read_log(&path);
    sessions(&lines);
    // `session.start`, the notes' `event.schema` line, 100 notes.
    assert_eq!(lines.len(), 102, "{}", stderr_of(&output));
}

/// The same after an event's `Serialize` panicked inside `emit` earlier
/// (and was caught): that panic poisoned the log's lock and left half a
/// line in its buffer, and neither may cost the later events.
#[test]
fn panic_hook_flushes_after_an_earlier_caught_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("poisoned.ndjson");
    let output = run_child(file_child("panic-leaked-after-caught-panic", &path));
    assert!(!output.status.success());
    let lines = read_log(&path);
    sessions(&lines);
    // `session.start`, the notes' `event.schema` line, 100 notes.
    assert_eq!(lines.len(), 102, "{}", stderr_of(&output));
}

/// `abort()` runs no hook and no destructor. PerLine keeps every event.
#[test]
fn abort_per_line_keeps_every_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aborted.ndjson");
    let output = run_child(file_child("abort-per-line", &path));
    assert!(!output.status.success());
    let lines = read_log(&path);
    sessions(&lines);
    assert_eq!(lines.len(), 102);
}

/// Buffered with a large buffer and no time limit: `Durability` promises
/// only that no more than the buffer is lost — so a gapless prefix,
/// `session.start` (written by `open`) included.
#[test]
fn abort_buffered_loses_at_most_the_buffer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aborted.ndjson");
    let output = run_child(file_child("abort-buffered", &path));
    assert!(!output.status.success());
    let lines = read_log(&path);
    sessions(&lines);
    assert_at_most_buffer_lost(&lines, 100, LARGE_BUFFER);
}

/// A fragment left by a killed writer is ended with `\n` when the next log
/// opens the file, so the new session's lines stay whole: only the fragment
/// is lost.
#[test]
fn a_torn_tail_is_ended_before_the_next_session() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("torn.ndjson");
    let fragment = b"{\"ts\":\"2026-11-25T11:27:50.718124Z\",\"event_type\":\"test.no";
    std::fs::write(&path, fragment).unwrap();
    for _ in 0..2 {
        let log = EventLog::builder().file(&path).open(&context()).unwrap();
        log.emit(&Note::new(0, 0)).unwrap();
        log.close().unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    let (first, rest) = bytes.split_at(fragment.len() + 1);
    assert_eq!(first, [&fragment[..], b"\n"].concat());
    let lines = parse_lines(rest);
    // Each session: `session.start`, the notes' `event.schema` line, the note.
    assert_eq!(lines.len(), 6, "a whole file is not touched on open");
    assert_eq!(sessions(&lines).len(), 2);
}

/// Splits a log into its whole lines and the fragment after the last `\n`.
fn split_torn_tail(bytes: &[u8]) -> (&[u8], &[u8]) {
    let end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    bytes.split_at(end)
}

/// An event whose `Serialize` panics halfway through.
struct Exploding;

impl serde::Serialize for Exploding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Exploding", 2)?;
        st.serialize_field("before", "written")?;
        panic!("Serialize exploded");
    }
}

impl Event for Exploding {
    const EVENT_TYPE: &'static str = "test.exploding";
    const VERSION: u32 = 1;
    fn payload_schema() -> serde_json::Value {
        serde_json::json!({"type": "object"})
    }
}

/// The child side of every test above; does nothing in a normal run.
#[test]
#[ignore = "a child process of the tests in this file"]
fn child_entry() {
    let Some(job) = child_job() else { return };
    let path = std::env::var_os(FILE_ENV).unwrap();
    let ctx = context();
    let builder = EventLog::builder().file(path);
    match job.as_str() {
        "kill-per-line" => {
            let log = builder.durability(Durability::PerLine).open(&ctx).unwrap();
            emit_until_killed(&log);
        }
        "kill-buffered" => {
            let log = builder
                .buffer_bytes(SMALL_BUFFER)
                .flush_interval(None)
                .open(&ctx)
                .unwrap();
            for i in 0..BEFORE_READY {
                log.emit(&Note::new(0, i)).unwrap();
            }
            // Stop writing, so the kill finds pending lines in memory
            // rather than tearing a write in the kernel.
            println!("{READY}");
            std::thread::sleep(CHILD_LIMIT);
        }
        "panic-in-run" => {
            let log = builder.open(&ctx).unwrap();
            let init = log
                .algorithm_init("crashy", "1.0", &[("hurdle", 0.05)], None, Some(1))
                .unwrap();
            let _run = log.start_algorithm(init).unwrap();
            for i in 0..10 {
                log.emit(&Note::new(0, i)).unwrap();
            }
            panic!("{PANIC_MESSAGE}");
        }
        "panic-leaked" | "panic-leaked-after-caught-panic" => {
            let log = builder
                .buffer_bytes(LARGE_BUFFER)
                .flush_interval(None)
                .open(&ctx)
                .unwrap();
            if job == "panic-leaked-after-caught-panic" {
                let caught =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| log.emit(&Exploding)));
                assert!(caught.is_err());
            }
            for i in 0..100 {
                log.emit(&Note::new(0, i)).unwrap();
            }
            std::mem::forget(log);
            panic!("unguarded panic with the log leaked");
        }
        "abort-per-line" | "abort-buffered" => {
            let builder = if job == "abort-per-line" {
                builder.durability(Durability::PerLine)
            } else {
                builder.buffer_bytes(LARGE_BUFFER).flush_interval(None)
            };
            let log = builder.open(&ctx).unwrap();
            for i in 0..100 {
                log.emit(&Note::new(0, i)).unwrap();
            }
            std::process::abort();
        }
        other => panic!("unknown child job {other}"),
    }
}

/// Writes notes until killed (or, if the parent died, for `CHILD_LIMIT`),
/// saying when `BEFORE_READY` of them are out.
fn emit_until_killed(log: &EventLog) {
    let started = Instant::now();
    let mut i = 0;
    while started.elapsed() < CHILD_LIMIT {
        log.emit(&Note::new(0, i)).unwrap();
        i += 1;
        if i == BEFORE_READY {
            println!("{READY}");
        }
    }
}
