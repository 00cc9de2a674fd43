//! What writing one `data.load` event (about 350 bytes a line) to a file
//! costs with [`EventLog`] in its default Buffered mode, from one thread and
//! from two, next to what a user would otherwise write:
//!
//! - `tracing` + `tracing-subscriber`'s JSON formatter (flattened, no level
//!   or target, so the line holds the same fields) writing to a file through
//!   `tracing-appender`'s `non_blocking` over `rolling::never` — the set-up
//!   tracing-appender's documentation shows for logging to a file, and so
//!   the one a user would pick — and, for comparison, through a
//!   `Mutex<BufWriter<File>>` (tracing-subscriber's own `MakeWriter` for a
//!   `Mutex`);
//! - the naive loop: a serde struct with `ts` (chrono's RFC 3339), the
//!   envelope and the payload's fields, `serde_json::to_writer` into a
//!   `BufWriter<File>` (behind a `Mutex` for two threads).
//!
//! Each measured iteration writes [`EVENTS`] events to a fresh file and
//! stops the clock once every line is in the file (close, flush, or the
//! appender's guard dropped), so background writers cannot hide their
//! work. Opening the destination is not timed. After each iteration the
//! file's `data.load` lines are counted: the run ends with a table of
//! ns/event (median over every iteration, warm-up included), lines written
//! / events emitted and the average line length of every contender, and it
//! panics if `EventLog` lost a line.
//!
//! Run: `cargo bench -p provenance-benches --bench event_log`. Criterion prints time per
//! iteration and throughput in elements (events) per second.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{SecondsFormat, Utc};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use ith_provenance::{
    EventLog, ProvenanceContext, Sha256Hash, events::DataLoad, fingerprint::Scalar, log::Durability,
};
use serde::Serialize;

/// Events written per measured iteration (split evenly between threads).
const EVENTS: u64 = 10_000;

/// The event every contender writes: a one-column array's `data.load`,
/// as `DataLoad::from_array` builds it.
fn data_load() -> DataLoad {
    DataLoad {
        source_path: "data/btc_close.npy".into(),
        sha256_hash: Sha256Hash::of(b"btc close 2024"),
        row_count: 525_600,
        column_count: 1,
        columns: vec!["close".into()],
        value_range: Some([Scalar::Float(0.5), Scalar::Float(73_750.07)]),
        input_name: Some("close".into()),
        dtype: Some("float64".into()),
        shape: Some(vec![525_600]),
        n_nans: Some(0),
        size_bytes: None,
        working_dir: None,
    }
}

/// The contenders, in the order they are printed.
const OURS: &str = "provenance_event_log_buffered";
const NAIVE: &str = "naive_serde_json_bufwriter";
const TRACING_NON_BLOCKING: &str = "tracing_json_non_blocking";
const TRACING_MUTEX: &str = "tracing_json_mutex_bufwriter";
const CONTENDERS: [&str; 4] = [OURS, NAIVE, TRACING_NON_BLOCKING, TRACING_MUTEX];

fn bench_event_log(c: &mut Criterion) {
    let ctx = ProvenanceContext::builder(ith_provenance::crate_info!())
        .seed(1)
        .build()
        .expect("a context");
    let event = data_load();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut g = c.benchmark_group("event_log");
    g.throughput(Throughput::Elements(EVENTS));
    for threads in [1, 2] {
        for contender in CONTENDERS {
            let id = BenchmarkId::new(contender, format!("{threads}_thread"));
            g.bench_function(id, |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let path = fresh_path(dir.path());
                        let run = match contender {
                            OURS => event_log(&ctx, &event, &path, threads),
                            NAIVE => naive(&ctx, &event, &path, threads),
                            TRACING_NON_BLOCKING => {
                                tracing_non_blocking(&ctx, &event, &path, threads)
                            }
                            _ => tracing_mutex(&ctx, &event, &path, threads),
                        };
                        total += run.elapsed;
                        record(contender, threads, &run, &path);
                        std::fs::remove_file(&path).expect("the file can be removed");
                    }
                    total
                })
            });
        }
    }
    g.finish();
}

/// One measured iteration.
struct Run {
    elapsed: Duration,
    emitted: u64,
    /// Lines the writer itself says it dropped (non_blocking only).
    reported_lost: u64,
}

fn fresh_path(dir: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    dir.join(format!("{}.ndjson", NEXT.fetch_add(1, Ordering::Relaxed)))
}

