//! A run by hand, for code that cannot be annotated: [`AlgorithmRun`],
//! from the `algorithm.init` that [`EventLog::start_algorithm`] writes to
//! the `algorithm.result` it writes however the run ends.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use serde::Serialize;

use super::StartOrder;
use crate::log::{MetricStore, last_panic_message};
use crate::{
    AlgorithmInit, AlgorithmResult, EventLog, LogError, OutputFile, Result, RunStatus, Sha256Hash,
    config_hash, strict_json_value,
};

impl EventLog {
    /// Writes `algorithm.init` and returns the run's guard, which writes the
    /// matching `algorithm.result` — `ok`, `error`, or `panic` if the thread
    /// unwinds before the run is finished — and flushes.
    ///
    /// ```
    /// use ith_provenance::{crate_info, EventLog, ProvenanceContext, events::RunStatus, log::MemorySink};
    ///
    /// let ctx = ProvenanceContext::builder(crate_info!()).seed(3).build()?;
    /// let sink = MemorySink::new();
    /// let log = EventLog::builder().memory(&sink).open(&ctx)?;
    /// let run = log.start_algorithm(log.algorithm_init("bull_ith", "1.0", &[("hurdle", 0.05)], None, Some(3))?)?;
    /// let result = run.finish_ok([("epochs".to_string(), 4.0)].into(), None)?;
    /// assert_eq!(result.status, RunStatus::Ok);
    /// // session.start, then each event type's `event.schema` line before its first line.
    /// assert!(sink.lines()[4].contains(r#""event_type":"algorithm.result""#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`emit`](Self::emit).
    pub fn start_algorithm(&self, init: AlgorithmInit) -> Result<AlgorithmRun, LogError> {
        self.emit(&init)?;
        Ok(AlgorithmRun {
            log: self.clone(),
            started: Instant::now(),
            finished: false,
            outputs: SharedOutputs::default(),
            metrics: None,
            start_order: None,
        })
    }

    /// Builds an `algorithm.init` event (without writing it): the
    /// configuration as strict JSON with its [`config_hash`], and the git
    /// commit and dirty flag of this log's context.
    ///
    /// # Errors
    /// [`Error::Config`](crate::Error::Config) naming the field JSON cannot
    /// hold.
    pub fn algorithm_init<C: Serialize + ?Sized>(
        &self,
        algorithm_name: &str,
        version: &str,
        config: &C,
        input_hash: Option<Sha256Hash>,
        random_seed: Option<u64>,
    ) -> Result<AlgorithmInit> {
        let git = &self.context().git;
        Ok(AlgorithmInit {
            algorithm_name: algorithm_name.to_string(),
            version: version.to_string(),
            random_seed: random_seed.map(crate::Seed),
            config: strict_json_value(config)?,
            config_hash: config_hash(config)?,
            input_hash,
            git_sha: git.sha.clone(),
            git_dirty: git.dirty,
            identity_from_start_order: false,
        })
    }
}

/// A running algorithm; see [`EventLog::start_algorithm`]. Finish it with
/// [`finish_ok`](Self::finish_ok) or [`finish_error`](Self::finish_error).
#[must_use = "dropping the run writes an `algorithm.result` at once"]
#[derive(Debug)]
pub struct AlgorithmRun {
    log: EventLog,
    started: Instant,
    finished: bool,
    /// The run's `data.save`s so far, listed in its `algorithm.result`;
    /// shared with the `#[provenance]` run that records them.
    outputs: SharedOutputs,
    /// A `#[provenance]` run's metric series: written out before its
    /// `algorithm.result`, which summarizes them, however the run ends.
    metrics: Option<Arc<MetricStore>>,
    /// A carried `#[provenance]` run's membership of its equal siblings,
    /// ended when the result is written, however the run ends.
    start_order: Option<StartOrder>,
}

/// A run's outputs, shared between the `Run` that records them and the
/// `AlgorithmRun` that lists them in `algorithm.result` however it ends.
pub(crate) type SharedOutputs = Arc<Mutex<Vec<OutputFile>>>;

impl AlgorithmRun {
    /// Adds a file to the `outputs` this run's `algorithm.result` lists
    /// (after those added before). Writes nothing itself: write the file's
    /// `data.save` with [`EventLog::emit`].
    pub fn add_output(&self, output: OutputFile) {
        self.outputs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(output);
    }

    /// Shares the list of outputs with the run that records them.
    pub(crate) fn share_outputs(&mut self, outputs: SharedOutputs) {
        self.outputs = outputs;
    }

    /// Writes the run's metric series before its result, and summarizes
    /// them in it.
    pub(crate) fn share_metrics(&mut self, metrics: Arc<MetricStore>) {
        self.metrics = Some(metrics);
    }

    /// Ends `order` when the result is written, and marks the result
    /// `identity_from_start_order` if the run raced an equal sibling.
    pub(crate) fn track_start_order(&mut self, order: StartOrder) {
        self.start_order = Some(order);
    }

    /// Writes `algorithm.result` with `status: "ok"`.
    ///
    /// # Errors
    /// As [`EventLog::emit`].
    pub fn finish_ok(
        mut self,
        final_metrics: BTreeMap<String, f64>,
        output_hash: Option<Sha256Hash>,
    ) -> Result<AlgorithmResult, LogError> {
        self.finish(RunStatus::Ok, final_metrics, output_hash, None)
    }

    /// Writes `algorithm.result` with `status: "error"` and the message.
    ///
    /// # Errors
    /// As [`EventLog::emit`].
    pub fn finish_error(
        mut self,
        error: &dyn std::fmt::Display,
    ) -> Result<AlgorithmResult, LogError> {
        self.finish(
            RunStatus::Error,
            BTreeMap::new(),
            None,
            Some(error.to_string()),
        )
    }

    fn finish(
        &mut self,
        status: RunStatus,
        final_metrics: BTreeMap<String, f64>,
        output_hash: Option<Sha256Hash>,
        error: Option<String>,
    ) -> Result<AlgorithmResult, LogError> {
        self.finished = true;
        // The series' last points reach the log before the result, so a
        // reader has every point of a run that ended (ok, error or panic).
        let metrics = self.metrics.as_ref().and_then(|store| {
            store.flush(&mut |batch, run| self.log.emit_metrics(batch, run));
            store.summaries()
        });
        let identity_from_start_order = self.start_order.as_mut().is_some_and(StartOrder::end);
        let mut result = AlgorithmResult {
            status,
            duration_ms: self.started.elapsed().as_secs_f64() * 1e3,
            output_hash,
            final_metrics,
            error,
            dropped_events: 0,
            outputs: self
                .outputs
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
            identity_from_start_order,
            metrics,
        };
        result.dropped_events = self.log.dropped_events();
        let emitted = self.log.emit(&result);
        let flushed = self.log.flush_lines();
        emitted.and(flushed).map(|()| result)
    }
}

impl Drop for AlgorithmRun {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let (status, message) = if std::thread::panicking() {
            (
                RunStatus::Panic,
                last_panic_message().unwrap_or_else(|| "panicked".to_string()),
            )
        } else {
            (
                RunStatus::Error,
                "the run ended without a result (its AlgorithmRun was dropped unfinished)"
                    .to_string(),
            )
        };
        // Nothing to return an error to from a destructor; a failing log has
        // already reported itself on stderr.
        let _ = self.finish(status, BTreeMap::new(), None, Some(message));
    }
}
