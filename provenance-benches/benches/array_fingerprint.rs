//! The full array fingerprint record against raw one-shot SHA-256 of the
//! same bytes — the floor any implementation must pay — on 256 MiB of f64,
//! plus a transposed view (which must gather) and a 1 MiB array (below the
//! parallel threshold).
//!
//! Run: `cargo bench -p provenance-benches --bench array_fingerprint`. Criterion prints the
//! throughput of each in GB/s; the ratio fingerprint / raw is the figure the
//! runtime-core issue targets (≥ 0.95).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ith_provenance::{Fingerprint, fingerprint_array};
use ndarray::Array2;
use sha2::{Digest, Sha256};

fn data(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| {
            if i % 4099 == 0 {
                f64::NAN
            } else {
                (i as f64 * 0.001).sin()
            }
        })
        .collect()
}

fn bench_large(c: &mut Criterion) {
    let n = 256 * 1024 * 1024 / 8;
    let v = data(n);
    let bytes: &[u8] = bytemuck_bytes(&v);
    let mut g = c.benchmark_group("f64_256MiB");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("raw_sha2_one_shot", |b| {
        b.iter(|| Sha256::digest(std::hint::black_box(bytes)))
    });
    g.bench_function("fingerprint_array", |b| {
        b.iter(|| fingerprint_array(std::hint::black_box(&v)))
    });
    // The `Fingerprint` trait's packed path (canonicalises NaN, so it scans
    // each chunk too): a struct holding this Vec hashes at this speed.
    g.bench_function("Vec<f64>::fingerprint", |b| {
        b.iter(|| std::hint::black_box(&v).fingerprint())
    });
    g.finish();
}

fn bench_small_and_strided(c: &mut Criterion) {
    let mut g = c.benchmark_group("f64_other_layouts");
    g.sample_size(20);
    let small = data(128 * 1024);
    g.throughput(Throughput::Bytes(1 << 20));
    g.bench_function(BenchmarkId::new("raw_sha2_one_shot", "1MiB"), |b| {
        b.iter(|| Sha256::digest(std::hint::black_box(bytemuck_bytes(&small))))
    });
    g.bench_function(BenchmarkId::new("fingerprint_array", "1MiB"), |b| {
        b.iter(|| fingerprint_array(std::hint::black_box(&small)))
    });
    let matrix = Array2::from_shape_vec((2048, 2048), data(2048 * 2048)).unwrap();
    g.throughput(Throughput::Bytes(32 << 20));
    g.bench_function(
        BenchmarkId::new("fingerprint_array", "32MiB_transposed"),
        |b| b.iter(|| fingerprint_array(std::hint::black_box(&matrix.t()))),
    );
    g.finish();
}

/// The bytes `fingerprint_array` hashes (the machine is little-endian).
fn bytemuck_bytes(v: &[f64]) -> &[u8] {
    bytemuck::cast_slice(v)
}

criterion_group!(benches, bench_large, bench_small_and_strided);
criterion_main!(benches);
