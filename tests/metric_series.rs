//! Metric series (`metric`, `metric_at`, `Run::metric`): batches of at most
//! 1,024 points as `metrics` lines, every value exact, each point in its
//! own run's series whichever thread records or writes it, every point of
//! a run before its `algorithm.result` (a panic included), the summary in
//! that result, and under `kill -9` only each series' current batch lost.
//!
//! The session is process-global, so the in-process tests take turns
//! (`SESSION`); the kill test runs its series in a child process.

mod log_support;

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError, mpsc};

use ith_provenance::log::{BATCH_POINTS, Durability, MemorySink, dropped_metric_points};
use ith_provenance::{EventLog, current_run, metric, metric_at, provenance};
use log_support::{CHILD_ENV, ChildGuard, FILE_ENV, READY, child, child_job, context};
use rayon::prelude::*;
use serde_json::Value;

static SESSION: Mutex<()> = Mutex::new(());

/// Runs `body` with a fresh in-memory log installed, and returns every line
/// the session wrote once the log was flushed.
fn session(body: impl FnOnce(&EventLog)) -> Vec<Value> {
    let _turn = SESSION.lock().unwrap_or_else(PoisonError::into_inner);
    let sink = MemorySink::new();
    let log = EventLog::builder().memory(&sink).open(&context()).unwrap();
    {
        let _installed = log.install();
        body(&log);
    }
    log.close().unwrap();
    sink.lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn metrics_lines<'a>(lines: &'a [Value], name: &str, run_id: Option<&str>) -> Vec<&'a Value> {
    lines
        .iter()
        .filter(|l| l["event_type"] == "metrics" && l["name"] == name)
        .filter(|l| l["run_id"].as_str() == run_id)
        .collect()
}

/// A `metrics` line's points, the non-finite values restored from its
/// `non_finite` list.
fn points(line: &Value) -> (Vec<i64>, Vec<f64>) {
    let steps: Vec<i64> = line["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_i64().unwrap())
        .collect();
    let restored: BTreeMap<String, f64> = line["non_finite"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|e| {
                    let value = match e["value"].as_str().unwrap() {
                        "NaN" => f64::NAN,
                        "Infinity" => f64::INFINITY,
                        "-Infinity" => f64::NEG_INFINITY,
                        other => panic!("{other}"),
                    };
                    (e["pointer"].as_str().unwrap().to_string(), value)
                })
                .collect()
        })
        .unwrap_or_default();
    let values: Vec<f64> = line["values"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, v)| match v.as_f64() {
            Some(v) => v,
            None => restored[&format!("/values/{i}")],
        })
        .collect();
    assert_eq!(steps.len(), values.len(), "{line}");
    assert!(!steps.is_empty(), "{line}");
    (steps, values)
}

/// A whole series, its lines in order.
fn series(lines: &[Value], name: &str, run_id: Option<&str>) -> (Vec<i64>, Vec<f64>) {
    let mut all = (Vec::new(), Vec::new());
    for line in metrics_lines(lines, name, run_id) {
        let (steps, values) = points(line);
        all.0.extend(steps);
        all.1.extend(values);
    }
    all
}

fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
}

fn result_of<'a>(lines: &'a [Value], run_id: &str) -> &'a Value {
    lines
        .iter()
        .find(|l| l["event_type"] == "algorithm.result" && l["run_id"] == run_id)
        .unwrap_or_else(|| panic!("no algorithm.result for {run_id}"))
}

fn seq(line: &Value) -> u64 {
    line["seq"].as_u64().unwrap()
}

/// The summary `algorithm.result` should carry for the points `steps`,
/// `values` (in recorded order): `last` is the value at the greatest step,
/// the last recorded of equal ones.
fn expected_summary(steps: &[i64], values: &[f64]) -> (f64, f64, f64, u64) {
    let finite_or_inf = values.iter().copied().filter(|v| !v.is_nan());
    let min = finite_or_inf.clone().fold(f64::NAN, f64::min);
    let max = finite_or_inf.fold(f64::NAN, f64::max);
    let greatest = steps.iter().max().unwrap();
    let at = steps.iter().rposition(|s| s == greatest).unwrap();
    (values[at], min, max, values.len() as u64)
}