/// Runs `each(events_for_this_thread)` on `threads` threads (the calling
/// one when there is one) and returns when all are done.
fn on_threads(threads: u64, each: impl Fn(u64) + Sync) {
    if threads == 1 {
        each(EVENTS);
    } else {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| each(EVENTS / threads));
            }
        });
    }
}

fn event_log(ctx: &ProvenanceContext, event: &DataLoad, path: &Path, threads: u64) -> Run {
    let log = EventLog::builder()
        .file(path)
        .durability(Durability::Buffered)
        .open(ctx)
        .expect("the log opens");
    let start = Instant::now();
    on_threads(threads, |n| {
        let log = log.clone();
        for _ in 0..n {
            log.emit(event).expect("emit");
        }
    });
    let summary = log.close().expect("close");
    let elapsed = start.elapsed();
    assert_eq!(summary.dropped_events, 0, "EventLog dropped events");
    Run {
        elapsed,
        // `session.start` is not a `data.load` line.
        emitted: summary.events - 1,
        reported_lost: 0,
    }
}

/// The naive line: the envelope and the payload's fields in one struct.
#[derive(Serialize)]
struct NaiveLine<'a> {
    ts: String,
    event_type: &'static str,
    session_id: &'a str,
    seq: u64,
    source_path: &'a str,
    sha256_hash: Sha256Hash,
    row_count: u64,
    column_count: u64,
    columns: &'a [String],
    value_range: Option<[Scalar; 2]>,
    input_name: Option<&'a str>,
    dtype: Option<&'a str>,
    shape: Option<&'a [usize]>,
    n_nans: Option<u64>,
}

fn naive(ctx: &ProvenanceContext, event: &DataLoad, path: &Path, threads: u64) -> Run {
    let file = File::create(path).expect("the file opens");
    let shared = Mutex::new((0_u64, BufWriter::new(file)));
    let start = Instant::now();
    on_threads(threads, |n| {
        for _ in 0..n {
            let ts = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
            let mut guard = shared.lock().unwrap_or_else(PoisonError::into_inner);
            let (seq, out) = &mut *guard;
            let line = NaiveLine {
                ts,
                event_type: "data.load",
                session_id: &ctx.session_id,
                seq: *seq,
                source_path: &event.source_path,
                sha256_hash: event.sha256_hash,
                row_count: event.row_count,
                column_count: event.column_count,
                columns: &event.columns,
                value_range: event.value_range,
                input_name: event.input_name.as_deref(),
                dtype: event.dtype.as_deref(),
                shape: event.shape.as_deref(),
                n_nans: event.n_nans,
            };
            *seq += 1;
            serde_json::to_writer(&mut *out, &line).expect("serialize");
            out.write_all(b"\n").expect("write");
        }
    });
    let (emitted, mut out) = shared.into_inner().unwrap_or_else(PoisonError::into_inner);
    out.flush().expect("flush");
    drop(out);
    Run {
        elapsed: start.elapsed(),
        emitted,
        reported_lost: 0,
    }
}

/// The same fields through `tracing`'s macros: strings as strings, lists by
/// `Debug` (tracing records nothing richer), the hash by `Display`; `None`
/// fields are left out, as tracing does.
fn emit_tracing(ctx: &ProvenanceContext, event: &DataLoad, seq: &AtomicU64) {
    let range = event.value_range.map(|r| r.map(scalar_f64));
    tracing::info!(
        event_type = "data.load",
        session_id = ctx.session_id.as_str(),
        seq = seq.fetch_add(1, Ordering::Relaxed),
        source_path = event.source_path.as_str(),
        sha256_hash = %event.sha256_hash,
        row_count = event.row_count,
        column_count = event.column_count,
        columns = ?event.columns,
        value_range = range.map(tracing::field::debug),
        input_name = event.input_name.as_deref(),
        dtype = event.dtype.as_deref(),
        shape = event.shape.as_deref().map(tracing::field::debug),
        n_nans = event.n_nans,
    );
}

fn scalar_f64(s: Scalar) -> f64 {
    match s {
        Scalar::Float(f) => f,
        Scalar::Int(i) => i as f64,
        Scalar::UInt(u) => u as f64,
        Scalar::Bool(b) => f64::from(u8::from(b)),
    }
}

/// tracing-subscriber's JSON lines with the event's fields at the top level
/// and nothing else but the timestamp.
fn json_subscriber<W>(writer: W) -> tracing::Dispatch
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    tracing::Dispatch::new(
        tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .with_level(false)
            .with_target(false)
            .with_writer(writer)
            .finish(),
    )
}

