//! What one point of a metric series costs in an inner loop: `metric`
//! (buffered per run, one `metrics` line per 1,024 points), next to what a
//! user would write without it — one event per point, `emit(&Point { step,
//! value })` — and next to pushing the value into a `Vec` (the floor).
//!
//! Each contender records 10,240 points inside one `#[provenance]` run,
//! with the log writing to a file in Buffered mode; the throughput is in
//! points.
//!
//! Run: `cargo bench -p provenance-benches --bench metric_series`.
//! On the 2-core development VM (release build): `metric` 494 µs
//! per 10,240 points (48 ns a point, writing its 10 lines included),
//! `emit` per point 8.2 ms (800 ns a point), `Vec::push` 21 µs.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ith_provenance::{Event, EventLog, ProvenanceContext, emit, metric, provenance};
use serde::Serialize;

const POINTS: usize = 10 * 1024;

/// The event a user would write per point without series.
#[derive(Serialize, Event)]
#[event(name = "bench.point", version = 1)]
struct Point {
    name: &'static str,
    step: u64,
    value: f64,
}

fn value(i: usize) -> f64 {
    1.0 + (i as f64) * 1e-4
}

#[provenance(seed = 1)]
fn series() {
    for i in 0..POINTS {
        metric("nav", black_box(value(i)));
    }
}

#[provenance(seed = 1)]
fn event_per_point() {
    for i in 0..POINTS {
        emit(&Point {
            name: "nav",
            step: i as u64,
            value: black_box(value(i)),
        })
        .unwrap();
    }
}

#[provenance(seed = 1)]
fn vec_push() -> Vec<f64> {
    let mut out = Vec::with_capacity(POINTS);
    for i in 0..POINTS {
        out.push(black_box(value(i)));
    }
    out
}

fn bench(c: &mut Criterion) {
    let ctx = ProvenanceContext::builder(ith_provenance::crate_info!())
        .seed(1)
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let log = EventLog::builder()
        .file(dir.path().join("bench.ndjson"))
        .open(&ctx)
        .unwrap();
    let installed = log.install();
    let mut group = c.benchmark_group("metric_series");
    group.throughput(Throughput::Elements(POINTS as u64));
    group.bench_function("metric", |b| b.iter(series));
    group.bench_function("emit_per_point", |b| b.iter(event_per_point));
    group.bench_function("vec_push", |b| b.iter(|| black_box(vec_push())));
    group.finish();
    drop(installed);
    assert_eq!(log.dropped_events(), 0, "no line was lost");
}

criterion_group!(benches, bench);
criterion_main!(benches);
