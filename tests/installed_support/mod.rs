//! For tests that install a log in-process (`provenance_files.rs`,
//! `record_output.rs`): the installed log is process-global, so the tests
//! take turns, each with a fresh in-memory log.
#![allow(dead_code)] // each test binary uses part of it

use std::sync::{Mutex, MutexGuard, PoisonError};

use ith_provenance::{EventLog, ProvenanceContext, crate_info, log::MemorySink};
use serde_json::Value;

static TURN: Mutex<()> = Mutex::new(());

/// One test at a time holds the installed log.
pub fn turn() -> MutexGuard<'static, ()> {
    TURN.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `scenario` with a fresh in-memory log installed; returns its lines
/// without the `event.schema` ones.
pub fn logged(scenario: impl FnOnce()) -> Vec<Value> {
    let ctx = ProvenanceContext::builder(crate_info!())
        .seed(1)
        .build()
        .unwrap();
    let sink = MemorySink::new();
    let log = EventLog::builder().memory(&sink).open(&ctx).unwrap();
    {
        let _installed = log.install();
        scenario();
    }
    log.close().unwrap();
    sink.lines()
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|l| l["event_type"] != "event.schema")
        .collect()
}

/// The lines of one event type.
pub fn of_type<'a>(lines: &'a [Value], event_type: &str) -> Vec<&'a Value> {
    lines
        .iter()
        .filter(|l| l["event_type"] == event_type)
        .collect()
}

/// The working directory, as the log records it.
pub fn cwd() -> String {
    std::env::current_dir().unwrap().display().to_string()
}
