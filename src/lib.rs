//! Reproducible experiments from their logs alone.
//!
//! This is the crate users depend on. Its root holds what an experiment
//! reaches for — the three macros, the current [`Run`] and its [`rng`] and
//! [`seed()`], [`emit`], [`record_output`], [`EventLog`], [`ProvenanceContext`], the hashes —
//! and its modules the rest, by job: [`run`], [`log`], [`events`], [`ith`]
//! (the original Python module's events and `log_*` functions),
//! [`fingerprint`], [`seed`](mod@seed), [`git`], [`context`], [`config`].
//! Months after a run, its
//! NDJSON log answers "what exactly produced this number?": the commit and
//! its uncommitted edits, the configuration and its canonical hash, the
//! inputs' fingerprints, every seed and where it came from, the machine and
//! the compiler.
//!
//! # `#[provenance]`: an experiment that records itself
//!
//! Put it on the function that runs an experiment. Mark the arguments that
//! are its inputs (`#[fingerprint]`) and its configuration (`#[config]`).
//! Every call is then a *run*: `algorithm.init` (configuration,
//! `config_hash`, git commit and dirty flag, root seed), one `data.load` per
//! input, whatever the body logs, and `algorithm.result` however the body
//! ends (`ok`, `error` with the error's message, `panic`).
//!
//! ```
//! use ith_provenance::{provenance, EventLog, ProvenanceContext, crate_info, log::MemorySink};
//! use serde::Serialize;
//!
//! #[derive(Serialize)]
//! struct Params {
//!     window: usize,
//! }
//!
//! #[provenance(experiment = "exp001", seed = 42, fingerprint_output)]
//! fn mean_price(#[fingerprint] prices: &[f64], #[config] params: &Params) -> Result<f64, String> {
//!     if params.window == 0 {
//!         return Err("empty window".into()); // status "error", with this message
//!     }
//!     // A generator whose seed derives from 42, this run's id and "bootstrap"; recorded.
//!     let _rng = ith_provenance::rng("bootstrap");
//!     let window = &prices[..params.window.min(prices.len())];
//!     Ok(window.iter().sum::<f64>() / window.len() as f64)
//! }
//!
//! // Without this, the first call opens `logs/provenance/<session>.ndjson`
//! // (or what PROVENANCE_LOG says); here the log goes to memory.
//! let ctx = ProvenanceContext::builder(crate_info!()).experiment_id("exp001").build()?;
//! let sink = MemorySink::new();
//! let _installed = EventLog::builder().memory(&sink).open(&ctx)?.install();
//!
//! assert_eq!(mean_price(&[1.0, 2.0, 3.0], &Params { window: 2 }), Ok(1.5));
//!
//! let lines: Vec<serde_json::Value> =
//!     sink.lines().iter().map(|l| serde_json::from_str(l).unwrap()).collect();
//! let of = |t: &str| lines.iter().find(|l| l["event_type"] == t).unwrap();
//! assert_eq!(of("algorithm.init")["config"]["window"], 2);
//! // Seeds are written "0x" + 16 hex digits: every reader keeps them exact.
//! assert_eq!(of("algorithm.init")["random_seed"], "0x000000000000002a");
//! assert_eq!(of("data.load")["input_name"], "prices");
//! assert_eq!(of("data.load")["dtype"], "float64");
//! assert_eq!(of("seed.derived")["component"], "bootstrap");
//! assert_eq!(of("algorithm.result")["status"], "ok");
//! assert_eq!(of("algorithm.result")["run_id"], "mean_price#1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Files are recorded by their bytes: `#[fingerprint(file)]` on a path
//! argument streams the file through SHA-256 before the body runs (a
//! `data.load` with its absolute path, size and the working directory), and
//! [`record_output`] in the body, or `output_file` on a function returning
//! the path it wrote, records a file the run produced (a `data.save`, listed
//! in the run's `algorithm.result` `outputs`):
//!
//! ```
//! use std::path::{Path, PathBuf};
//! use ith_provenance::{provenance, EventLog, ProvenanceContext, crate_info, log::MemorySink};
//!
//! #[provenance(output_file)]
//! fn count_rows(#[fingerprint(file)] prices: &Path, out_dir: &Path) -> std::io::Result<PathBuf> {
//!     let rows = std::fs::read_to_string(prices)?.lines().count() - 1;
//!     let out = out_dir.join("rows.txt");
//!     std::fs::write(&out, format!("{rows}\n"))?;
//!     Ok(out)
//! }
//!
//! let dir = tempfile::tempdir()?;
//! let prices = dir.path().join("prices.csv");
//! std::fs::write(&prices, "t,close\n0,101.5\n1,102.0\n")?;
//! let ctx = ProvenanceContext::builder(crate_info!()).build()?;
//! let sink = MemorySink::new();
//! let _installed = EventLog::builder().memory(&sink).open(&ctx)?.install();
//!
//! count_rows(&prices, dir.path())?;
//!
//! let lines: Vec<serde_json::Value> =
//!     sink.lines().iter().map(|l| serde_json::from_str(l).unwrap()).collect();
//! let of = |t: &str| lines.iter().find(|l| l["event_type"] == t).unwrap();
//! assert_eq!(of("data.load")["source_path"], prices.display().to_string());
//! assert_eq!(of("data.load")["size_bytes"], 24);
//! assert_eq!(of("data.save")["output_name"], "rows.txt");
//! assert_eq!(of("algorithm.result")["outputs"][0]["target_path"], of("data.save")["target_path"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! It works on `async fn` (the run follows the future across `.await` and
//! threads), methods, generic functions and `impl Trait`. Options
//! (`experiment`, `seed`, `name`, `version`, `strict`, `fingerprint_output`,
//! `output_file`, `crate`), the seed order (`seed = …`, then `PROVENANCE_SEED`, then the
//! session's) and what is written when: [`provenance`](macro@provenance)
//! and `docs/PROVENANCE_MACRO.md`.
//!
//! # `#[derive(Fingerprint)]`: stable hashes of your own types
//!
//! A SHA-256 of a value, identical on every platform, word size and
//! release, and unambiguous (`Some(0)`, `None` and `0` differ). Numeric
//! vectors inside are hashed in bulk. Reordering named fields keeps the
//! fingerprint; renaming one changes it unless `#[fingerprint(rename =
//! "old")]` keeps the old name.
//!
//! ```
//! use ith_provenance::Fingerprint;
//!
//! #[derive(Fingerprint)]
//! struct Model {
//!     layers: Vec<u32>,
//!     optimizer: Optimizer,
//!     #[fingerprint(skip)] // not part of what the model is
//!     verbose: bool,
//! }
//!
//! #[derive(Fingerprint)]
//! enum Optimizer {
//!     Adam,
//!     Sgd { momentum: f64 },
//! }
//!
//! let a = Model { layers: vec![64, 32], optimizer: Optimizer::Adam, verbose: false };
//! let b = Model { layers: vec![64, 32], optimizer: Optimizer::Adam, verbose: true };
//! let c = Model { layers: vec![64, 32], optimizer: Optimizer::Sgd { momentum: 0.9 }, verbose: false };
//! assert_eq!(a.fingerprint(), b.fingerprint());
//! assert_ne!(a.fingerprint(), c.fingerprint());
//! assert!(a.fingerprint().to_string().starts_with("sha256:"));
//! ```
//!
//! The encoding is specified in `docs/VALUE_FINGERPRINT.md`; arrays
//! ([`fingerprint_array`]) hash exactly as numpy's
//! `hashlib.sha256(arr.tobytes())`.
//!
//! # `#[derive(Event)]`: your own events, with a schema
//!
//! An event type declares its name and version. The compiler rejects a
//! field named like an envelope field (`ts`, `seq`, …) or of a type with no
//! JSON Schema; every type is registered, so [`schemas`] lists them, and a
//! log writes each type's schema before its first event: a log can be
//! validated without the program that wrote it.
//!
//! ```
//! use ith_provenance::{Event, EventLog, ProvenanceContext, crate_info, log::MemorySink};
//!
//! #[derive(serde::Serialize, Event)]
//! #[event(name = "training.checkpoint", version = 1)]
//! struct Checkpoint {
//!     step: u64,
//!     loss: f64,
//! }
//!
//! let ctx = ProvenanceContext::builder(crate_info!()).seed(1).build()?;
//! let sink = MemorySink::new();
//! let log = EventLog::builder().memory(&sink).open(&ctx)?;
//! log.emit(&Checkpoint { step: 100, loss: f64::NAN })?; // NaN: null, named at the end
//! log.flush()?; // buffered by default: flushed on a size or time threshold, on drop, at exit
//!
//! let lines = sink.lines();
//! assert!(lines[1].contains(r#""event_type":"event.schema""#));
//! assert!(lines[2].contains(r#""event_type":"training.checkpoint""#));
//! assert!(lines[2].ends_with(
//!     r#""step":100,"loss":null,"non_finite":[{"pointer":"/loss","value":"NaN"}]}"#
//! ));
//! assert!(ith_provenance::schemas()?.iter().any(|s| s.name == "training.checkpoint"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # By hand
//!
//! Everything the macros do is available directly: [`ProvenanceContext`],
//! [`fingerprint_array`], [`fingerprint_file`], [`config_hash`],
//! [`seed::RootSeed`] and [`seed::capture_random_state`], [`EventLog`] and
//! the `log_*` functions of the original Python module ([`ith`]).
//!
//! ```
//! let fp = ith_provenance::fingerprint_array(&[1.0_f64, 2.0, f64::NAN]);
//! assert_eq!(fp.dtype, "float64");
//! assert_eq!(fp.n_nans, 1);
//! ```
//!
//! The README has a tour; `docs/` specifies every hash and the log format.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The items a user reaches for: the macros, a run and its streams, the log,
// the context, and the hashes.
pub use ith_provenance_runtime::{
    Error, Event, EventLog, Fingerprint, ProvenanceContext, Result, Run, Sha256Hash, config_hash,
    crate_info, current_run, emit, fingerprint_array, fingerprint_file, metric, metric_at,
    provenance, record_output, rng, schemas, seed,
};

