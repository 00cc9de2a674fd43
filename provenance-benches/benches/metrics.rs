//! What one metric point costs, written to a file from a run's inner loop,
//! next to what a user would otherwise write for it:
//!
//! - `provenance_metric`: `ith_provenance::metric("loss", v)` inside a
//!   `#[provenance]` run (points batched per series, one `metrics` line per
//!   batch);
//! - `provenance_emit_point`: our own `emit` of a one-field event per point
//!   (`#[derive(Event)] struct LossPoint { value }`), the way a series had
//!   to be logged before `metric`;
//! - `naive_serde_json_line`: one `serde_json` line per point (`ts`, the
//!   session and run, name, step and value) into a `BufWriter<File>`;
//! - `tracing_json_event`: a `tracing::info!(name, step, value)` per point
//!   through `tracing-subscriber`'s JSON formatter into a
//!   `Mutex<BufWriter<File>>`.
//!
//! Each measured iteration writes [`POINTS`] points of one series to a
//! fresh file and stops the clock once every point is in the file. Then the
//! file is read back: the run ends with a table of ns/point (median over
//! every iteration, warm-up included), points found / points given, and
//! the file's bytes per point; it panics if `metric` lost a point.
//!
//! Run: `cargo bench -p provenance-benches --bench metrics`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{SecondsFormat, Utc};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use ith_provenance::{Event, EventLog, ProvenanceContext, log::Durability, provenance};
use serde::Serialize;

/// Points written per measured iteration.
const POINTS: u64 = 100_000;

const METRIC: &str = "provenance_metric";
const EMIT: &str = "provenance_emit_point";
const NAIVE: &str = "naive_serde_json_line";
const TRACING: &str = "tracing_json_event";
const CONTENDERS: [&str; 4] = [METRIC, EMIT, NAIVE, TRACING];

/// The value of point `step`: a loss-like curve, never the same twice.
fn value(step: u64) -> f64 {
    1.0 / (1.0 + step as f64 * 1e-3)
}

/// The series, from the inner loop of a run.
#[provenance(seed = 1)]
fn with_metric(points: u64) {
    for step in 0..points {
        ith_provenance::metric("loss", std::hint::black_box(value(step)));
    }
}

/// A one-field event per point, the way a series was logged before.
#[derive(Event, Serialize)]
#[event(name = "loss.point", version = 1)]
struct LossPoint {
    value: f64,
}

#[provenance(seed = 1)]
fn with_emit(points: u64) {
    for step in 0..points {
        ith_provenance::emit(&LossPoint {
            value: std::hint::black_box(value(step)),
        })
        .expect("emit");
    }
}

fn ours(ctx: &ProvenanceContext, path: &Path, body: fn(u64)) -> Duration {
    let log = EventLog::builder()
        .file(path)
        .durability(Durability::Buffered)
        .open(ctx)
        .expect("the log opens");
    let installed = log.install();
    let start = Instant::now();
    body(POINTS);
    drop(installed);
    let summary = log.close().expect("close");
    let elapsed = start.elapsed();
    assert_eq!(summary.dropped_events, 0, "EventLog dropped events");
    elapsed
}

/// The naive line.
#[derive(Serialize)]
struct NaiveLine<'a> {
    ts: String,
    session_id: &'a str,
    run_id: &'a str,
    name: &'a str,
    step: u64,
    value: f64,
}

fn naive(ctx: &ProvenanceContext, path: &Path) -> Duration {
    let mut out = BufWriter::new(File::create(path).expect("the file opens"));
    let start = Instant::now();
    for step in 0..POINTS {
        let line = NaiveLine {
            ts: Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true),
            session_id: &ctx.session_id,
            run_id: "with_naive#1",
            name: "loss",
            step,
            value: std::hint::black_box(value(step)),
        };
        serde_json::to_writer(&mut out, &line).expect("serialize");
        out.write_all(b"\n").expect("write");
    }
    out.flush().expect("flush");
    start.elapsed()
}