fn check_summary(result: &Value, name: &str, steps: &[i64], values: &[f64]) {
    let summary = &result["metrics"][name];
    let (last, min, max, count) = expected_summary(steps, values);
    let field = |key: &str, expected: f64| {
        let written = &summary[key];
        if expected.is_finite() {
            assert_eq!(written.as_f64(), Some(expected), "{name}.{key}: {result}");
        } else {
            assert!(written.is_null(), "{name}.{key}: {result}");
            let pointer = format!("/metrics/{name}/{key}");
            let listed = result["non_finite"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| e["pointer"] == pointer.as_str());
            assert!(listed, "{pointer} in non_finite: {result}");
        }
    };
    field("last", last);
    field("min", min);
    field("max", max);
    assert_eq!(summary["count"], count, "{result}");
}

// ---------------------------------------------------------------------------

fn loop_value(i: usize) -> f64 {
    match i {
        7 => f64::NAN,
        1500 => f64::INFINITY,
        2048 => f64::NEG_INFINITY,
        _ => 1.0 + i as f64 * 1e-3 + 0.1 / (i as f64 + 3.0),
    }
}

const LOOP_POINTS: usize = 2 * BATCH_POINTS + 452;

#[provenance(seed = 1)]
fn training_loop() {
    for i in 0..LOOP_POINTS {
        metric("equity", loop_value(i));
    }
}

#[test]
fn a_loop_is_written_in_batches_of_1024_with_every_value_exact() {
    let lines = session(|_| training_loop());
    let run = Some("training_loop#1");
    let batches = metrics_lines(&lines, "equity", run);
    let sizes: Vec<usize> = batches.iter().map(|l| points(l).0.len()).collect();
    assert_eq!(sizes, [BATCH_POINTS, BATCH_POINTS, 452]);
    let (steps, values) = series(&lines, "equity", run);
    assert_eq!(steps, (0..LOOP_POINTS as i64).collect::<Vec<_>>());
    let expected: Vec<f64> = (0..LOOP_POINTS).map(loop_value).collect();
    assert!(same_bits(&values, &expected));
    assert_eq!(
        batches[0]["non_finite"],
        serde_json::json!([{"pointer": "/values/7", "value": "NaN"}])
    );
    // Every point is in the log before the run's result, which sums it up.
    let result = result_of(&lines, "training_loop#1");
    assert!(batches.iter().all(|b| seq(b) < seq(result)));
    assert_eq!(result["status"], "ok");
    check_summary(result, "equity", &steps, &expected);
}

#[provenance(seed = 1)]
fn own_steps() {
    metric_at("warmup", -3, 0.5);
    metric_at("warmup", -2, 0.25);
    metric("warmup", 0.125); // -1: one past the last step given
    metric("warmup", f64::NAN); // 0
    metric_at("warmup", 10, -0.0);
    metric("warmup", 1e300); // 11
    metric_at("warmup", i64::MIN, 2.0);
    metric("warmup", 3.0); // i64::MIN + 1
    metric_at("warmup", i64::MAX, 4.0);
    metric("warmup", 5.0); // stays at i64::MAX rather than wrap
    metric_at("late", 10, 1.0);
    metric_at("late", 3, 2.0);
    metric_at("late", 10, 3.0);
    metric_at("late", 4, 4.0);
}

