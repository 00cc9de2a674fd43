//! [`EventLog`]: the handle every part of a program writes a session's
//! lines through.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::errors::LogError;
use super::metrics::MetricStore;
use super::run_envelope::RunFields;
use super::state::{Inner, LogSummary};
use crate::{Event, Metrics, ProvenanceContext};

/// An open event log for one session: cheap to clone and share between
/// threads; every clone writes to the same destination with one `seq`.
///
/// ```
/// use ith_provenance::{crate_info, EventLog, ProvenanceContext, ith::{EpochDetected, PositionType}, log::MemorySink};
///
/// let ctx = ProvenanceContext::builder(crate_info!()).seed(1).build()?;
/// let sink = MemorySink::new();
/// let log = EventLog::builder().memory(&sink).open(&ctx)?;
/// log.emit(&EpochDetected {
///     epoch_index: 1, bar_index: 17, timestamp: None,
///     excess_gain: 0.12, excess_loss: f64::NAN,
///     endorsing_crest: 1.2, candidate_nadir: 0.9, tmaeg_threshold: 0.05,
///     position_type: PositionType::Bull, nav_at_epoch: Some(1.25),
/// })?;
/// log.flush()?;
/// let lines = sink.lines();
/// assert!(lines[0].contains(r#""event_type":"session.start""#));
/// // The first event of a type in the session follows its schema.
/// assert!(lines[1].contains(r#""event_type":"event.schema""#) && lines[1].contains(r#""describes":"epoch_detected""#));
/// // A NaN is written as null, and the line's last field says what it was.
/// assert!(lines[2].contains(r#""seq":2"#) && lines[2].contains(r#""excess_loss":null"#));
/// assert!(lines[2].ends_with(r#","non_finite":[{"pointer":"/excess_loss","value":"NaN"}]}"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct EventLog {
    pub(super) inner: Arc<Inner>,
}

impl EventLog {
    /// Adds one event as one line: the envelope (`ts`, `event_type`,
    /// `session_id`, `seq`, `experiment_id`, and `run_id` /
    /// `parent_run_id` while an annotated run of this session is current on
    /// the thread), then the event's fields. The first event of a type in
    /// the session is preceded by its `event.schema` line. The line reaches
    /// the destination when the [`Durability`](crate::Durability) says (at
    /// once unless buffered).
    ///
    /// # Errors
    /// [`LogError::Serialize`], [`LogError::NotAnObject`] or
    /// [`LogError::EnvelopeField`] when the event itself cannot be written
    /// (nothing is written and no `seq` is used); [`LogError::Write`] the
    /// first time the destination fails, and every time in strict mode.
    pub fn emit<E: Event + ?Sized>(&self, event: &E) -> Result<(), LogError> {
        self.inner.emit(event)
    }

    /// Writes a metric batch with `run`'s envelope fields (`None`: the
    /// session's own series), whichever run is current on this thread.
    pub(crate) fn emit_metrics(
        &self,
        batch: &Metrics<'_>,
        run: Option<&RunFields>,
    ) -> Result<(), LogError> {
        self.inner.emit_metrics(batch, run)
    }

    /// Writes every pending line now, after writing the pending points of
    /// every metric series of the session (its runs' and its own) as
    /// `metrics` lines.
    ///
    /// # Errors
    /// [`LogError::Write`] when the destination fails.
    pub fn flush(&self) -> Result<(), LogError> {
        self.inner.flush_metrics();
        self.inner.flush()
    }

    /// From now on, writes each line and each point of the session's own
    /// series as it comes: for the process's log once the thread whose
    /// exit would have flushed it has ended.
    pub(crate) fn write_through(&self) {
        self.inner.write_through();
    }

    /// Writes the pending lines, leaving metric series to batch on: after
    /// a run's start or result, where flushing every other run's series
    /// would cut their batches short.
    pub(crate) fn flush_lines(&self) -> Result<(), LogError> {
        self.inner.flush()
    }

    /// Flushes (metric series included) and reports what was written and
    /// dropped. Other clones stay usable.
    ///
    /// # Errors
    /// As [`flush`](Self::flush).
    pub fn close(self) -> Result<LogSummary, LogError> {
        self.flush()?;
        Ok(self.summary())
    }

    /// The next point of the session's own metric series `name` (step 0,
    /// 1, 2, …, or one past the last [`metric_at`](Self::metric_at) step),
    /// whatever run is current: see [`metric`](crate::metric).
    pub fn metric(&self, name: &str, value: f64) {
        self.inner.record_session_metric(name, None, value);
    }

    /// A point of the session's own metric series `name` at `step`: see
    /// [`metric_at`](crate::metric_at).
    pub fn metric_at(&self, name: &str, step: i64, value: f64) {
        self.inner.record_session_metric(name, Some(step), value);
    }

    /// Has [`flush`](Self::flush) write a run's metric series.
    pub(crate) fn register_metrics(&self, store: &Arc<MetricStore>) {
        self.inner.register_metrics(store);
    }

    /// Counts so far.
    pub fn summary(&self) -> LogSummary {
        self.inner.summary()
    }

    /// Whether the log is strict ([`EventLogBuilder::strict`](crate::EventLogBuilder::strict)).
    pub fn is_strict(&self) -> bool {
        self.inner.is_strict()
    }

    /// Lines lost because the destination failed: counted in both modes
    /// (strict mode also returns each loss as an error).
    pub fn dropped_events(&self) -> u64 {
        self.inner.summary().dropped_events
    }

    /// The session this log writes.
    pub fn session_id(&self) -> &str {
        &self.inner.context().session_id
    }

    /// The context the log was opened with (as written in `session.start`).
    pub fn context(&self) -> &ProvenanceContext {
        self.inner.context()
    }

    /// The file written, when the destination is a file.
    pub fn path(&self) -> Option<PathBuf> {
        self.inner.path().map(Path::to_path_buf)
    }
}
