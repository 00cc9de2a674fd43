//! The run of a `#[provenance]` function: its id, seeds and metrics, current
//! for the body's whole dynamic extent.
//!
//! The public face is [`Run`], [`current_run`], [`rng`] and [`seed`];
//! [`Run`]'s documentation walks through a whole session.
//!
//! `docs/PROVENANCE_MACRO.md` describes the options, the argument markers,
//! the seed order and what is written when.

mod carry;
mod current;
pub(crate) mod guard;
mod identity;
mod seed_event;
mod session;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use rand_chacha::ChaCha20Rng;

use crate::{
    Event, EventLog, LogError, RootSeed, Seed, Sha256Hash, derive_run_seed, rng_from_seed,
};

pub use carry::{Entered, Instrumented};
pub(crate) use current::in_session as current_in_session;
pub use seed_event::SeedDerived;

/// One call of a [`#[provenance]`](crate::provenance) function. Cheap to
/// clone: clones share the run.
///
/// Every call of an annotated function is a *run*. It writes
/// `algorithm.init` (configuration, git state, root seed), a `data.load` per
/// `#[fingerprint]` argument, and — however the body ends: a value, an early
/// `return`, `?`, an `Err`, a panic — `algorithm.result`. While the body
/// runs, including every function it calls and every poll of an `async`
/// body, the run is [current](current_run): each line the session's log
/// writes carries its `run_id` (and `parent_run_id` for a run nested in
/// another), and [`rng`]/[`seed`] hand out recorded, reproducible seeds
/// derived from the run's root seed.
///
/// The first annotated call of a process opens the session's log (where
/// `PROVENANCE_LOG` says, else `logs/provenance/<session_id>.ndjson`) unless
/// a log is [installed](crate::EventLog::install) already; installing one
/// first is how to choose the destination in code:
///
/// ```
/// use provenance_runtime::{crate_info, provenance, EventLog, MemorySink, ProvenanceContext};
/// use serde::Serialize;
///
/// #[derive(Serialize)]
/// struct Params { window: usize }
///
/// /// Mean of the first `window` prices, with a recorded bootstrap seed.
/// #[provenance(crate = "provenance_runtime", experiment = "exp001", seed = 42)]
/// fn mean_price(#[fingerprint] prices: &[f64], #[config] params: Params) -> Result<f64, String> {
///     if params.window == 0 {
///         return Err("empty window".to_string());
///     }
///     let run = provenance_runtime::current_run().expect("inside a run");
///     assert_eq!(run.id(), "mean_price#1"); // the first call of mean_price
///     let _rng = provenance_runtime::rng("bootstrap"); // recorded as `seed.derived`
///     let window = &prices[..params.window.min(prices.len())];
///     Ok(window.iter().sum::<f64>() / window.len() as f64)
/// }
///
/// let ctx = ProvenanceContext::builder(crate_info!()).experiment_id("exp001").build()?;
/// let sink = MemorySink::new();
/// let _log = EventLog::builder().memory(&sink).open(&ctx)?.install();
///
/// assert_eq!(mean_price(&[1.0, 2.0, 3.0], Params { window: 2 }), Ok(1.5));
/// assert!(mean_price(&[1.0], Params { window: 0 }).is_err());
///
/// let lines: Vec<serde_json::Value> = sink.lines().iter()
///     .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
///     .filter(|l| l["event_type"] != "event.schema") // each type's schema, once
///     .collect();
/// let types: Vec<&str> = lines.iter().map(|l| l["event_type"].as_str().unwrap()).collect();
/// assert_eq!(types, [
///     "session.start",
///     "algorithm.init", "data.load", "seed.derived", "algorithm.result", // mean_price#1: ok
///     "algorithm.init", "data.load", "algorithm.result",                 // mean_price#2: error
/// ]);
/// assert_eq!((&lines[1]["run_id"], &lines[1]["config"]["window"]), (&"mean_price#1".into(), &2.into()));
/// assert_eq!(lines[4]["status"], "ok");
/// assert_eq!((&lines[7]["run_id"], &lines[7]["error"]), (&"mean_price#2".into(), &"empty window".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
///
/// Nested calls, the current run and metrics:
///
/// ```
/// use provenance_runtime::{crate_info, provenance, current_run, EventLog, MemorySink, ProvenanceContext};
///
/// #[provenance(crate = "provenance_runtime", seed = 7)]
/// fn outer() -> (String, Option<String>, u64) {
///     let run = current_run().unwrap();
///     run.record_metric("answer", 42.0);
///     let (inner_id, inner_parent) = inner();
///     assert_eq!(inner_parent.as_deref(), Some(run.id()));
///     (inner_id, run.parent_id().map(str::to_string), run.root_seed().seed)
/// }
///
/// #[provenance(crate = "provenance_runtime")]
/// fn inner() -> (String, Option<String>) {
///     let run = current_run().unwrap();
///     (run.id().to_string(), run.parent_id().map(str::to_string))
/// }
///
/// let ctx = ProvenanceContext::builder(crate_info!()).build()?;
/// let sink = MemorySink::new();
/// let _log = EventLog::builder().memory(&sink).open(&ctx)?.install();
///
/// assert!(current_run().is_none());
/// assert_eq!(outer(), ("outer#1/inner#1".to_string(), None, 7));
/// assert!(sink.contents().contains(r#""final_metrics":{"answer":42.0}"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Run {
    inner: Arc<RunInner>,
}

