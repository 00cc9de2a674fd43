//! Several processes appending to one log file at once: each line reaches
//! the file whole, and each session's `seq` stays gapless.

mod log_support;

use std::collections::BTreeSet;
use std::process::Stdio;

use ith_provenance::{
    EventLog,
    log::{Durability, LogSummary},
};
use log_support::schema::assert_log_describes_itself;
use log_support::{
    ChildGuard, FILE_ENV, Note, READY, assert_schema_line, assert_success, child, child_job,
    context, read_log, sessions, wait_for_go,
};

const PROCESSES: u32 = 4;
const EVENTS: u64 = 10_000;
const WORKER_ENV: &str = "LOG_TEST_WORKER";

#[test]
fn four_processes_append_to_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ndjson");
    let mut children: Vec<ChildGuard> = (0..PROCESSES)
        .map(|worker| {
            let mut cmd = child("append");
            cmd.env(FILE_ENV, &path)
                .env(WORKER_ENV, worker.to_string())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            ChildGuard::spawn(cmd)
        })
        .collect();
    // Every child has opened the file before any writes its events, so
    // their writes overlap.
    for c in &mut children {
        c.wait_ready();
    }
    for c in &mut children {
        c.go();
    }
    for c in children {
        assert_success(&c.finish());
    }

    // Per session: `session.start`, the notes' `event.schema` line, the notes.
    let lines = read_log(&path);
    assert_eq!(lines.len() as u64, u64::from(PROCESSES) * (EVENTS + 2));
    let sessions = sessions(&lines);
    assert_eq!(sessions.len(), PROCESSES as usize);
    let mut workers = BTreeSet::new();
    for session in sessions.values() {
        assert_eq!(session.len() as u64, EVENTS + 2);
        assert_schema_line(session[1], "test.note");
        let worker = session[2].worker.unwrap();
        assert!(workers.insert(worker), "two sessions from worker {worker}");
        for (i, line) in session[2..].iter().enumerate() {
            assert_eq!((line.worker, line.i), (Some(worker), Some(i as u64)));
        }
    }
    assert_eq!(workers, (0..PROCESSES).collect());
    // Interleaved sessions each carry, and follow, their own schema line.
    let raw = std::fs::read_to_string(&path).unwrap();
    let raw: Vec<String> = raw.lines().map(String::from).collect();
    assert_eq!(
        assert_log_describes_itself(&raw) as u64,
        u64::from(PROCESSES) * EVENTS
    );
}

/// Runs only as a child of the test above (`LOG_TEST_CHILD=append`): half
/// the workers buffer, half write per line, so appends of very different
/// sizes meet in the file.
#[test]
#[ignore = "a child process of four_processes_append_to_one_file"]
fn child_entry() {
    let Some(job) = child_job() else { return };
    assert_eq!(job, "append");
    let path = std::env::var_os(FILE_ENV).unwrap();
    let worker: u32 = std::env::var(WORKER_ENV).unwrap().parse().unwrap();
    let durability = if worker < PROCESSES / 2 {
        Durability::Buffered
    } else {
        Durability::PerLine
    };
    let log = EventLog::builder()
        .file(path)
        .durability(durability)
        .open(&context())
        .unwrap();
    println!("{READY}");
    wait_for_go();
    let mut note = Note::new(worker, 0);
    for i in 0..EVENTS {
        note.i = i;
        log.emit(&note).unwrap();
    }
    assert_eq!(
        log.close().unwrap(),
        LogSummary {
            events: EVENTS + 2,
            dropped_events: 0
        }
    );
}