#[test]
fn metric_at_takes_the_callers_steps_and_metric_continues_after_them() {
    let lines = session(|_| own_steps());
    let (steps, values) = series(&lines, "warmup", Some("own_steps#1"));
    assert_eq!(
        steps,
        [
            -3,
            -2,
            -1,
            0,
            10,
            11,
            i64::MIN,
            i64::MIN + 1,
            i64::MAX,
            i64::MAX
        ]
    );
    let expected = [0.5, 0.25, 0.125, f64::NAN, -0.0, 1e300, 2.0, 3.0, 4.0, 5.0];
    assert!(same_bits(&values, &expected), "{values:?}");
    check_summary(
        result_of(&lines, "own_steps#1"),
        "warmup",
        &steps,
        &expected,
    );
    // Steps given out of order: `last` is the value at the greatest step.
    let (steps, values) = series(&lines, "late", Some("own_steps#1"));
    assert_eq!(steps, [10, 3, 10, 4]);
    assert_eq!(values, [1.0, 2.0, 3.0, 4.0]);
    check_summary(result_of(&lines, "own_steps#1"), "late", &steps, &values);
    assert_eq!(
        result_of(&lines, "own_steps#1")["metrics"]["late"]["last"],
        3.0
    );
}

#[provenance(seed = 1)]
fn session_and_run() {
    metric("shared_name", 10.0);
}