#[derive(Debug)]
struct RunInner {
    id: String,
    parent_id: Option<String>,
    algorithm_name: &'static str,
    log: EventLog,
    root_seed: RootSeed,
    /// `,"run_id":"a#1/b#1","parent_run_id":"a#1"`: the envelope fields the
    /// log adds to the lines written while this run is current.
    envelope: Box<[u8]>,
    input_hashes: BTreeMap<String, Sha256Hash>,
    recorded: Mutex<Recorded>,
    /// The runs started under this one, for their identities.
    children: identity::Siblings,
}

#[derive(Debug, Default)]
struct Recorded {
    random_seeds: BTreeMap<String, u64>,
    final_metrics: BTreeMap<String, f64>,
}

impl Run {
    pub(crate) fn new(
        id: String,
        parent_id: Option<String>,
        algorithm_name: &'static str,
        log: EventLog,
        root_seed: RootSeed,
        input_hashes: BTreeMap<String, Sha256Hash>,
    ) -> Run {
        // Names may hold anything a string literal can: escape them.
        let quoted = |s: &str| serde_json::to_string(s).expect("a string serializes");
        let mut envelope = format!(",\"run_id\":{}", quoted(&id));
        if let Some(parent) = &parent_id {
            envelope.push_str(&format!(",\"parent_run_id\":{}", quoted(parent)));
        }
        Run {
            inner: Arc::new(RunInner {
                id,
                parent_id,
                algorithm_name,
                log,
                root_seed,
                envelope: envelope.into_bytes().into_boxed_slice(),
                input_hashes,
                recorded: Mutex::new(Recorded::default()),
                children: identity::Siblings::default(),
            }),
        }
    }

    /// The run's identity, `ith_experiment#1/bull_ith#1`: its parent's id,
    /// its name, and what tells it apart from its siblings. Unique within
    /// the session, and the same call gets the same id in every execution of
    /// the same program, however threads are scheduled; see
    /// `docs/PROVENANCE_MACRO.md` for the rule and its one exception
    /// (identical parallel calls).
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// The id of the run this one is nested in: the annotated call that was
    /// current when this one started.
    pub fn parent_id(&self) -> Option<&str> {
        self.inner.parent_id.as_deref()
    }

    /// The `algorithm_name` written in `algorithm.init`.
    pub fn algorithm_name(&self) -> &str {
        self.inner.algorithm_name
    }

    /// The log the run writes to.
    pub fn log(&self) -> &EventLog {
        &self.inner.log
    }

    /// The run's root seed and where it came from: the annotation's
    /// `seed`, else `PROVENANCE_SEED`, else the session's root seed.
    pub fn root_seed(&self) -> RootSeed {
        self.inner.root_seed
    }

    /// The seed of `component`, [derived](crate::derive_run_seed) from the
    /// run's root seed, the run's [id](Self::id) and the name: every call
    /// gets its own stream, and the same root seed reproduces each. The
    /// first time a run hands out a component's seed it writes a
    /// [`SeedDerived`] event.
    pub fn seed(&self, component: &str) -> u64 {
        let seed = derive_run_seed(self.inner.root_seed.seed, &self.inner.id, component);
        let first_time = self
            .recorded()
            .random_seeds
            .insert(component.to_string(), seed)
            .is_none();
        if first_time {
            // A failing log has reported itself; the seed is still good.
            let _ = self.emit(&SeedDerived {
                component: component.to_string(),
                seed: Seed(seed),
                root_seed: Seed(self.inner.root_seed.seed),
                root_seed_source: self.inner.root_seed.source,
            });
        }
        seed
    }

    /// A ChaCha20 generator for `component`, from [`seed`](Self::seed)
    /// (recorded). Asking twice gives two generators at the same start.
    pub fn rng(&self, component: &str) -> ChaCha20Rng {
        rng_from_seed(self.seed(component))
    }

