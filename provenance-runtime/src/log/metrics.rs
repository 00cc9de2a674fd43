//! Metric series in memory: each run (and each session, for points recorded
//! outside any run) buffers its series' points and writes them as `metrics`
//! lines of at most [`BATCH_POINTS`] points, with the series' own envelope
//! whichever thread writes them (given to the log, not taken from the
//! writing thread's current run).
//!
//! A point costs no lock and no read-modify-write: each thread that records
//! into a series gets its own [`Lane`], a single-producer ring of
//! [`BATCH_POINTS`] slots that the thread fills with plain stores and
//! publishes with one release store of its head. The store keeps every
//! lane, so whoever writes the series (the thread that filled a lane, a
//! flush from any thread, the run's end) reads the published points under
//! the store's lock, gives the points recorded without a step theirs, keeps
//! the series' summary and writes the line. A thread finds its lanes in a
//! thread-local cache; the lock is taken once a batch, and once when the
//! thread first records into a series.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Once, PoisonError};

use super::errors::LogError;
use super::run_envelope::RunFields;
use crate::{MetricSummary, Metrics};

/// The most points one `metrics` line holds: a thread's points of a series
/// are written when it has recorded this many since the last write, so
/// `kill -9` loses fewer than this per series and thread.
pub const BATCH_POINTS: usize = 1024;

/// Writes one batch with the given run's envelope fields (`None`: the
/// session's own series); the store's caller says to which log.
pub(crate) type EmitBatch<'a> =
    dyn FnMut(&Metrics<'_>, Option<&RunFields>) -> Result<(), LogError> + 'a;

/// Tells stores apart in the thread-local caches (an address could be
/// reused by a later store).
static NEXT_STORE_ID: AtomicU64 = AtomicU64::new(0);

/// The series of one run, or of one session's points outside runs.
#[derive(Debug)]
pub(crate) struct MetricStore {
    id: u64,
    /// The run's envelope fields, set while its batches are written; `None`
    /// for the session's own series, written without any run's.
    fields: Option<Arc<RunFields>>,
    state: Mutex<State>,
}

/// What the store's lock guards: the series, and the batch being written.
#[derive(Debug)]
struct State {
    series: BTreeMap<Box<str>, Series>,
    steps: Vec<i64>,
    values: Vec<f64>,
}

#[derive(Debug, Default)]
struct Series {
    /// The step [`metric`](crate::metric) gives the next point.
    next_step: i64,
    summary: Option<MetricSummary>,
    /// The greatest step recorded: the summary's `last` is its value.
    last_step: i64,
    /// One lane per thread that recorded into the series, in the order
    /// they started.
    lanes: Vec<Arc<Lane>>,
    /// The lane of points recorded where a thread's cache cannot be used
    /// (while the thread exits): filled under the store's lock.
    locked: Option<Arc<Lane>>,
}

/// One thread's pending points of one series: a ring that only that
/// thread pushes to (with plain stores, published by a release store of
/// `head`) and that is drained under the store's lock.
#[derive(Debug)]
struct Lane {
    name: Box<str>,
    steps: Box<[AtomicI64]>,
    /// Whether the slot's step was given ([`metric_at`](crate::metric_at));
    /// if not, the series' next step is the point's when it is written.
    given: Box<[AtomicBool]>,
    values: Box<[AtomicU64]>,
    /// Points pushed, ever: written by the producer only.
    head: AtomicUsize,
    /// Points drained, ever: written under the store's lock only.
    tail: AtomicUsize,
}

impl Lane {
    fn new(name: &str) -> Arc<Self> {
        Arc::new(Lane {
            name: name.into(),
            steps: (0..BATCH_POINTS).map(|_| AtomicI64::new(0)).collect(),
            given: (0..BATCH_POINTS).map(|_| AtomicBool::new(false)).collect(),
            values: (0..BATCH_POINTS).map(|_| AtomicU64::new(0)).collect(),
            head: AtomicUsize::new(0),
            tail: AtomicUsize::new(0),
        })
    }

    /// Adds a point, which the lane has room for; returns whether the lane
    /// is now full. Only the lane's producer calls this.
    #[inline]
    fn push(&self, step: Option<i64>, value: f64) -> bool {
        let head = self.head.load(Ordering::Relaxed);
        let slot = head % BATCH_POINTS;
        self.given[slot].store(step.is_some(), Ordering::Relaxed);
        if let Some(step) = step {
            self.steps[slot].store(step, Ordering::Relaxed);
        }
        self.values[slot].store(value.to_bits(), Ordering::Relaxed);
        self.head.store(head + 1, Ordering::Release);
        // The acquire pairs with the drain's release: once the producer
        // sees the slots drained, it may fill them again.
        head + 1 - self.tail.load(Ordering::Acquire) >= BATCH_POINTS
    }
}

/// This thread's lanes, by store: the last one used is tried first.
struct Lanes {
    last: usize,
    entries: Vec<(u64, Arc<Lane>)>,
}

thread_local! {
    static LANES: RefCell<Lanes> = const {
        RefCell::new(Lanes { last: 0, entries: Vec::new() })
    };
}

impl Lanes {
    #[inline]
    fn find(&mut self, store: u64, name: &str) -> Option<usize> {
        let hit = |(id, lane): &(u64, Arc<Lane>)| *id == store && same_name(&lane.name, name);
        if self.entries.get(self.last).is_some_and(hit) {
            return Some(self.last);
        }
        let found = self.entries.iter().position(hit)?;
        self.last = found;
        Some(found)
    }

    /// Adds a lane, first dropping those of stores that are gone (the
    /// store holds the other reference to each of its lanes).
    fn add(&mut self, store: u64, lane: Arc<Lane>) -> usize {
        self.entries.retain(|(_, lane)| Arc::strong_count(lane) > 1);
        self.entries.push((store, lane));
        self.last = self.entries.len() - 1;
        self.last
    }
}

/// `a == b`, for the short names series have without a call to `memcmp`:
/// two overlapping words of each (the bytes they share are compared twice).
#[inline]
fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| {
        let mut eight = [0; 8];
        eight.copy_from_slice(&s[at..at + 8]);
        u64::from_le_bytes(eight)
    };
    let half = |s: &[u8], at: usize| {
        let mut four = [0; 4];
        four.copy_from_slice(&s[at..at + 4]);
        u32::from_le_bytes(four)
    };
    match n {
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        4..8 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        _ => a == b,
    }
}