#[doc(hidden)]
pub use ith_provenance_runtime::__private;

/// A `#[provenance]` run, by hand: carrying it to other threads and tasks.
///
/// Inside a run, [`rng`], [`seed`](fn@crate::seed) and
/// [`emit`] use the current run; [`Run`] (from
/// [`current_run`]) carries it to a spawned thread
/// ([`Run::enter`], [`Run::in_scope`]) or a future ([`Run::instrument`]).
pub mod run {
    pub use ith_provenance_runtime::{
        Entered, Instrumented, Run, current_run, emit, metric, metric_at, record_output, rng, seed,
    };
}

/// The event log: NDJSON lines, written fast and never lost silently
/// (`docs/CONTRACT.md`).
///
/// [`EventLog`] opens a session's log; the builder chooses the destination
/// ([`LogTarget`](crate::log::LogTarget), `PROVENANCE_LOG`), the
/// [`Durability`](crate::log::Durability) and strictness.
pub mod log {
    pub use ith_provenance_runtime::{
        AlgorithmRun, BATCH_POINTS, CONTRACT_VERSION, Clock, Durability, EventLog, EventLogBuilder,
        InstallGuard, LOG_ENV, LogError, LogSummary, LogTarget, MemorySink, QUIET_ENV, STRICT_ENV,
        SystemClock, default_log_path, dropped_metric_points, format_timestamp,
    };
}