#[test]
fn outside_a_run_a_series_is_the_sessions_own() {
    let before = dropped_metric_points();
    let lines = session(|log| {
        metric("shared_name", 1.0);
        session_and_run();
        metric("shared_name", 2.0);
        log.metric_at("by_hand", 5, 0.5);
        metric("", 1.0); // dropped and counted, never written
    });
    let (steps, values) = series(&lines, "shared_name", None);
    assert_eq!((steps, values), (vec![0, 1], vec![1.0, 2.0]));
    let (steps, values) = series(&lines, "shared_name", Some("session_and_run#1"));
    assert_eq!((steps, values), (vec![0], vec![10.0]));
    assert_eq!(series(&lines, "by_hand", None), (vec![5], vec![0.5]));
    assert!(dropped_metric_points() > before);
    assert!(lines.iter().all(|l| l["name"] != ""));
    // The session's own series is no run's: the run's result lists only its own.
    let result = result_of(&lines, "session_and_run#1");
    assert_eq!(
        result["metrics"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["shared_name"]
    );
    assert_eq!(result["metrics"]["shared_name"]["count"], 1);
}

#[provenance(seed = 1)]
fn no_series() {}

#[test]
fn a_run_without_series_has_no_metrics_field() {
    let lines = session(|_| no_series());
    assert!(result_of(&lines, "no_series#1").get("metrics").is_none());
}

// ---------------------------------------------------------------------------
// Threads and rayon

const WORKER_POINTS: usize = BATCH_POINTS + 300;

#[provenance]
fn worker(#[config] index: usize) {
    for i in 0..WORKER_POINTS {
        metric("progress", (index * 100_000 + i) as f64);
    }
}

#[provenance(seed = 3)]
fn sweep() {
    let run = current_run().unwrap();
    (0..8usize)
        .into_par_iter()
        .for_each(|index| run.in_scope(|| worker(index)));
    // Points of the sweep's own series, from threads it did not carry
    // itself into: `Run::metric` names the run.
    std::thread::scope(|s| {
        for _ in 0..2 {
            let run = run.clone();
            s.spawn(move || {
                for _ in 0..5 {
                    run.metric("from_threads", 1.0);
                }
            });
        }
    });
}

#[test]
fn rayon_workers_each_write_their_own_runs_series() {
    let lines = session(|_| sweep());
    let inits: Vec<&Value> = lines
        .iter()
        .filter(|l| l["event_type"] == "algorithm.init" && l["algorithm_name"] == "worker")
        .collect();
    assert_eq!(inits.len(), 8);
    let mut seen = Vec::new();
    for init in inits {
        let run_id = init["run_id"].as_str().unwrap();
        let index = init["config"].as_u64().unwrap() as usize;
        seen.push(index);
        let (steps, values) = series(&lines, "progress", Some(run_id));
        assert_eq!(
            steps,
            (0..WORKER_POINTS as i64).collect::<Vec<_>>(),
            "{run_id}"
        );
        let expected: Vec<f64> = (0..WORKER_POINTS)
            .map(|i| (index * 100_000 + i) as f64)
            .collect();
        assert_eq!(values, expected, "{run_id}: points of another run");
        assert_eq!(metrics_lines(&lines, "progress", Some(run_id)).len(), 2);
        let result = result_of(&lines, run_id);
        check_summary(result, "progress", &steps, &expected);
        assert!(
            metrics_lines(&lines, "progress", Some(run_id))
                .iter()
                .all(|l| seq(l) < seq(result) && l["parent_run_id"] == "sweep#1")
        );
    }
    seen.sort_unstable();
    assert_eq!(seen, (0..8).collect::<Vec<_>>());
    // No worker's points went to the sweep, and the threads' did.
    assert!(metrics_lines(&lines, "progress", Some("sweep#1")).is_empty());
    assert!(metrics_lines(&lines, "progress", None).is_empty());
    let (steps, _) = series(&lines, "from_threads", Some("sweep#1"));
    assert_eq!(steps, (0..10).collect::<Vec<_>>());
}

const SHARED_POINTS: usize = 3 * BATCH_POINTS + 17;

/// Four threads record into one series of one run, each many batches.
#[provenance(seed = 4)]
fn shared_series() {
    let run = current_run().unwrap();
    std::thread::scope(|s| {
        for thread in 0..4usize {
            let run = run.clone();
            s.spawn(move || {
                for i in 0..SHARED_POINTS {
                    run.metric("shared", (thread * 1_000_000 + i) as f64);
                }
            });
        }
    });
}

/// Threads recording into one run's series: every point once, each
/// thread's points in the order it recorded them, the run's steps 0, 1, 2,
/// … handed out once each, and no line larger than a batch.
#[test]
fn threads_sharing_a_runs_series_lose_no_point_and_keep_their_order() {
    let lines = session(|_| shared_series());
    let run = "shared_series#1";
    let batches = metrics_lines(&lines, "shared", Some(run));
    assert!(batches.iter().all(|l| points(l).0.len() <= BATCH_POINTS));
    let (mut steps, values) = series(&lines, "shared", Some(run));
    assert_eq!(values.len(), 4 * SHARED_POINTS);
    for thread in 0..4 {
        let own: Vec<f64> = values
            .iter()
            .copied()
            .filter(|v| (*v as usize) / 1_000_000 == thread)
            .collect();
        let expected: Vec<f64> = (0..SHARED_POINTS)
            .map(|i| (thread * 1_000_000 + i) as f64)
            .collect();
        assert_eq!(own, expected, "thread {thread}");
    }
    steps.sort_unstable();
    assert_eq!(steps, (0..(4 * SHARED_POINTS) as i64).collect::<Vec<_>>());
    let result = result_of(&lines, run);
    assert_eq!(result["metrics"]["shared"]["count"], 4 * SHARED_POINTS);
    assert_eq!(result["metrics"]["shared"]["min"], 0.0);
    assert_eq!(
        result["metrics"]["shared"]["max"],
        (3 * 1_000_000 + SHARED_POINTS - 1) as f64
    );
}

/// Records a point when its thread's thread-locals are destroyed, after
/// the thread's cache of series lanes is gone.
struct PointAtExit(Option<ith_provenance::Run>);

impl Drop for PointAtExit {
    fn drop(&mut self) {
        if let Some(run) = self.0.take() {
            run.metric("at_exit", 2.0);
        }
    }
}

thread_local! {
    static AT_EXIT: std::cell::RefCell<PointAtExit> =
        const { std::cell::RefCell::new(PointAtExit(None)) };
}

#[provenance(seed = 5)]
fn records_at_thread_exit() {
    let run = current_run().unwrap();
    // `join` (unlike a scope's end) waits for the thread's thread-local
    // destructors.
    std::thread::spawn(move || {
        // Set before the thread's first point, so it is destroyed after
        // the thread's cache of series lanes (thread-locals go in the
        // reverse order of their first use): its point takes the way
        // without the cache.
        AT_EXIT.with(|slot| slot.borrow_mut().0 = Some(run.clone()));
        run.metric("at_exit", 1.0);
    })
    .join()
    .unwrap();
}

/// A point recorded while a thread exits is written like any other.
#[test]
fn a_point_recorded_as_a_thread_exits_is_kept() {
    let lines = session(|_| records_at_thread_exit());
    let (steps, values) = series(&lines, "at_exit", Some("records_at_thread_exit#1"));
    assert_eq!(steps, [0, 1]);
    assert_eq!(values, [1.0, 2.0]);
}

#[provenance(seed = 1)]
fn waits_for_a_flush(ready: mpsc::Sender<()>, resume: mpsc::Receiver<()>) {
    for i in 0..3 {
        metric("held", f64::from(i));
    }
    ready.send(()).unwrap();
    resume.recv().unwrap();
    metric("held", 3.0);
}

/// A flush from a thread where no run is current writes a run's pending
/// batch with that run's envelope.
#[test]
fn a_flush_from_another_thread_writes_a_runs_batch_under_its_run_id() {
    let lines = session(|log| {
        let (ready_tx, ready_rx) = mpsc::channel();
        let (resume_tx, resume_rx) = mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(move || waits_for_a_flush(ready_tx, resume_rx));
            ready_rx.recv().unwrap();
            log.flush().unwrap();
            resume_tx.send(()).unwrap();
        });
    });
    let batches = metrics_lines(&lines, "held", Some("waits_for_a_flush#1"));
    let split: Vec<Vec<i64>> = batches.iter().map(|l| points(l).0).collect();
    assert_eq!(split, [vec![0, 1, 2], vec![3]]);
    assert!(metrics_lines(&lines, "held", None).is_empty());
}

