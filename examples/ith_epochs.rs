//! The main example: an ITH-style (Investment Time Horizon) bull-epoch
//! detection over a NAV series the example generates, with its full
//! provenance written by `#[provenance]` to an NDJSON event log. The
//! experiment contains no logging code beyond one `log_epoch_detected` per
//! epoch and one `metric` per bar (the NAV series, written in batches as
//! `metrics` lines and summarized in the run's `algorithm.result`).
//!
//! Run: `cargo run --example ith_epochs [-- OPTIONS]`. The log goes to
//! `logs/provenance/<session_id>.ndjson` (or where `PROVENANCE_LOG` says: a
//! path, `stdout`, `stderr`, `off`). Replay a run with
//! `PROVENANCE_SEED=<the root seed it printed>`: the same seed gives the same
//! data, the same epochs and the same hashes.
//!
//! Options, to see what a change does to the log (`provenance diff`):
//!
//! - `--hurdle X`: the TMAEG threshold (default 0.05), a configuration value;
//! - `--bars N`: how many bars to generate (default 2000);
//! - `--bump BAR`: raise the NAV at bar `BAR` by 1 %, one input value;
//! - `--save-data PATH`: also write the generated NAV to `PATH`, one value a line;
//! - `--data PATH`: read the NAV from `PATH` instead of generating it; the
//!   file's fingerprint is recorded (`provenance verify` re-checks it).

use std::process::ExitCode;

use ith_provenance::{
    EventLog, Fingerprint,
    events::DataLoad,
    ith::{EpochDetected, PositionType},
    provenance,
};
use rand_core::Rng;
use serde::Serialize;

/// The experiment's configuration, recorded in `algorithm.init` with its
/// canonical hash.
#[derive(Debug, Serialize)]
struct IthConfig {
    /// TMAEG: the excess gain an epoch must exceed.
    hurdle: f64,
    /// Bars of NAV to generate.
    bars: usize,
    /// Per-bar drift and volatility of the generated random walk.
    drift: f64,
    volatility: f64,
    /// A bar whose value is raised by 1 % (`--bump`).
    bump: Option<usize>,
    /// Read the NAV from this file instead of generating it (`--data`).
    data: Option<String>,
    /// Write the generated NAV to this file (`--save-data`).
    save_data: Option<String>,
}

/// What the experiment found; its fingerprint is the run's `output_hash`.
#[derive(Debug, Fingerprint)]
struct Outcome {
    /// Bars at which epochs were declared.
    epoch_bars: Vec<u64>,
    /// The last NAV value.
    final_nav: f64,
}

/// The experiment: generate the data from the run's own seed, then detect
/// its epochs (a nested, separately recorded run).
#[provenance(experiment = "ith-bull-demo", version = "1.0.0", fingerprint_output)]
fn ith_experiment(#[config] config: &IthConfig) -> Result<Outcome, String> {
    let mut nav = match &config.data {
        Some(path) => load_nav(path)?,
        // A generator for the "nav" component: its seed is derived from the
        // run's root seed and the name alone, and written as `seed.derived`.
        None => random_walk(&mut ith_provenance::rng("nav"), config),
    };
    if let Some(path) = &config.save_data {
        let text: String = nav.iter().map(|v| format!("{v}\n")).collect();
        std::fs::write(path, text).map_err(|e| format!("cannot write {path}: {e}"))?;
        // `data.save`: `provenance why nav.txt` finds this run from the file.
        ith_provenance::record_output(path).map_err(|e| e.to_string())?;
    }
    if let Some(bar) = config.bump {
        let len = nav.len();
        let value = nav
            .get_mut(bar)
            .ok_or_else(|| format!("--bump {bar} is past the last bar ({})", len - 1))?;
        *value *= 1.01;
    }
    // The NAV at each bar, as the run's `nav` series (steps 0, 1, 2, …):
    // buffered in memory, written as `metrics` lines of up to 1,024 points.
    for &value in &nav {
        ith_provenance::metric("nav", value);
    }
    let epoch_bars = bull_ith(&nav, config.hurdle).map_err(|e| e.to_string())?;
    Ok(Outcome {
        epoch_bars,
        final_nav: nav.last().copied().unwrap_or(f64::NAN),
    })
}