impl MetricStore {
    pub(crate) fn new(fields: Option<Arc<RunFields>>) -> Self {
        MetricStore {
            id: NEXT_STORE_ID.fetch_add(1, Ordering::Relaxed),
            fields,
            state: Mutex::new(State {
                series: BTreeMap::new(),
                steps: Vec::new(),
                values: Vec::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Plain values and rings whose indices move only after a complete
        // drain: consistent even if a holder panicked.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a point (`step` `None`: the series' next step) and writes this
    /// thread's batch of the series through `emit` when it is full. Returns
    /// whether this was the store's first series, for the caller to
    /// register the store with its log, which then flushes it.
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
        let cached = LANES.try_with(|lanes| {
            // Borrowed already only if writing a batch recorded a point on
            // this thread; that point takes the locked way.
            let mut lanes = lanes.try_borrow_mut().ok()?;
            let mut first = false;
            let index = match lanes.find(self.id, name) {
                Some(index) => index,
                None => {
                    let (lane, was_first) = self.new_lane(name);
                    first = was_first;
                    lanes.add(self.id, lane)
                }
            };
            let lane = &lanes.entries[index].1;
            if lane.push(step, value) {
                self.write_lane(lane, emit);
            }
            Some(first)
        });
        if let Ok(Some(first)) = cached {
            return first;
        }
        // The thread is exiting (its cache is gone) or re-entered: the
        // point goes, under the lock, to the series' locked lane (so the
        // lock makes it the lane's one producer).
        let mut guard = self.lock();
        let state = &mut *guard;
        let first = state.series.is_empty();
        let series = state.series.entry(name.into()).or_default();
        let lane = Arc::clone(series.locked.get_or_insert_with(|| Lane::new(name)));
        if lane.push(step, value) {
            self.drain(state, &lane, emit);
        }
        first
    }

    /// Starts this thread's lane of series `name`, and says whether the
    /// store had no series before.
    fn new_lane(&self, name: &str) -> (Arc<Lane>, bool) {
        let lane = Lane::new(name);
        let mut state = self.lock();
        let first = state.series.is_empty();
        state
            .series
            .entry(name.into())
            .or_default()
            .lanes
            .push(Arc::clone(&lane));
        (lane, first)
    }

    /// Writes the points `lane` holds (its producer's full batch).
    fn write_lane(&self, lane: &Lane, emit: &mut EmitBatch<'_>) {
        let mut state = self.lock();
        self.drain(&mut state, lane, emit);
    }

    /// Writes every series' pending points, in name order (each series'
    /// lanes in the order their threads started it).
    pub(crate) fn flush(&self, emit: &mut EmitBatch<'_>) {
        let mut state = self.lock();
        let names: Vec<Box<str>> = state.series.keys().cloned().collect();
        for name in names {
            let series = &state.series[&name];
            let lanes: Vec<Arc<Lane>> =
                series.lanes.iter().chain(&series.locked).cloned().collect();
            for lane in lanes {
                self.drain(&mut state, &lane, emit);
            }
            // Lanes of threads that are gone, now drained, are done with.
            if let Some(series) = state.series.get_mut(&name) {
                series.lanes.retain(|lane| Arc::strong_count(lane) > 1);
            }
        }
    }

    /// Each series' summary of the points written so far (a run's end
    /// [flushes](Self::flush) first), `None` when there is none.
    pub(crate) fn summaries(&self) -> Option<BTreeMap<String, MetricSummary>> {
        let state = self.lock();
        let summaries: BTreeMap<String, MetricSummary> = state
            .series
            .iter()
            .filter_map(|(name, s)| Some((name.to_string(), s.summary?)))
            .collect();
        (!summaries.is_empty()).then_some(summaries)
    }

    /// One `metrics` line of the points published in `lane` since its last
    /// drain, with this store's envelope on whichever thread writes it;
    /// the points without a step get the series' next ones, in order.
    fn drain(&self, state: &mut State, lane: &Lane, emit: &mut EmitBatch<'_>) {
        let head = lane.head.load(Ordering::Acquire);
        let tail = lane.tail.load(Ordering::Relaxed);
        if head == tail {
            return;
        }
        let State {
            series,
            steps,
            values,
        } = state;
        let Some(series) = series.get_mut(&lane.name) else {
            return;
        };
        steps.clear();
        values.clear();
        for point in tail..head {
            let slot = point % BATCH_POINTS;
            let step = if lane.given[slot].load(Ordering::Relaxed) {
                lane.steps[slot].load(Ordering::Relaxed)
            } else {
                series.next_step
            };
            // At i64::MAX the next step stays there rather than wrap.
            series.next_step = step.saturating_add(1);
            let value = f64::from_bits(lane.values[slot].load(Ordering::Relaxed));
            match &mut series.summary {
                Some(summary) => {
                    // Workers' batches come in any order: `last` is the
                    // value at the greatest step (of equal ones, the last
                    // recorded), whatever order they were written in.
                    let latest = step >= series.last_step;
                    summary.add(value, latest);
                    if latest {
                        series.last_step = step;
                    }
                }
                None => {
                    series.summary = Some(MetricSummary::first(value));
                    series.last_step = step;
                }
            }
            steps.push(step);
            values.push(value);
        }
        // The slots are read: the producer may fill them again.
        lane.tail.store(head, Ordering::Release);
        // A failing log counts the line as dropped and has reported itself.
        let _ = emit(
            &Metrics {
                name: &lane.name,
                steps,
                values,
            },
            self.fields.as_deref(),
        );
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

#[cfg(test)]
mod tests {
    use super::same_name;

    #[test]
    fn same_name_is_string_equality_at_every_length_and_position() {
        let base = "abcdefghijklmnopqrstu";
        for n in 0..=base.len() {
            let a = &base[..n];
            assert!(same_name(a, a));
            for other in 0..=base.len() {
                assert_eq!(same_name(a, &base[..other]), n == other);
            }
            for at in 0..n {
                let mut changed = a.to_string().into_bytes();
                changed[at] = b'_';
                let changed = String::from_utf8(changed).unwrap();
                assert!(!same_name(a, &changed), "{a} / {changed}");
            }
        }
    }
}
