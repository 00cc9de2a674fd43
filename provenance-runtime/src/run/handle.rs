//! [`Run`]: the handle to one call of a `#[provenance]` function, shared
//! by its clones, and what it knows about itself.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::SharedOutputs;
use super::identity;
use crate::log::{MetricStore, RunFields};
use crate::{EventLog, RootSeed, Sha256Hash};

/// One call of a [`#[provenance]`](crate::provenance) function. Cheap to
/// clone: clones share the run.
///
/// Every call of an annotated function is a *run*. It writes
/// `algorithm.init` (configuration, git state, root seed), a `data.load` per
/// `#[fingerprint]` argument, and — however the body ends: a value, an early
/// `return`, `?`, an `Err`, a panic — `algorithm.result`. While the body
/// runs, including every function it calls and every poll of an `async`
/// body, the run is [current](crate::current_run): each line the session's log
/// writes carries its `run_id` (and `parent_run_id` for a run nested in
/// another), and [`rng`](crate::rng)/[`seed`](crate::seed) hand out recorded, reproducible seeds
/// derived from the run's root seed.
///
/// The first annotated call of a process opens the session's log (where
/// `PROVENANCE_LOG` says, else `logs/provenance/<session_id>.ndjson`) unless
/// a log is [installed](crate::EventLog::install) already; installing one
/// first is how to choose the destination in code:
///
/// ```
/// use ith_provenance::{crate_info, provenance, EventLog, ProvenanceContext, log::MemorySink};
/// use serde::Serialize;
///
/// #[derive(Serialize)]
/// struct Params { window: usize }
///
/// /// Mean of the first `window` prices, with a recorded bootstrap seed.
/// #[provenance(experiment = "exp001", seed = 42)]
/// fn mean_price(#[fingerprint] prices: &[f64], #[config] params: Params) -> Result<f64, String> {
///     if params.window == 0 {
///         return Err("empty window".to_string());
///     }
///     let run = ith_provenance::current_run().expect("inside a run");
///     assert_eq!(run.id(), "mean_price#1"); // the first call of mean_price
///     let _rng = ith_provenance::rng("bootstrap"); // recorded as `seed.derived`
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
/// use ith_provenance::{crate_info, provenance, current_run, EventLog, ProvenanceContext, log::MemorySink};
///
/// #[provenance(seed = 7)]
/// fn outer() -> (String, Option<String>, u64) {
///     let run = current_run().unwrap();
///     run.record_metric("answer", 42.0);
///     let (inner_id, inner_parent) = inner();
///     assert_eq!(inner_parent.as_deref(), Some(run.id()));
///     (inner_id, run.parent_id().map(str::to_string), run.root_seed().seed)
/// }
///
/// #[provenance]
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
    /// `run_id` and `parent_run_id`: the envelope fields the log adds to
    /// the lines written while this run is current.
    fields: Arc<RunFields>,
    input_hashes: BTreeMap<String, Sha256Hash>,
    recorded: Mutex<Recorded>,
    /// Its `data.save`s, which its `algorithm.result` lists.
    outputs: SharedOutputs,
    /// Its metric series, written by whichever thread fills a batch, the
    /// log's flush, or its `algorithm.result`, which summarizes them.
    metrics: Arc<MetricStore>,
    /// The runs started under this one, for their identities.
    children: identity::Siblings,
}

impl Drop for RunInner {
    /// Points recorded after the run's end (by a thread still holding the
    /// run, or as that thread exits) are written when the run's last
    /// handle goes, rather than lost with its series.
    fn drop(&mut self) {
        let log = &self.log;
        self.metrics
            .flush(&mut |batch, run| log.emit_metrics(batch, run));
    }
}

#[derive(Debug, Default)]
pub(super) struct Recorded {
    pub(super) random_seeds: BTreeMap<String, u64>,
    pub(super) final_metrics: BTreeMap<String, f64>,
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
        let fields = Arc::new(RunFields::new(log.session_id(), &id, parent_id.as_deref()));
        let metrics = Arc::new(MetricStore::new(Some(fields.clone())));
        Run {
            inner: Arc::new(RunInner {
                id,
                parent_id,
                algorithm_name,
                log,
                root_seed,
                fields,
                input_hashes,
                recorded: Mutex::new(Recorded::default()),
                outputs: SharedOutputs::default(),
                metrics,
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

    /// The seeds handed out so far, by component.
    pub fn random_seeds(&self) -> BTreeMap<String, u64> {
        self.recorded().random_seeds.clone()
    }

    /// The `#[fingerprint]` arguments' hashes, by argument name.
    pub fn input_hashes(&self) -> &BTreeMap<String, Sha256Hash> {
        &self.inner.input_hashes
    }

    pub(super) fn fields(&self) -> &Arc<RunFields> {
        &self.inner.fields
    }

    /// The runs started under this one, for their identities.
    pub(super) fn children(&self) -> &identity::Siblings {
        &self.inner.children
    }

    /// The run's outputs, shared with its `AlgorithmRun`.
    pub(crate) fn outputs(&self) -> &SharedOutputs {
        &self.inner.outputs
    }

    /// The run's metric series, shared with its `AlgorithmRun`.
    pub(crate) fn metrics(&self) -> &Arc<MetricStore> {
        &self.inner.metrics
    }

    pub(crate) fn final_metrics(&self) -> BTreeMap<String, f64> {
        self.recorded().final_metrics.clone()
    }

    pub(super) fn recorded(&self) -> std::sync::MutexGuard<'_, Recorded> {
        // Maps of plain values: consistent even if a holder panicked.
        self.inner
            .recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