// ---------------------------------------------------------------------------
// Panics and kills

const PANIC_POINTS: usize = BATCH_POINTS + 476;

#[provenance(seed = 1)]
fn diverges() {
    for i in 0..PANIC_POINTS {
        metric("loss", 1.0 / (i as f64 + 1.0));
    }
    panic!("the loss diverged");
}

#[test]
fn a_panic_mid_series_leaves_every_point_before_the_panicked_result() {
    let lines = session(|_| {
        let panicked = std::panic::catch_unwind(diverges);
        assert!(panicked.is_err());
    });
    let run = "diverges#1";
    let (steps, values) = series(&lines, "loss", Some(run));
    assert_eq!(steps, (0..PANIC_POINTS as i64).collect::<Vec<_>>());
    let expected: Vec<f64> = (0..PANIC_POINTS).map(|i| 1.0 / (i as f64 + 1.0)).collect();
    assert_eq!(values, expected);
    let result = result_of(&lines, run);
    assert_eq!(result["status"], "panic");
    assert!(
        result["error"]
            .as_str()
            .unwrap()
            .contains("the loss diverged")
    );
    assert!(
        metrics_lines(&lines, "loss", Some(run))
            .iter()
            .all(|l| seq(l) < seq(result))
    );
    check_summary(result, "loss", &steps, &expected);
}

/// Points a killed child records before it says it is ready: four full
/// batches and part of a fifth.
const BEFORE_KILL: usize = 4 * BATCH_POINTS + 100;

#[provenance(seed = 1)]
fn until_killed() {
    let started = std::time::Instant::now();
    let mut i = 0usize;
    // A child left running by a failed test stops by itself.
    while started.elapsed() < std::time::Duration::from_secs(30) {
        metric("killed", i as f64);
        i += 1;
        if i == BEFORE_KILL {
            println!("{READY}");
        }
    }
}