fn run_tracing(
    dispatch: tracing::Dispatch,
    ctx: &ProvenanceContext,
    event: &DataLoad,
    threads: u64,
) -> u64 {
    let seq = AtomicU64::new(0);
    on_threads(threads, |n| {
        tracing::dispatcher::with_default(&dispatch, || {
            for _ in 0..n {
                emit_tracing(ctx, event, &seq);
            }
        });
    });
    seq.into_inner()
}

fn tracing_non_blocking(
    ctx: &ProvenanceContext,
    event: &DataLoad,
    path: &Path,
    threads: u64,
) -> Run {
    let appender = tracing_appender::rolling::never(
        path.parent().expect("a folder"),
        path.file_name().expect("a file name"),
    );
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let lost = writer.error_counter();
    let dispatch = json_subscriber(writer);
    let start = Instant::now();
    let emitted = run_tracing(dispatch, ctx, event, threads);
    // The guard's drop waits (up to 1 s) for the worker to write the rest.
    drop(guard);
    Run {
        elapsed: start.elapsed(),
        emitted,
        reported_lost: lost.dropped_lines() as u64,
    }
}

fn tracing_mutex(ctx: &ProvenanceContext, event: &DataLoad, path: &Path, threads: u64) -> Run {
    let file = File::create(path).expect("the file opens");
    let dispatch = json_subscriber(Mutex::new(BufWriter::new(file)));
    let start = Instant::now();
    // The last clone of the dispatcher drops here: the BufWriter flushes.
    let emitted = run_tracing(dispatch, ctx, event, threads);
    Run {
        elapsed: start.elapsed(),
        emitted,
        reported_lost: 0,
    }
}

/// What every iteration of one contender did, for the final table.
#[derive(Default)]
struct Tally {
    emitted: u64,
    written: u64,
    reported_lost: u64,
    line_bytes: u64,
    ns_per_event: Vec<f64>,
    example: Option<String>,
}

static TALLIES: Mutex<BTreeMap<(u64, usize), Tally>> = Mutex::new(BTreeMap::new());

/// Counts the `data.load` lines in `path` and files the iteration's numbers.
fn record(contender: &str, threads: u64, run: &Run, path: &Path) {
    let text = std::fs::read_to_string(path).expect("the file reads back");
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("\"data.load\""))
        .collect();
    let written = lines.len() as u64;
    if contender == OURS {
        assert!(
            written == run.emitted && text.ends_with('\n'),
            "EventLog lost lines: {written} written / {} emitted ({threads} thread(s))",
            run.emitted
        );
    }
    let index = CONTENDERS
        .iter()
        .position(|c| *c == contender)
        .expect("known");
    let mut tallies = TALLIES.lock().unwrap_or_else(PoisonError::into_inner);
    let tally = tallies.entry((threads, index)).or_default();
    tally.emitted += run.emitted;
    tally.written += written;
    tally.reported_lost += run.reported_lost;
    // The trailing `\n` counts: it is written too.
    tally.line_bytes += lines.iter().map(|l| l.len() as u64 + 1).sum::<u64>();
    tally
        .ns_per_event
        .push(run.elapsed.as_nanos() as f64 / run.emitted.max(1) as f64);
    if tally.example.is_none() {
        tally.example = lines.first().map(|l| l.to_string());
    }
}

fn print_report() {
    let mut tallies = TALLIES.lock().unwrap_or_else(PoisonError::into_inner);
    if tallies.is_empty() {
        return;
    }
    println!("\nevent_log: median ns/event over every iteration (warm-up included)");
    println!(
        "{:<32} {:>7} {:>10} {:>24} {:>10} {:>14}",
        "contender", "threads", "ns/event", "lines written / emitted", "avg bytes", "reported lost"
    );
    for ((threads, index), tally) in tallies.iter_mut() {
        tally.ns_per_event.sort_by(f64::total_cmp);
        let median = tally.ns_per_event[tally.ns_per_event.len() / 2];
        println!(
            "{:<32} {:>7} {:>10.0} {:>24} {:>10.1} {:>14}",
            CONTENDERS[*index],
            threads,
            median,
            format!("{} / {}", tally.written, tally.emitted),
            tally.line_bytes as f64 / tally.written.max(1) as f64,
            tally.reported_lost,
        );
    }
    println!("\nexample lines (1 thread):");
    for ((threads, index), tally) in tallies.iter() {
        if *threads == 1 {
            let example = tally.example.as_deref().unwrap_or("");
            println!("{}:\n  {example}", CONTENDERS[*index]);
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = bench_event_log
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    print_report();
}