/// Bull ITH epoch detection. `#[fingerprint]` writes the NAV series'
/// `data.load` (numpy-compatible hash, shape, range, NaN count);
/// `#[config]` records the hurdle.
#[provenance(name = "bull_ith", version = "1.0.0", fingerprint_output)]
fn bull_ith(#[fingerprint] nav: &[f64], #[config] hurdle: f64) -> ith_provenance::Result<Vec<u64>> {
    let epochs = bull_epochs(nav, hurdle);
    let mut bars = Vec::with_capacity(epochs.len());
    let mut max_gain = f64::NAN;
    for epoch in epochs {
        bars.push(epoch.bar_index);
        max_gain = max_gain.max(epoch.excess_gain);
        ith_provenance::ith::log_epoch_detected(epoch)?;
    }
    if let Some(run) = ith_provenance::current_run() {
        run.record_metric("epochs", bars.len() as f64);
        run.record_metric("max_excess_gain", max_gain);
    }
    Ok(bars)
}

/// Reads a NAV series, one number a line, and records the file's
/// fingerprint (`sha256sum`'s digest) as a `data.load` of input `data`.
fn load_nav(path: &str) -> Result<Vec<f64>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let nav = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            l.trim()
                .parse::<f64>()
                .map_err(|e| format!("{path}:{}: {l:?} is not a number ({e})", i + 1))
        })
        .collect::<Result<Vec<f64>, String>>()?;
    if nav.is_empty() {
        return Err(format!("{path}: no values"));
    }
    let fp = ith_provenance::fingerprint_file(path).map_err(|e| e.to_string())?;
    let load = DataLoad::from_file(&fp, nav.len() as u64, vec!["nav".into()]).named("data");
    if let Some(run) = ith_provenance::current_run() {
        run.emit(&load).map_err(|e| e.to_string())?;
    }
    Ok(nav)
}

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(message) => {
            eprintln!(
                "ith_epochs: {message}\nusage: ith_epochs [--hurdle X] [--bars N] [--bump BAR] [--data PATH] [--save-data PATH]"
            );
            return ExitCode::from(2);
        }
    };
    let outcome = ith_experiment(&config);

    // The macro opened the session's log on the first annotated call.
    let Some(log) = EventLog::current() else {
        eprintln!("ith_epochs: no event log was opened");
        return ExitCode::FAILURE;
    };
    let ctx = log.context();
    println!("session   {}", ctx.session_id);
    println!(
        "root seed {} ({}): replay with PROVENANCE_SEED={}",
        ctx.root_seed.seed,
        ctx.root_seed.source,
        // The form the log writes the seed in: grep finds it there.
        ith_provenance::seed::Seed(ctx.root_seed.seed)
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
    match outcome {
        Ok(outcome) => {
            let bars = &outcome.epoch_bars;
            println!(
                "epochs    {} at bars {:?}{}",
                bars.len(),
                &bars[..bars.len().min(8)],
                if bars.len() > 8 { " …" } else { "" }
            );
            println!("final nav {:.6}", outcome.final_nav);
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("ith_epochs: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `--hurdle X`, `--bars N`, `--bump BAR`, each at most once.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<IthConfig, String> {
    let mut config = IthConfig {
        hurdle: 0.05,
        bars: 2_000,
        drift: 0.0004,
        volatility: 0.01,
        bump: None,
        data: None,
        save_data: None,
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |what: &str| format!("{flag} {value:?}: expected {what}");
        match flag.as_str() {
            "--hurdle" => {
                config.hurdle = value.parse().map_err(|_| bad("a number"))?;
                if !config.hurdle.is_finite() || config.hurdle < 0.0 {
                    return Err(bad("a finite number ≥ 0"));
                }
            }
            "--bars" => {
                config.bars = value.parse().map_err(|_| bad("a whole number"))?;
                if config.bars == 0 {
                    return Err(bad("at least 1 bar"));
                }
            }
            "--bump" => config.bump = Some(value.parse().map_err(|_| bad("a bar index"))?),
            "--data" => config.data = Some(value),
            "--save-data" => config.save_data = Some(value),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(config)
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