/// Event types: the built-in ones, the [`Event`] trait and derive, and the
/// schemas every log carries.
pub mod events {
    pub use ith_provenance_runtime::{
        AlgorithmInit, AlgorithmResult, DataLoad, DataSave, ENVELOPE_FIELDS, Event, EventSchema,
        EventSchemaLine, FieldSchema, MetricSummary, Metrics, OPTIONAL_ENVELOPE_FIELDS, OutputFile,
        RegistryError, RunStatus, SeedDerived, SessionStart, schemas,
    };
}

/// The original Python module's ITH events and `log_*` functions
/// (`ith_python.telemetry`), together, so its users find them where they
/// were: `log_data_load`, `log_algorithm_init`, `log_epoch_detected`,
/// `log_hypothesis_result`, [`EpochDetected`](crate::ith::EpochDetected) and
/// [`HypothesisResult`](crate::ith::HypothesisResult).
/// The general `data.load` and `algorithm.init` events are
/// [`DataLoad`](crate::events::DataLoad) and
/// [`AlgorithmInit`](crate::events::AlgorithmInit).
pub mod ith {
    pub use ith_provenance_runtime::{
        EpochDetected, HypothesisResult, PositionType, log_algorithm_init, log_data_load,
        log_epoch_detected, log_hypothesis_result,
    };
}

