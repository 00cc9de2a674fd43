//! The event log's hand-written payload writer (`src/log/json.rs`) against
//! serde_json through the non-finite adapter, the writer it stands in for,
//! on the real `EventLog::emit` path: the same clock, lock, envelope and
//! reused buffer, to an `off` log, so only the payload writer differs.
//!
//! `cargo bench -p ith-provenance-runtime --bench json_writer`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ith_provenance_runtime::{
    DataLoad, EpochDetected, Event, EventLog, LogTarget, PositionType, ProvenanceContext, Scalar,
    crate_info, fingerprint_array,
};
use serde::Serialize;

/// A typical experiment configuration, as `algorithm.init` carries it.
#[derive(Serialize)]
struct Config {
    algorithm: &'static str,
    hurdle: f64,
    window: usize,
    thresholds: Vec<f64>,
    assets: Vec<&'static str>,
    long_only: bool,
}

fn log(ctx: &ProvenanceContext, reference: bool) -> EventLog {
    let builder = EventLog::builder()
        .target(LogTarget::Off)
        .flush_interval(None);
    ith_provenance_runtime::__private::hooks::reference_writer(builder, reference)
        .open(ctx)
        .expect("an off log opens")
}

fn data_load() -> DataLoad {
    let prices: Vec<f64> = (0..10_000).map(|i| 100.0 + f64::from(i) * 0.01).collect();
    let fp = fingerprint_array(&prices);
    DataLoad {
        source_path: "data/binance/BTCUSDT/klines_1h_2024-01-01_2024-12-31.parquet".into(),
        sha256_hash: fp.sha256,
        row_count: 8_784,
        column_count: 6,
        columns: ["open_time", "open", "high", "low", "close", "volume"]
            .map(String::from)
            .into(),
        value_range: Some([Scalar::Float(38_521.37), Scalar::Float(108_353.92)]),
        input_name: Some("prices".into()),
        dtype: Some("float64".into()),
        shape: Some(vec![8_784, 6]),
        n_nans: Some(0),
        size_bytes: None,
        working_dir: None,
    }
}

fn epoch() -> EpochDetected {
    EpochDetected {
        epoch_index: 12,
        bar_index: 4_017,
        timestamp: None,
        excess_gain: 0.124_6,
        excess_loss: -0.031_2,
        endorsing_crest: 1.204_5,
        candidate_nadir: 0.911_7,
        tmaeg_threshold: 0.05,
        position_type: PositionType::Bull,
        nav_at_epoch: Some(1.253_4),
    }
}

fn bench_event<E: Event>(c: &mut Criterion, ctx: &ProvenanceContext, name: &str, event: &E) {
    let line = {
        let sink = ith_provenance_runtime::MemorySink::new();
        let log = EventLog::builder().memory(&sink).open(ctx).unwrap();
        log.emit(event).unwrap();
        log.flush().unwrap();
        sink.lines().last().unwrap().len()
    };
    let mut group = c.benchmark_group(format!("emit/{name} ({line} bytes)"));
    for (writer, reference) in [("fast", false), ("serde_json", true)] {
        let log = log(ctx, reference);
        group.bench_function(writer, |b| b.iter(|| log.emit(black_box(event)).unwrap()));
    }
    group.finish();
}

fn writers(c: &mut Criterion) {
    let ctx = ProvenanceContext::builder(crate_info!())
        .experiment_id("exp001")
        .seed(42)
        .build()
        .expect("a context");
    let config = Config {
        algorithm: "bull_ith",
        hurdle: 0.05,
        window: 20,
        thresholds: vec![0.01, 0.025, 0.05, 0.1],
        assets: vec!["BTCUSDT", "ETHUSDT", "SOLUSDT"],
        long_only: true,
    };
    let init = log(&ctx, false)
        .algorithm_init("bull_ith", "1.0.0", &config, None, Some(42))
        .expect("the config is JSON");
    bench_event(c, &ctx, "data.load", &data_load());
    bench_event(c, &ctx, "epoch_detected", &epoch());
    // A NaN sends the line down the tracking adapter whichever writer is
    // chosen (its pointer goes into `non_finite`): what that costs.
    let nan = EpochDetected {
        excess_loss: f64::NAN,
        ..epoch()
    };
    bench_event(c, &ctx, "epoch_detected with a NaN", &nan);
    bench_event(c, &ctx, "algorithm.init", &init);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = writers
}
criterion_main!(benches);
