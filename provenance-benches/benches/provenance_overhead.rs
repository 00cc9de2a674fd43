//! What `#[provenance]` costs per call, next to the same function without
//! it and next to writing the same two events (`algorithm.init`,
//! `algorithm.result`, flushed) by hand with `EventLog::start_algorithm` —
//! what a user would write without the macro. The difference between the
//! annotated call and the hand-written one is the macro's own overhead
//! (run id, current-run bookkeeping, the `run_id` envelope field, outcome
//! dispatch); the target is at most 5 µs.
//!
//! Git is captured once before measuring (the context is built first), and
//! each contender runs with the log `off` (lines encoded, counted and
//! discarded) and with the log writing to a file in Buffered mode (each run
//! flushes its lines when it ends, and `#[provenance]` also flushes its
//! start, before the body runs, so that `std::process::exit` in the body
//! cannot lose the `algorithm.init`: `by_hand_flush_at_start` measures
//! what that second write costs). A third pair adds a `#[fingerprint]`
//! slice of 1 000 floats and a `#[config]` struct, against the hand-written
//! equivalent (fingerprint, `data.load`, config in `algorithm.init`).
//!
//! Run: `cargo bench -p provenance-benches --bench provenance_overhead`.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ith_provenance::{
    EventLog, ProvenanceContext, events::DataLoad, fingerprint_array, log::LogTarget, provenance,
};
use serde::Serialize;

fn plain(values: &[f64]) -> f64 {
    values.iter().sum()
}

#[provenance(seed = 1)]
fn annotated(values: &[f64]) -> f64 {
    values.iter().sum()
}

fn by_hand(log: &EventLog, values: &[f64]) -> f64 {
    by_hand_flushing(log, values, false)
}

/// `flush_at_start`: the start is written before the body runs, as
/// `#[provenance]` does so that `std::process::exit` cannot lose it.
fn by_hand_flushing(log: &EventLog, values: &[f64], flush_at_start: bool) -> f64 {
    let init = log
        .algorithm_init("by_hand", "0.1.0", &serde_json::json!({}), None, Some(1))
        .unwrap();
    let run = log.start_algorithm(init).unwrap();
    if flush_at_start {
        log.flush().unwrap();
    }
    let output = values.iter().sum();
    run.finish_ok(BTreeMap::new(), None).unwrap();
    output
}

#[derive(Serialize)]
struct Params {
    window: usize,
    hurdle: f64,
}

#[provenance(seed = 1)]
fn annotated_inputs(#[fingerprint] values: &[f64], #[config] params: &Params) -> f64 {
    values.iter().take(params.window).sum()
}

fn by_hand_inputs(log: &EventLog, values: &[f64], params: &Params) -> f64 {
    let fp = fingerprint_array(values);
    let init = log
        .algorithm_init("by_hand_inputs", "0.1.0", params, Some(fp.sha256), Some(1))
        .unwrap();
    let run = log.start_algorithm(init).unwrap();
    log.emit(&DataLoad::from_array("argument", &fp, Vec::new()).named("values"))
        .unwrap();
    let output = values.iter().take(params.window).sum();
    run.finish_ok(BTreeMap::new(), None).unwrap();
    output
}

fn bench(c: &mut Criterion) {
    // Builds the context: captures git once for the process.
    let ctx = ProvenanceContext::builder(ith_provenance::crate_info!())
        .experiment_id("bench")
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let values: Vec<f64> = (0..1_000).map(f64::from).collect();
    let small = &values[..8];
    let params = Params {
        window: 100,
        hurdle: 0.05,
    };

    let mut group = c.benchmark_group("provenance_overhead");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    group.bench_function("plain", |b| b.iter(|| plain(black_box(small))));

    // Each contender gets a log of its own (a fresh file in file mode), so
    // none pays for a file the ones before it grew.
    type Contender<'a> = (&'a str, Box<dyn Fn(&EventLog) -> f64 + 'a>);
    let contenders: [Contender<'_>; 5] = [
        ("by_hand", Box::new(|log| by_hand(log, black_box(small)))),
        (
            "by_hand_flush_at_start",
            Box::new(|log| by_hand_flushing(log, black_box(small), true)),
        ),
        ("annotated", Box::new(|_| annotated(black_box(small)))),
        (
            "by_hand_inputs",
            Box::new(|log| by_hand_inputs(log, black_box(&values), black_box(&params))),
        ),
        (
            "annotated_inputs",
            Box::new(|_| annotated_inputs(black_box(&values), black_box(&params))),
        ),
    ];
    for destination in ["off", "file"] {
        for (name, contender) in &contenders {
            let path = dir.path().join(format!("{name}.ndjson"));
            let log = match destination {
                "off" => EventLog::builder().target(LogTarget::Off),
                _ => EventLog::builder().file(&path),
            }
            .open(&ctx)
            .unwrap();
            // Annotated functions write to the installed log.
            let installed = log.install();
            group.bench_function(format!("{name}/{destination}"), |b| {
                b.iter(|| contender(&log))
            });
            drop(installed);
            assert_eq!(log.dropped_events(), 0, "no line was lost");
            let _ = std::fs::remove_file(&path);
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