/// Stable SHA-256 fingerprints: arrays (numpy's `sha256(arr.tobytes())`),
/// files, and any value (`#[derive(Fingerprint)]`, `docs/VALUE_FINGERPRINT.md`).
pub mod fingerprint {
    pub use ith_provenance_runtime::{
        ArrayData, ArrayElement, ArrayFingerprint, FileFingerprint, Fingerprint, Fingerprinter,
        HASH_PREFIX, PackedElement, Scalar, Sha256Hash, StructEncoder, TupleEncoder,
        VALUE_FINGERPRINT_PREFIX, fingerprint_array, fingerprint_file,
    };
}

/// Seeds and random streams (`docs/SEEDS.md`): the root seed and where it
/// came from, derived component seeds, ChaCha20 generators, and capturing
/// a generator's state. Inside a run, use [`rng`] and
/// [`seed`](fn@crate::seed); these are for seeds by hand.
pub mod seed {
    pub use ith_provenance_runtime::rand_chacha::ChaCha20Rng;
    pub use ith_provenance_runtime::{
        CaptureRandomState, ParseSeedError, RandomState, RootSeed, SEED_ENV, Seed, SeedSource,
        capture_random_state, derive_run_seed, derive_seed, rng_from_seed,
    };
}

/// The git state of the experiment's source: commit, branch, dirty flag,
/// the paths that make it dirty and diff hash, read when the experiment
/// crate is compiled and again, once per process, when it runs
/// (`docs/GIT.md`).
pub mod git {
    pub use ith_provenance_runtime::{
        CapturedAt, DIRTY_PATHS_CAP, DirtyPath, GitInfo, GitSearchStart, PATCH_ENV, PatchInfo,
        PathStatus, capture_git, git_info, prefetch_git,
    };
}

/// The provenance context of a session and what it records about the
/// machine and the build (`docs/CONTEXT.md`).
pub mod context {
    pub use ith_provenance_runtime::{
        BuildInfo, CargoBuild, CargoLockInfo, CrateInfo, Dependency, ENV_NAMES_VAR,
        HASH_KEY_FILE_ENV, HostInfo, KEYED_HASH_PREFIX, ProvenanceBuilder, ProvenanceContext,
        REDACT_NAMES_VAR, REDACTED, RUSTC_VERSION, SECRET_NAME_PARTS, SecretNames, THREAD_ENV_VARS,
        Toolchain, WorkingDir, looks_secret,
    };
}

/// The `tracing` layer: events a program raises with `tracing` inside a run
/// written into its log, `metric.<name>` fields as metric series (the
/// `tracing` feature).
#[cfg(feature = "tracing")]
pub mod tracing {
    pub use ith_provenance_runtime::{
        FieldValue, METRIC_FIELD_PREFIX, ProvenanceLayer, STEP_FIELD, TracingRecord,
    };
}

/// Configuration hashing: RFC 8785 canonical JSON and its SHA-256
/// (`docs/CONFIG_HASH.md`).
pub mod config {
    pub use ith_provenance_runtime::{canonical_json, config_hash, strict_json_value};
}

/// The README's code blocks run as doctests, so the quick start cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