    /// The seeds handed out so far, by component.
    pub fn random_seeds(&self) -> BTreeMap<String, u64> {
        self.recorded().random_seeds.clone()
    }

    /// The `#[fingerprint]` arguments' hashes, by argument name.
    pub fn input_hashes(&self) -> &BTreeMap<String, Sha256Hash> {
        &self.inner.input_hashes
    }

    /// Records a metric, written in `algorithm.result`'s `final_metrics`
    /// when the run ends normally (the last value given for a name wins).
    pub fn record_metric(&self, name: &str, value: f64) {
        self.recorded()
            .final_metrics
            .insert(name.to_string(), value);
    }

    /// Writes an event to the run's log with the run's ids, from any
    /// thread (a thread the run's body spawned, say, where the run is not
    /// current).
    ///
    /// # Errors
    /// As [`EventLog::emit`].
    pub fn emit<E: Event + ?Sized>(&self, event: &E) -> Result<(), LogError> {
        let _scope = current::Scope::enter(self.clone());
        self.inner.log.emit(event)
    }

    pub(crate) fn envelope_fields(&self) -> &[u8] {
        &self.inner.envelope
    }

    pub(crate) fn final_metrics(&self) -> BTreeMap<String, f64> {
        self.recorded().final_metrics.clone()
    }

    fn recorded(&self) -> std::sync::MutexGuard<'_, Recorded> {
        // Maps of plain values: consistent even if a holder panicked.
        self.inner
            .recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The run current on this thread: inside a `#[provenance]` function's body
/// and everything it calls (in an `async` body, on every poll), and where a
/// run was carried with [`Run::enter`], [`Run::in_scope`] or
/// [`Run::instrument`]. `None` elsewhere, including threads and tasks the
/// body spawns without carrying its run.
pub fn current_run() -> Option<Run> {
    current::get()
}

/// Writes an event to the current run (with its `run_id`), or, outside any
/// run, to the installed session log: a loop body needs no
/// `current_run().unwrap()`.
///
/// ```
/// use provenance_runtime::{crate_info, emit, provenance, Event, EventLog, MemorySink, ProvenanceContext};
/// use serde::Serialize;
///
/// #[derive(Serialize, Event)]
/// #[event(name = "path.done", version = 1, crate = "provenance_runtime")]
/// struct PathDone { steps: u32 }
///
/// #[provenance(crate = "provenance_runtime", seed = 1)]
/// fn simulate() -> provenance_runtime::Result<()> {
///     emit(&PathDone { steps: 10 })?;
///     Ok(())
/// }
///
/// let ctx = ProvenanceContext::builder(crate_info!()).build()?;
/// let sink = MemorySink::new();
/// let log = EventLog::builder().memory(&sink).open(&ctx)?;
/// let _installed = log.install();
/// simulate()?;
/// emit(&PathDone { steps: 0 })?; // no run: a session-level line
/// log.flush()?;
/// let done: Vec<String> = sink.lines().into_iter().filter(|l| l.contains(r#""event_type":"path.done""#)).collect();
/// assert!(done[0].contains(r#""run_id":"simulate#1""#));
/// assert!(!done[1].contains("run_id"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`LogError::NoLog`] outside any run when no log is installed; as
/// [`EventLog::emit`].
pub fn emit<E: Event + ?Sized>(event: &E) -> Result<(), LogError> {
    if let Some(run) = current::get() {
        return run.log().emit(event);
    }
    match EventLog::current() {
        Some(log) => log.emit(event),
        None => Err(LogError::NoLog {
            event_type: E::EVENT_TYPE,
        }),
    }
}

/// A ChaCha20 generator for `component` from the current run's root seed:
/// [`Run::rng`] of [`current_run`]. The seed is recorded (`seed.derived`).
///
/// # Panics
/// Outside a `#[provenance]` function, where there is no run to derive the
/// seed from and record it in; use [`RootSeed::rng`] or
/// [`ProvenanceContext::rng`](crate::ProvenanceContext::rng) there.
pub fn rng(component: &str) -> ChaCha20Rng {
    rng_from_seed(seed(component))
}

/// The seed of `component` from the current run's root seed: [`Run::seed`]
/// of [`current_run`] (recorded as `seed.derived`).
///
/// # Panics
/// Outside a `#[provenance]` function; see [`rng`].
pub fn seed(component: &str) -> u64 {
    match current::get() {
        Some(run) => run.seed(component),
        None => panic!(
            "provenance::seed({component:?}) / provenance::rng({component:?}) called outside a \
             #[provenance] function: there is no run to derive the seed from; use \
             RootSeed::rng or ProvenanceContext::rng there"
        ),
    }
}