fn tracing_json(ctx: &ProvenanceContext, path: &Path) -> Duration {
    let file = File::create(path).expect("the file opens");
    let dispatch = tracing::Dispatch::new(
        tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .with_level(false)
            .with_target(false)
            .with_writer(Mutex::new(BufWriter::new(file)))
            .finish(),
    );
    let start = Instant::now();
    tracing::dispatcher::with_default(&dispatch, || {
        for step in 0..POINTS {
            tracing::info!(
                session_id = ctx.session_id.as_str(),
                run_id = "with_tracing#1",
                name = "loss",
                step,
                value = std::hint::black_box(value(step)),
            );
        }
    });
    // The last clone of the dispatcher drops here: the BufWriter flushes.
    drop(dispatch);
    start.elapsed()
}

fn bench_metrics(c: &mut Criterion) {
    let ctx = ProvenanceContext::builder(ith_provenance::crate_info!())
        .seed(1)
        .build()
        .expect("a context");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut g = c.benchmark_group("metrics");
    g.throughput(Throughput::Elements(POINTS));
    for contender in CONTENDERS {
        g.bench_function(BenchmarkId::new(contender, POINTS), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let path = fresh_path(dir.path());
                    let elapsed = match contender {
                        METRIC => ours(&ctx, &path, with_metric),
                        EMIT => ours(&ctx, &path, with_emit),
                        NAIVE => naive(&ctx, &path),
                        _ => tracing_json(&ctx, &path),
                    };
                    total += elapsed;
                    record(contender, elapsed, &path);
                    std::fs::remove_file(&path).expect("the file can be removed");
                }
                total
            })
        });
    }
    g.finish();
}

fn fresh_path(dir: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    dir.join(format!("{}.ndjson", NEXT.fetch_add(1, Ordering::Relaxed)))
}

/// The points a file holds: each `metrics` line's values, or one a line for
/// the per-point contenders.
fn points_in(contender: &str, text: &str) -> u64 {
    match contender {
        METRIC => text
            .lines()
            .filter(|l| l.contains(r#""event_type":"metrics""#))
            .map(|l| {
                let line: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
                line["values"].as_array().map_or(0, |v| v.len() as u64)
            })
            .sum(),
        EMIT => text.matches(r#""event_type":"loss.point""#).count() as u64,
        _ => text
            .lines()
            .filter(|l| l.contains(r#""name":"loss""#))
            .count() as u64,
    }
}

/// What every iteration of one contender did, for the final table.
#[derive(Default)]
struct Tally {
    given: u64,
    found: u64,
    bytes: u64,
    ns_per_point: Vec<f64>,
}

static TALLIES: Mutex<BTreeMap<usize, Tally>> = Mutex::new(BTreeMap::new());

fn record(contender: &str, elapsed: Duration, path: &Path) {
    let text = std::fs::read_to_string(path).expect("the file reads back");
    let found = points_in(contender, &text);
    if contender == METRIC {
        assert_eq!(found, POINTS, "metric lost points");
    }
    let index = CONTENDERS
        .iter()
        .position(|c| *c == contender)
        .expect("known");
    let mut tallies = TALLIES.lock().unwrap_or_else(PoisonError::into_inner);
    let tally = tallies.entry(index).or_default();
    tally.given += POINTS;
    tally.found += found;
    tally.bytes += text.len() as u64;
    tally
        .ns_per_point
        .push(elapsed.as_nanos() as f64 / POINTS as f64);
}

fn print_report() {
    let mut tallies = TALLIES.lock().unwrap_or_else(PoisonError::into_inner);
    if tallies.is_empty() {
        return;
    }
    println!("\nmetrics: median ns/point over every iteration (warm-up included), 1 thread");
    println!(
        "{:<26} {:>10} {:>22} {:>15}",
        "contender", "ns/point", "points found / given", "bytes/point"
    );
    for (index, tally) in tallies.iter_mut() {
        tally.ns_per_point.sort_by(f64::total_cmp);
        let median = tally.ns_per_point[tally.ns_per_point.len() / 2];
        println!(
            "{:<26} {:>10.1} {:>22} {:>15.1}",
            CONTENDERS[*index],
            median,
            format!("{} / {}", tally.found, tally.given),
            tally.bytes as f64 / tally.given.max(1) as f64,
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = bench_metrics
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    print_report();
}
