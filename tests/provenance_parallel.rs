//! Runs carried into threads and tasks: every call gets its own identity and
//! random stream, the same seed reproduces all of them, and whichever worker
//! starts first changes nothing.
//!
//! As in `provenance_attr.rs`, each scenario runs in a child process (the
//! session is process-global) and the parent reads its log back.

mod provenance_support;

use std::collections::BTreeMap;

use ith_provenance::{Run, current_run, emit, provenance, seed::derive_run_seed};
use provenance_support::*;
use rand_core::Rng;
use rayon::prelude::*;
use serde_json::Value;

// ---------------------------------------------------------------------------
// The experiment functions

/// One Monte Carlo path: the sum of `steps` uniform draws.
#[provenance]
fn simulate_path(#[config] steps: usize) -> f64 {
    let mut rng = ith_provenance::rng("path");
    (0..steps)
        .map(|_| rng.next_u64() as f64 / u64::MAX as f64)
        .sum()
}

#[provenance(experiment = "parallel")]
fn paths() -> Vec<f64> {
    (0..5).map(|_| simulate_path(10)).collect()
}

/// A bootstrap over one chunk of the data.
#[provenance]
fn worker(#[config] chunk: usize, #[fingerprint] data: &[f64]) -> f64 {
    let mut rng = ith_provenance::rng("bootstrap");
    let draws = 100;
    let sum: f64 = (0..draws)
        .map(|_| data[rng.next_u64() as usize % data.len()])
        .sum();
    ith_provenance::current_run()
        .unwrap()
        .record_metric("chunk", chunk as f64);
    sum / draws as f64
}

fn chunks() -> Vec<Vec<f64>> {
    (0..4)
        .map(|c| (0..50).map(|i| (c * 100 + i) as f64).collect())
        .collect()
}

