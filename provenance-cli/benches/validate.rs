//! `provenance validate` against `jq -c .` (what a user would reach for to
//! check that a log is JSON) on the same log of `data.load` lines, in the
//! same run. Both read the file from the page cache.
//!
//! `cargo bench -p ith-provenance-cli --bench validate`; the log's size in MB
//! is `PROVENANCE_BENCH_MB` (default 64).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use provenance_test_support::logs;

const JQ: &str = "/usr/bin/jq";

fn validate(path: &Path) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = ith_provenance_cli::cli::run(
        ["provenance".as_ref(), "validate".as_ref(), path.as_os_str()],
        &mut out,
        &mut err,
    );
    // A fast failure is not a fast validation.
    assert_eq!(
        code,
        0,
        "the benchmark log must be valid:\n{}{}",
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&err)
    );
}

fn jq(path: &Path) {
    let status = Command::new(JQ)
        .args(["-c", "."])
        .arg(path)
        .stdout(Stdio::null())
        .status()
        .expect("jq runs");
    assert!(status.success(), "jq failed on the benchmark log");
}

fn mb_per_s(bytes: u64, f: impl Fn()) -> f64 {
    f();
    let best = (0..5)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .expect("three runs");
    bytes as f64 / 1e6 / best.as_secs_f64()
}

fn bench(c: &mut Criterion) {
    let mb: u64 = std::env::var("PROVENANCE_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("data_load.ndjson");
    let lines = mb * 1_000_000 / 460;
    let log = logs::data_loads(lines);
    std::fs::write(&path, &log).expect("write the log");
    let bytes = log.len() as u64;
    drop(log);
    let have_jq = Path::new(JQ).exists();

    let mut group = c.benchmark_group("validate");
    group
        .throughput(Throughput::Bytes(bytes))
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("provenance validate", |b| b.iter(|| validate(&path)));
    if have_jq {
        group.bench_function("jq -c .", |b| b.iter(|| jq(&path)));
    }
    group.finish();

    // A plain summary at the end, so the numbers are there without
    // reading criterion's report (MB = 10^6 bytes; criterion prints MiB/s).
    let ours = mb_per_s(bytes, || validate(&path));
    println!(
        "log: {:.1} MB, {} lines (session.start, event.schema, then data.load lines of {} bytes on average)",
        bytes as f64 / 1e6,
        lines + 2,
        bytes / lines.max(1)
    );
    println!("provenance validate: {ours:.0} MB/s (best of 5)");
    if have_jq {
        let theirs = mb_per_s(bytes, || jq(&path));
        println!(
            "jq -c . > /dev/null:  {theirs:.0} MB/s (best of 5); validate is {:.1}x jq",
            ours / theirs
        );
    } else {
        println!("jq -c . : skipped, {JQ} is not installed");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
