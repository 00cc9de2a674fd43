//! The quick start: capture the full provenance of an experiment by hand.
//!
//! Ports the original Python module's Quick Start (create a
//! `ProvenanceContext`, fingerprint the loaded data, record the
//! configuration and seeds) and prints what a log would carry.
//!
//! Run: `cargo run --example quickstart` (set `PROVENANCE_SEED=<n>` to replay
//! a run whose seed was drawn fresh).

use ith_provenance::{
    ProvenanceContext, crate_info, fingerprint_array, seed::capture_random_state,
};
use rand_core::Rng;
use serde::Serialize;

/// The experiment's configuration: hashed canonically, so the same values
/// give the same `config_hash` in any language.
#[derive(Serialize)]
struct Config {
    hurdle: f64,
    window: u32,
    columns: Vec<&'static str>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Build the context: session id, git state, host, crate, rustc, seed.
    let mut ctx = ProvenanceContext::builder(crate_info!())
        .experiment_id("exp001")
        .build()?;

    // "Load" a data set: a random-walk NAV series, reproducible from the seed.
    let mut rng = ctx.rng("data");
    let mut nav = Vec::with_capacity(1000);
    let mut level = 1.0_f64;
    for _ in 0..1000 {
        let step = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        level *= 1.0 + step * 0.02;
        nav.push(level);
    }

    // Fingerprint it (recorded under "nav"); the sha256 equals numpy's
    // hashlib.sha256(np.asarray(nav).tobytes()).
    let fp = ctx.fingerprint_array("nav", &nav);

    let config = Config {
        hurdle: 0.05,
        window: 20,
        columns: vec!["timestamp_ms", "close", "volume"],
    };
    ctx.set_config_hash(&config)?;

    // A component's generator: its seed derives from the root seed and its
    // name alone, and is recorded.
    let mut bootstrap = ctx.rng("bootstrap");
    let _first_draw = bootstrap.next_u32();
    let state = capture_random_state(&bootstrap);

    println!("data fingerprint:\n{}", serde_json::to_string_pretty(&fp)?);
    println!(
        "bootstrap rng state:\n{}",
        serde_json::to_string_pretty(&state)?
    );
    println!(
        "provenance context:\n{}",
        serde_json::to_string_pretty(&ctx)?
    );

    // The one-line answer to "what produced this?".
    let sha = ctx.git.short_sha.as_deref().unwrap_or("no commit");
    let dirty = if ctx.git.dirty == Some(true) {
        " (dirty)"
    } else {
        ""
    };
    println!(
        "\n{} of {} at {sha}{dirty}, root seed {} ({}); replay with PROVENANCE_SEED={}",
        ctx.session_id,
        ctx.experiment_id.as_deref().unwrap_or("-"),
        ctx.root_seed.seed,
        ctx.root_seed.source,
        // The form the log writes the seed in: grep finds it there.
        ith_provenance::seed::Seed(ctx.root_seed.seed),
    );
    assert_eq!(fingerprint_array(&nav).sha256, ctx.input_hashes["nav"]);
    Ok(())
}
