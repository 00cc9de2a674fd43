//! The main example: an ITH-style (Investment Time Horizon) bull-epoch
//! detection over a NAV series the example generates, with its full
//! provenance written to an NDJSON event log.
//!
//! Run: `cargo run --example ith_epochs`. The log goes to
//! `logs/provenance/<session_id>.ndjson` (or where `PROVENANCE_LOG` says:
//! a path, `stdout`, `stderr`, `off`). Replay a run with
//! `PROVENANCE_SEED=<root_seed.seed from its session.start>`: the same seed
//! gives the same data, the same epochs and the same hashes.

use std::collections::BTreeMap;

use provenance::rand_chacha::rand_core::Rng;
use provenance::{
    DataLoad, EpochDetected, EventLog, Fingerprint, PositionType, ProvenanceContext, crate_info,
    fingerprint_array,
};
use serde::Serialize;

/// The experiment's configuration, recorded in `algorithm.init` with its
/// canonical hash.
#[derive(Serialize)]
struct IthConfig {
    /// TMAEG: the excess gain an epoch must exceed.
    hurdle: f64,
    /// Bars of NAV to generate.
    bars: usize,
    /// Per-bar drift and volatility of the generated random walk.
    drift: f64,
    volatility: f64,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = IthConfig {
        hurdle: 0.05,
        bars: 2_000,
        drift: 0.0004,
        volatility: 0.01,
    };

    // Who, when, which commit, which machine, which seed.
    let mut ctx = ProvenanceContext::builder(crate_info!())
        .experiment_id("ith-bull-demo")
        .build()?;
    ctx.set_config_hash(&config)?;

    // The data: a random walk from the "nav" component's own seed.
    let nav = random_walk(&mut ctx.rng("nav"), &config);
    let fp = ctx.fingerprint_array("nav", &nav);

    // session.start carries the whole context; then the data and the run.
    let log = EventLog::open(&ctx)?;
    log.emit(&DataLoad::from_array("generated:random_walk", &fp, vec!["nav".into()]).named("nav"))?;
    let init = log.algorithm_init(
        "bull_ith",
        "1.0.0",
        &config,
        Some(fp.sha256),
        Some(ctx.random_seeds["nav"]),
    )?;
    let run = log.start_algorithm(init)?;

    let epochs = bull_epochs(&nav, config.hurdle);
    for epoch in &epochs {
        log.emit(epoch)?;
    }

    let bars: Vec<u64> = epochs.iter().map(|e| e.bar_index).collect();
    let metrics = BTreeMap::from([
        ("epochs".to_string(), epochs.len() as f64),
        (
            "final_nav".to_string(),
            nav.last().copied().unwrap_or(f64::NAN),
        ),
        (
            "max_excess_gain".to_string(),
            epochs
                .iter()
                .map(|e| e.excess_gain)
                .fold(f64::NAN, f64::max),
        ),
    ]);
    let result = run.finish_ok(metrics, Some(bars.fingerprint()))?;

    println!("session   {}", ctx.session_id);
    println!(
        "root seed {} ({}): replay with PROVENANCE_SEED={}",
        ctx.root_seed.seed, ctx.root_seed.source, ctx.root_seed.seed
    );
    println!("data      {} ({} bars)", fp.sha256, nav.len());
    println!(
        "epochs    {} at bars {:?}",
        epochs.len(),
        &bars[..bars.len().min(8)]
    );
    println!(
        "result    {:?} in {:.1} ms, {} event(s) dropped",
        result.status, result.duration_ms, result.dropped_events
    );
    match log.path() {
        Some(path) => println!(
            "log       {}\n          jq -c 'select(.event_type == \"epoch_detected\")' {}",
            path.display(),
            path.display()
        ),
        None => println!(
            "log       (PROVENANCE_LOG={})",
            std::env::var("PROVENANCE_LOG").unwrap_or_default()
        ),
    }
    assert_eq!(fingerprint_array(&nav).sha256, ctx.input_hashes["nav"]);
    Ok(())
}

/// A geometric random walk from uniform draws of a ChaCha20 stream.
fn random_walk(rng: &mut impl Rng, config: &IthConfig) -> Vec<f64> {
    let mut level = 1.0_f64;
    (0..config.bars)
        .map(|_| {
            let uniform = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            level *= 1.0 + config.drift + config.volatility * (uniform - 0.5) * 3.46;
            level
        })
        .collect()
}

/// Bull ITH epochs: an epoch is declared at a bar where the excess gain over
/// the endorsing crest exceeds both the hurdle (TMAEG) and the excess loss
/// since; the crest is then endorsed and tracking restarts.
fn bull_epochs(nav: &[f64], hurdle: f64) -> Vec<EpochDetected> {
    let mut epochs = Vec::new();
    let Some(&first) = nav.first() else {
        return epochs;
    };
    let (mut endorsing_crest, mut candidate_crest, mut candidate_nadir) = (first, first, first);
    let (mut excess_gain, mut excess_loss) = (0.0_f64, 0.0_f64);
    for (bar, &value) in nav.iter().enumerate().skip(1) {
        if value > candidate_crest {
            excess_gain = value / endorsing_crest - 1.0;
            candidate_crest = value;
        }
        if value < candidate_nadir {
            excess_loss = 1.0 - value / endorsing_crest;
            candidate_nadir = value;
        }
        if excess_gain > excess_loss.abs()
            && excess_gain > hurdle
            && candidate_crest >= endorsing_crest
        {
            epochs.push(EpochDetected {
                epoch_index: epochs.len() as u64 + 1,
                bar_index: bar as u64,
                timestamp: None,
                excess_gain,
                excess_loss,
                endorsing_crest,
                candidate_nadir,
                tmaeg_threshold: hurdle,
                position_type: PositionType::Bull,
                nav_at_epoch: Some(value),
            });
            endorsing_crest = candidate_crest;
            candidate_nadir = candidate_crest;
            excess_gain = 0.0;
            excess_loss = 0.0;
        }
    }
    epochs
}
