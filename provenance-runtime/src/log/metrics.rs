//! Metric series in memory: each run (and each session, for points recorded
//! outside any run) buffers its series' points and writes them as `metrics`
//! lines of at most [`BATCH_POINTS`] points, with the series' own envelope
//! whichever thread writes them.
//!
//! Storage is per run, so the workers of different runs never contend; a
//! point is two pushes into vectors reserved when the series starts, so the
//! hot path neither allocates nor formats JSON.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Once, PoisonError};

use super::errors::LogError;
use super::run_envelope::{RunFields, set_current_run};
use crate::{MetricSummary, Metrics};

/// The most points one `metrics` line holds: a series' batch is written
/// when it reaches this many, so `kill -9` loses fewer than this per series.
pub const BATCH_POINTS: usize = 1024;

/// Writes one batch; the store's caller says to which log.
pub(crate) type EmitBatch<'a> = dyn FnMut(&Metrics<'_>) -> Result<(), LogError> + 'a;

/// The series of one run, or of one session's points outside runs.
#[derive(Debug)]
pub(crate) struct MetricStore {
    /// The run's envelope fields, set while its batches are written; `None`
    /// for the session's own series, written without any run's.
    fields: Option<Arc<RunFields>>,
    series: Mutex<BTreeMap<Box<str>, Series>>,
}

#[derive(Debug)]
struct Series {
    steps: Vec<i64>,
    values: Vec<f64>,
    /// The step [`metric`](crate::metric) gives the next point.
    next_step: i64,
    summary: MetricSummary,
}

impl Series {
    fn new(value: f64) -> Self {
        Series {
            steps: Vec::with_capacity(BATCH_POINTS),
            values: Vec::with_capacity(BATCH_POINTS),
            next_step: 0,
            summary: MetricSummary::first(value),
        }
    }
}

impl MetricStore {
    pub(crate) fn new(fields: Option<Arc<RunFields>>) -> Self {
        MetricStore {
            fields,
            series: Mutex::new(BTreeMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<Box<str>, Series>> {
        // Vectors of plain values: consistent even if a holder panicked.
        self.series.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a point (`step` `None`: the series' next step) and writes the
    /// batch through `emit` when it is full. Returns whether this was the
    /// store's first series, for the caller to register the store with its
    /// log, which then flushes it.
    pub(crate) fn record(
        &self,
        name: &str,
        step: Option<i64>,
        value: f64,
        emit: &mut EmitBatch<'_>,
    ) -> bool {
        if name.is_empty() {
            dropped_point("a metric's name is empty");
            return false;
        }
        let mut series = self.lock();
        let first = series.is_empty();
        let s = match series.get_mut(name) {
            Some(s) => {
                s.summary.add(value);
                s
            }
            None => series.entry(name.into()).or_insert(Series::new(value)),
        };
        let step = step.unwrap_or(s.next_step);
        // At i64::MAX the next step stays there rather than wrap.
        s.next_step = step.saturating_add(1);
        s.steps.push(step);
        s.values.push(value);
        if s.steps.len() >= BATCH_POINTS {
            self.write(name, s, emit);
        }
        first
    }

    /// Writes every series' pending points, in name order.
    pub(crate) fn flush(&self, emit: &mut EmitBatch<'_>) {
        let mut series = self.lock();
        for (name, s) in series.iter_mut() {
            self.write(name, s, emit);
        }
    }

    /// Each series' summary, `None` when there is none.
    pub(crate) fn summaries(&self) -> Option<BTreeMap<String, MetricSummary>> {
        let series = self.lock();
        (!series.is_empty()).then(|| {
            series
                .iter()
                .map(|(name, s)| (name.to_string(), s.summary))
                .collect()
        })
    }

    /// One `metrics` line of the series' pending points, with this store's
    /// envelope on whichever thread writes it; then the batch is empty
    /// again, its capacity kept.
    fn write(&self, name: &str, series: &mut Series, emit: &mut EmitBatch<'_>) {
        if series.steps.is_empty() {
            return;
        }
        let previous = set_current_run(self.fields.clone());
        // A failing log counts the line as dropped and has reported itself.
        let _ = emit(&Metrics {
            name,
            steps: &series.steps,
            values: &series.values,
        });
        set_current_run(previous);
        series.steps.clear();
        series.values.clear();
    }
}

static DROPPED: AtomicU64 = AtomicU64::new(0);
static REPORTED: Once = Once::new();

/// Counts a point that could not be recorded, and says so on stderr the
/// first time, as a log reports its first failed write.
pub(crate) fn dropped_point(why: &str) {
    DROPPED.fetch_add(1, Ordering::Relaxed);
    REPORTED.call_once(|| {
        eprintln!(
            "provenance: a metric point was dropped: {why}; later dropped points are only \
             counted (ith_provenance::log::dropped_metric_points)"
        );
    });
}

/// Metric points this process could not record, since it started: points
/// with an empty name, and points recorded outside any run with no log
/// installed. Each is dropped and counted here; the first is also reported
/// on stderr.
pub fn dropped_metric_points() -> u64 {
    DROPPED.load(Ordering::Relaxed)
}