/// `kill -9` with `PerLine`: every written `metrics` line is whole, the
/// series runs gapless from step 0 in full batches, and only the current
/// batch (fewer than 1,024 points) is lost.
#[cfg(unix)]
#[test]
fn kill_9_per_line_loses_only_the_current_batch() {
    use std::os::unix::process::ExitStatusExt;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("killed.ndjson");
    let mut cmd = child("metrics-until-killed");
    cmd.env(FILE_ENV, &path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = ChildGuard::spawn(cmd);
    child.wait_ready();
    child.process().kill().unwrap();
    let output = child.finish();
    assert_eq!(output.status.signal(), Some(9));

    let bytes = std::fs::read(&path).unwrap();
    let whole_end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let torn = &bytes[whole_end..];
    // Only the line being written at the instant of the kill can be torn.
    assert!(torn.is_empty() || torn.starts_with(b"{\"ts\":\""));
    let lines: Vec<Value> = bytes[..whole_end]
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("every written line is whole JSON"))
        .collect();
    let seqs: Vec<u64> = lines.iter().map(seq).collect();
    assert_eq!(seqs, (0..lines.len() as u64).collect::<Vec<_>>(), "no gap");
    let batches = metrics_lines(&lines, "killed", Some("until_killed#1"));
    assert!(
        batches.len() >= BEFORE_KILL / BATCH_POINTS,
        "{} batches",
        batches.len()
    );
    assert!(batches.iter().all(|b| points(b).0.len() == BATCH_POINTS));
    let (steps, values) = series(&lines, "killed", Some("until_killed#1"));
    assert_eq!(steps, (0..steps.len() as i64).collect::<Vec<_>>());
    assert!(values.iter().zip(&steps).all(|(v, s)| *v == *s as f64));
    assert!(
        lines.iter().all(|l| l["event_type"] != "algorithm.result"),
        "the run never ended"
    );
}

#[provenance(seed = 1)]
fn opens_the_process_log() {
    metric("in_run", 1.0);
}

/// A program without a log of its own: its first annotated call opens the
/// process's log, then it records session points outside any run and ends
/// (returning, or with `std::process::exit`) without flushing.
fn session_points_then_end(exit: bool) {
    opens_the_process_log();
    for i in 0..5 {
        metric("after_runs", f64::from(i));
    }
    if exit {
        std::process::exit(0);
    }
}

/// The first annotated call made on a spawned thread, which ends: what the
/// program then writes outside any run (points and a recorded output) is
/// not lost when it returns, though that thread's exit flushed already.
fn opened_in_a_thread_that_ends() {
    std::thread::spawn(opens_the_process_log).join().unwrap();
    for i in 0..5 {
        metric("after_runs", f64::from(i));
    }
    ith_provenance::record_output(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
}

/// The process's own log writes the session's series when the program
/// ends, by returning or by `std::process::exit`, also when the thread
/// that opened it ended first.
#[test]
fn the_process_log_writes_session_points_when_the_program_ends() {
    for job in [
        "metrics-session-then-return",
        "metrics-session-then-exit",
        "metrics-opened-in-a-thread",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("process.ndjson");
        let mut cmd = child(job);
        cmd.env(ith_provenance::log::LOG_ENV, &path);
        let output = log_support::run_child(cmd);
        assert!(output.status.success(), "{job}: {output:?}");
        let lines: Vec<Value> = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let (steps, values) = series(&lines, "after_runs", None);
        assert_eq!(steps, [0, 1, 2, 3, 4], "{job}");
        assert_eq!(values, [0.0, 1.0, 2.0, 3.0, 4.0], "{job}");
        let (steps, _) = series(&lines, "in_run", Some("opens_the_process_log#1"));
        assert_eq!(steps, [0], "{job}");
        if job == "metrics-opened-in-a-thread" {
            assert!(
                lines.iter().any(|l| l["event_type"] == "data.save"
                    && l["target_path"].as_str().unwrap().ends_with("Cargo.toml")),
                "the recorded output is in the log"
            );
        }
    }
}

/// The child side of the tests above that run one; does nothing in a
/// normal run.
#[test]
#[ignore = "a child process of the tests in this file"]
fn child_entry() {
    let Some(job) = child_job() else { return };
    match job.as_str() {
        "metrics-session-then-return" => return session_points_then_end(false),
        "metrics-session-then-exit" => return session_points_then_end(true),
        "metrics-opened-in-a-thread" => return opened_in_a_thread_that_ends(),
        _ => assert_eq!(job, "metrics-until-killed", "{CHILD_ENV}"),
    }
    let path = std::env::var_os(FILE_ENV).unwrap();
    let log = EventLog::builder()
        .file(path)
        .durability(Durability::PerLine)
        .open(&context())
        .unwrap();
    let _installed = log.install();
    until_killed();
}
