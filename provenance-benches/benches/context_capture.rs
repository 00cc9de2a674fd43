//! What recording the build, the machine and the environment costs at
//! session start, and how long a program's first `#[provenance]` call takes
//! in all (target: under 5 ms on a 2-core machine).
//!
//! - `context/…`: building a `ProvenanceContext` (git given, so only the
//!   rest is measured) against copying the whole environment with
//!   `std::env::vars()`, what a user recording "everything" would do.
//! - `first_call/…`: a fresh process per iteration (this bench binary,
//!   re-run in a child mode) times its own first annotated call, which
//!   opens the session: context, git prefetch started off the critical
//!   path, the log file, `session.start`. Against the same process's first
//!   call of the plain function, so only our work is counted.
//!
//! Run: `cargo bench -p provenance-benches --bench context_capture`.

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use ith_provenance::{ProvenanceContext, crate_info, git::GitInfo, provenance};

const CHILD: &str = "PROVENANCE_BENCH_FIRST_CALL";

fn plain(n: u32) -> u32 {
    (0..n).sum()
}

#[provenance(seed = 1)]
fn annotated(n: u32) -> u32 {
    (0..n).sum()
}

fn fixed_git() -> GitInfo {
    GitInfo {
        sha: Some("0123456789abcdef0123456789abcdef01234567".into()),
        short_sha: Some("0123456".into()),
        dirty: Some(false),
        branch: Some("main".into()),
        diff_hash: None,
        dirty_paths: Vec::new(),
        dirty_path_count: Some(0),
        captured_at: Some(ith_provenance::git::CapturedAt::Build),
        repo_root: None,
        remote_url: None,
        searched_from: None,
        found_via: None,
        reason: None,
        patch: None,
    }
}

fn context(c: &mut Criterion) {
    let mut group = c.benchmark_group("context");
    group.bench_function("build_with_build_machine_env", |b| {
        b.iter(|| {
            ProvenanceContext::builder(crate_info!())
                .git(fixed_git())
                .seed(1)
                .record_env(["DATASET_ROOT", "HF_TOKEN"])
                .build()
                .unwrap()
        })
    });
    group.bench_function("alternative_copy_whole_env", |b| {
        b.iter(|| std::env::vars().collect::<Vec<_>>())
    });
    group.finish();
}

/// Spawns this binary in child mode; it prints the nanoseconds its first
/// call took.
fn child_time(mode: &str, log: &std::path::Path) -> Duration {
    let out = Command::new(std::env::current_exe().unwrap())
        .env(CHILD, mode)
        .env("PROVENANCE_LOG", log)
        .env("PROVENANCE_QUIET", "1")
        .output()
        .expect("the bench re-runs itself");
    let text = String::from_utf8_lossy(&out.stdout);
    let nanos: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("first-call-ns "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("child {mode} printed no time: {text}"));
    Duration::from_nanos(nanos)
}

fn first_call(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("first_call");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(20));
    for mode in ["annotated", "plain"] {
        group.bench_function(mode, |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|i| child_time(mode, &dir.path().join(format!("{mode}-{i}.ndjson"))))
                    .sum()
            })
        });
    }
    group.finish();
}

fn child() -> bool {
    let Ok(mode) = std::env::var(CHILD) else {
        return false;
    };
    let start = Instant::now();
    let result = match mode.as_str() {
        "annotated" => annotated(black_box(100)),
        _ => plain(black_box(100)),
    };
    let elapsed = start.elapsed();
    black_box(result);
    println!("first-call-ns {}", elapsed.as_nanos());
    true
}

criterion_group!(benches, context, first_call);

fn main() {
    if child() {
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
