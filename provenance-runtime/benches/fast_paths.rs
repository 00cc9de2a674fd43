//! The runtime's hand-written fast paths, each against its in-tree
//! reference on the same input in the same run (`docs/FAST_PATHS.md`):
//! event timestamps against chrono's formatting, the contract's string
//! escaper against serde_json's, and the bulk hashing of value
//! fingerprints' packed sequences and of arrays against copying their
//! elements one by one. (The payload writer has its own bench,
//! `json_writer`, on the whole `emit` path.)
//!
//! `cargo bench -p ith-provenance-runtime --bench fast_paths`

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ith_provenance_contract::json::escaped;
use ith_provenance_runtime::__private::hooks;
use ith_provenance_runtime::Sha256Hash;

/// The two ways of each row, in the order the table gives them.
const WAYS: [(&str, bool); 2] = [("fast", false), ("reference", true)];

/// 2026-11-25T10:46:11Z, in microseconds.
const NOW: i64 = 1_795_603_571_000_000;

fn timestamps(c: &mut Criterion) {
    let mut group = c.benchmark_group("timestamp");
    // Events come many to a second (the fast path reuses the date), or
    // each in a second of its own (it computes the date).
    for (case, step) in [("37 µs apart", 37), ("1 s apart", 1_000_037)] {
        for (way, reference) in WAYS {
            let mut out = Vec::with_capacity(64);
            let mut micros = NOW;
            group.bench_function(BenchmarkId::new(way, case), |b| {
                b.iter(|| {
                    out.clear();
                    micros += step;
                    hooks::push_timestamp(&mut out, black_box(micros), reference);
                    black_box(&out);
                })
            });
        }
    }
    group.finish();
}

fn json_strings(c: &mut Criterion) {
    let long = "Close prices of the hourly klines, adjusted for splits. ".repeat(18);
    let cases = [
        ("a key (11 bytes)", "source_path"),
        (
            "a path (62 bytes)",
            "data/binance/BTCUSDT/klines_1h_2024-01-01_2024-12-31.parquet",
        ),
        ("a message with escapes", "step 3 of 7:\n\t\"close\" < 0\\n"),
        ("a kilobyte of text", long.as_str()),
    ];
    let mut group = c.benchmark_group("json string");
    for (case, s) in cases {
        group.throughput(Throughput::Bytes(s.len() as u64));
        let mut out = Vec::with_capacity(2 * s.len() + 2);
        group.bench_function(BenchmarkId::new("fast", case), |b| {
            b.iter(|| {
                out.clear();
                out.push(b'"');
                for piece in escaped(black_box(s)) {
                    out.extend_from_slice(piece.as_bytes());
                }
                out.push(b'"');
                black_box(&out);
            })
        });
        group.bench_function(BenchmarkId::new("reference", case), |b| {
            b.iter(|| {
                out.clear();
                serde_json::to_writer(&mut out, black_box(s)).expect("a str is JSON");
                black_box(&out);
            })
        });
    }
    group.finish();
}

/// A bulk path's hash of a slice, the fast way or (`true`) the reference.
type Hash<T> = fn(&[T], bool) -> Sha256Hash;

fn bulk_hashes(c: &mut Criterion) {
    // A million prices (8 MB, no NaN: the common case), and 8 MB of bytes.
    let prices: Vec<f64> = (0..1_000_000)
        .map(|i| 100.0 + f64::from(i) * 0.01)
        .collect();
    let bytes: Vec<u8> = (0..8_000_000u32).map(|i| (i % 251) as u8).collect();
    let paths: [(&str, Hash<f64>, Hash<u8>); 2] = [
        (
            "packed sequence",
            hooks::packed_sha256,
            hooks::packed_sha256,
        ),
        ("array", hooks::array_sha256, hooks::array_sha256),
    ];
    for (name, floats, ints) in paths {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(8_000_000));
        for (way, reference) in WAYS {
            group.bench_function(BenchmarkId::new(way, "1M f64"), |b| {
                b.iter(|| floats(black_box(&prices), reference))
            });
            group.bench_function(BenchmarkId::new(way, "8M u8"), |b| {
                b.iter(|| ints(black_box(&bytes), reference))
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = timestamps, json_strings, bulk_hashes
}
criterion_main!(benches);
