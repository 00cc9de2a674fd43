//! The CLI's hand-written fast paths, each against its in-tree reference
//! on the same line in the same run (`docs/FAST_PATHS.md`): the quick
//! tokenizer against serde_json building the same tape, the envelope read
//! in place against `line::parse` into a `serde_json::Map`, the fast
//! schema check against the jsonschema crate; then a whole log scanned
//! both ways (`scan_bytes` against `scan_bytes_reference`).
//!
//! `cargo bench -p ith-provenance-cli --bench fast_paths`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ith_provenance_cli::__private::{LinePaths, ScanOptions, scan_bytes, scan_bytes_reference};
use provenance_test_support::logs;

/// The two ways of each row, in the order the table gives them.
const WAYS: [(&str, bool); 2] = [("fast", false), ("reference", true)];

/// One step of a line, the fast way or (`true`) the reference way.
type Step = fn(&mut LinePaths, bool) -> bool;

/// A whole-log scan.
type Scan = fn(&[u8], &ScanOptions) -> ith_provenance_cli::__private::Scan;

/// How many `data.load` lines the whole-log case scans (about 1 MB).
const LINES: u64 = 2_000;

fn lines(c: &mut Criterion) {
    let log = String::from_utf8(logs::data_loads(3)).expect("the log is UTF-8");
    let line = log.lines().last().expect("a data.load line");
    let mut paths = LinePaths::new(line).expect("the benchmark line is valid");
    let steps: [(&str, Step); 3] = [
        ("tokenize", LinePaths::tokenize),
        ("envelope", |p, reference| p.envelope(reference).is_some()),
        ("schema check", LinePaths::check),
    ];
    for (step, run) in steps {
        let mut group = c.benchmark_group(format!("{step} ({} bytes)", line.len()));
        for (way, reference) in WAYS {
            group.bench_function(way, |b| {
                b.iter(|| assert!(run(black_box(&mut paths), reference)))
            });
        }
        group.finish();
    }
}

fn whole_log(c: &mut Criterion) {
    let log = logs::data_loads(LINES);
    let options = ScanOptions::default();
    let mut group = c.benchmark_group(format!("scan {LINES} data.load lines"));
    group
        .throughput(Throughput::Bytes(log.len() as u64))
        .sample_size(20);
    let scans: [(&str, Scan); 2] = [("fast", scan_bytes), ("reference", scan_bytes_reference)];
    for (way, scan) in scans {
        group.bench_function(way, |b| {
            b.iter(|| {
                let scan = scan(black_box(&log), &options);
                assert_eq!(scan.invalid_lines, 0, "the benchmark log is valid");
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = lines, whole_log
}
criterion_main!(benches);