#[provenance(experiment = "parallel")]
fn sweep_threads() -> Vec<f64> {
    let run = current_run().unwrap();
    let data = chunks();
    std::thread::scope(|s| {
        let handles: Vec<_> = data
            .iter()
            .enumerate()
            .map(|(chunk, values)| {
                let run = run.clone();
                s.spawn(move || {
                    let _entered = run.enter();
                    // A line written by the worker thread itself, outside
                    // the worker's own run: it belongs to the sweep.
                    emit(&progress(chunk)).unwrap();
                    worker(chunk, values)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[provenance(experiment = "parallel")]
fn sweep_rayon() -> Vec<f64> {
    let run = current_run().unwrap();
    chunks()
        .par_iter()
        .enumerate()
        .map(|(chunk, values)| run.in_scope(|| worker(chunk, values)))
        .collect()
}

#[provenance]
async fn async_worker(#[config] chunk: usize) -> u64 {
    tokio::task::yield_now().await;
    ith_provenance::rng("noise").next_u64() ^ chunk as u64
}

#[provenance(experiment = "parallel")]
async fn sweep_tasks() -> Vec<u64> {
    let run = current_run().unwrap();
    let tasks: Vec<_> = (0..4)
        .map(|chunk| tokio::spawn(run.instrument(async move { async_worker(chunk).await })))
        .collect();
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

/// Identical calls in parallel: the one case timing decides.
#[provenance(experiment = "parallel")]
fn identical_workers() -> usize {
    let run = current_run().unwrap();
    std::thread::scope(|s| {
        for _ in 0..3 {
            let run = run.clone();
            s.spawn(move || run.in_scope(|| simulate_path(3)));
        }
    });
    3
}

fn progress(chunk: usize) -> ith_provenance::ith::HypothesisResult {
    ith_provenance::ith::HypothesisResult {
        hypothesis_id: format!("chunk-{chunk}"),
        test_name: "progress".into(),
        statistic: chunk as f64,
        p_value: 1.0,
        effect_size: None,
        decision: "n/a".into(),
        alpha: 0.05,
        context: Default::default(),
    }
}

fn print_result<T: serde::Serialize>(value: &T) {
    println!("RESULT {}", serde_json::to_string(value).unwrap());
}

// ---------------------------------------------------------------------------
// Children

#[test]
#[ignore = "a child process of the tests below"]
fn child_loop() {
    if is_child() {
        print_result(&paths());
    }
}

#[test]
#[ignore = "a child process of the tests below"]
fn child_threads() {
    if is_child() {
        print_result(&sweep_threads());
    }
}

#[test]
#[ignore = "a child process of the tests below"]
fn child_rayon() {
    if is_child() {
        print_result(&sweep_rayon());
    }
}

#[test]
#[ignore = "a child process of the tests below"]
fn child_tasks() {
    if !is_child() {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    print_result(&runtime.block_on(sweep_tasks()));
}

#[test]
#[ignore = "a child process of the tests below"]
fn child_identical() {
    if is_child() {
        print_result(&identical_workers());
    }
}

// ---------------------------------------------------------------------------
// Helpers

fn result_of(child: &Child) -> Value {
    let line = child
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .expect("the child printed its result");
    serde_json::from_str(line).unwrap()
}

/// Each run's `algorithm.init`, by run id.
fn inits(lines: &[Value]) -> BTreeMap<String, &Value> {
    of_type(lines, "algorithm.init")
        .into_iter()
        .map(|l| (l["run_id"].as_str().unwrap().to_string(), l))
        .collect()
}

/// Each `seed.derived`, as (run id, component) → seed.
fn seeds(lines: &[Value]) -> BTreeMap<(String, String), u64> {
    of_type(lines, "seed.derived")
        .into_iter()
        .map(|l| {
            (
                (
                    l["run_id"].as_str().unwrap().to_string(),
                    l["component"].as_str().unwrap().to_string(),
                ),
                serde_json::from_value::<ith_provenance::seed::Seed>(l["seed"].clone())
                    .unwrap()
                    .0,
            )
        })
        .collect()
}

const SEED: &[(&str, &str)] = &[("PROVENANCE_SEED", "7")];

// ---------------------------------------------------------------------------
// Tests

#[test]
fn run_is_clone_send_and_sync() {
    fn assert_shareable<T: Clone + Send + Sync + 'static>() {}
    assert_shareable::<Run>();
}

#[test]
fn a_loop_of_calls_draws_a_new_stream_each_time_and_replays_it() {
    let first = run_child("loop", SEED);
    let values: Vec<f64> = serde_json::from_value(result_of(&first)).unwrap();
    assert_eq!(values.len(), 5);
    for (i, a) in values.iter().enumerate() {
        for b in &values[i + 1..] {
            assert_ne!(a, b, "two calls drew the same path: {values:?}");
        }
    }
    let again = run_child("loop", SEED);
    assert_eq!(
        result_of(&again),
        result_of(&first),
        "same seed, same 5, same order"
    );

    // Each call is its own run, numbered among its siblings, with the seed
    // SEEDS.md v2 gives for that run.
    let ids: Vec<String> = inits(&first.lines).into_keys().collect();
    assert_eq!(
        ids,
        [
            "paths#1",
            "paths#1/simulate_path#1",
            "paths#1/simulate_path#2",
            "paths#1/simulate_path#3",
            "paths#1/simulate_path#4",
            "paths#1/simulate_path#5",
        ]
    );
    for ((run, component), seed) in seeds(&first.lines) {
        assert_eq!(component, "path");
        assert_eq!(seed, derive_run_seed(7, &run, "path"), "{run}");
    }
    assert_eq!(seeds(&first.lines).len(), 5);
}

/// Checks a sweep's workers: children of the sweep, named by their config,
/// with distinct seeds; returns (ids, seeds) to compare across reruns.
fn check_workers(lines: &[Value], sweep: &str) -> (Vec<String>, BTreeMap<(String, String), u64>) {
    let inits = inits(lines);
    let workers: Vec<&&Value> = inits
        .values()
        .filter(|l| l["algorithm_name"] == "worker")
        .collect();
    assert_eq!(workers.len(), 4, "one run per chunk");
    for init in &workers {
        assert_eq!(
            init["parent_run_id"], sweep,
            "every worker is a child of the sweep"
        );
        let key = &init["config_hash"].as_str().unwrap()["sha256:".len()..][..8];
        assert_eq!(
            init["run_id"].as_str().unwrap(),
            format!("{sweep}/worker@{key}#1"),
            "told apart by its config"
        );
    }
    let seeds = seeds(lines);
    let distinct: std::collections::BTreeSet<u64> = seeds.values().copied().collect();
    assert_eq!(
        distinct.len(),
        4,
        "each worker has its own stream: {seeds:?}"
    );
    (inits.into_keys().collect(), seeds)
}

#[test]
fn thread_workers_are_children_with_their_own_streams_whatever_the_order() {
    let first = run_child("threads", SEED);
    let (ids, first_seeds) = check_workers(&first.lines, "sweep_threads#1");
    // The worker thread's own line, outside the worker run, is the sweep's.
    let progress = of_type(&first.lines, "hypothesis_result");
    assert_eq!(progress.len(), 4);
    assert!(
        progress
            .iter()
            .all(|l| l["run_id"] == "sweep_threads#1" && l.get("parent_run_id").is_none())
    );
    for _ in 0..3 {
        let again = run_child("threads", SEED);
        assert_eq!(
            check_workers(&again.lines, "sweep_threads#1"),
            (ids.clone(), first_seeds.clone())
        );
        assert_eq!(result_of(&again), result_of(&first));
    }
}

#[test]
fn rayon_workers_are_children_with_their_own_streams_whatever_the_order() {
    let first = run_child("rayon", SEED);
    let expected = check_workers(&first.lines, "sweep_rayon#1");
    for _ in 0..3 {
        let again = run_child("rayon", SEED);
        assert_eq!(check_workers(&again.lines, "sweep_rayon#1"), expected);
        assert_eq!(result_of(&again), result_of(&first));
    }
}

#[test]
fn tokio_tasks_carry_the_run_on_every_poll() {
    let first = run_child("tasks", SEED);
    let inits = inits(&first.lines);
    let workers: Vec<&str> = inits
        .keys()
        .filter(|id| id.contains("/async_worker@"))
        .map(String::as_str)
        .collect();
    assert_eq!(workers.len(), 4, "{inits:?}");
    for id in &workers {
        assert_eq!(inits[*id]["parent_run_id"], "sweep_tasks#1");
        let result = run(&first.lines, id)
            .into_iter()
            .find(|l| l["event_type"] == "algorithm.result")
            .unwrap();
        assert_eq!(result["status"], "ok");
    }
    let again = run_child("tasks", SEED);
    assert_eq!(result_of(&again), result_of(&first));
    assert_eq!(seeds(&again.lines), seeds(&first.lines));
}

#[test]
fn identical_parallel_calls_still_get_distinct_ids_and_streams() {
    let child = run_child("identical", SEED);
    let ids: Vec<String> = inits(&child.lines)
        .into_keys()
        .filter(|id| id.contains("simulate_path"))
        .collect();
    assert_eq!(ids.len(), 3);
    let (head, _) = ids[0].rsplit_once('#').unwrap();
    let expected: Vec<String> = (1..=3).map(|n| format!("{head}#{n}")).collect();
    assert_eq!(ids, expected, "same key, numbered in start order");
    let distinct: std::collections::BTreeSet<u64> = seeds(&child.lines).into_values().collect();
    assert_eq!(distinct.len(), 3);
}
