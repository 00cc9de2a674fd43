//! The shared state behind every clone of an [`EventLog`](super::EventLog):
//! one lock guards the `seq` counter, the pending lines and the sink, so
//! `seq` order is file order and lines are never interleaved.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError, Weak};
use std::time::Duration;

use super::clock::Clock;
use super::durability::Durability;
use super::errors::LogError;
use super::line::{Envelope, LineHead, LineRun, OwnPayload, PayloadWriter, encode_line};
use super::metrics::MetricStore;
use super::metrics_json::write_metrics;
use super::run_envelope::RunFields;
use super::sink::Sink;
use crate::{Event, EventSchemaLine, Metrics, ProvenanceContext};

/// What a log has done, from [`EventLog::summary`](crate::EventLog::summary) or [`EventLog::close`](crate::EventLog::close).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LogSummary {
    /// Lines given a `seq`, dropped ones included: every event, plus the
    /// `event.schema` line written before the first event of each type.
    pub events: u64,
    /// Of those, events that could not be written.
    pub dropped_events: u64,
}

/// How the log writes, as the builder chose.
pub(crate) struct Settings {
    pub(crate) durability: Durability,
    pub(crate) strict: bool,
    pub(crate) buffer_bytes: usize,
    pub(crate) payload_writer: PayloadWriter,
}

pub(crate) struct Inner {
    state: Mutex<State>,
    envelope: Envelope,
    context: ProvenanceContext,
    path: Option<PathBuf>,
    clock: Arc<dyn Clock>,
    durability: Durability,
    strict: bool,
    buffer_bytes: usize,
    payload_writer: PayloadWriter,
    /// The session's own metric series: points recorded outside any run.
    session_metrics: MetricStore,
    /// The runs' metric series, flushed by [`flush_metrics`](Self::flush_metrics).
    /// A lock of its own, taken only when a run starts its first series
    /// and on flush, never while a store or the state is locked.
    run_metrics: Mutex<Vec<Weak<MetricStore>>>,
    /// Nothing will flush this log at exit any more (the process log's
    /// opening thread ended): each line, and each point of the session's
    /// own series, is written as it comes.
    write_through: AtomicBool,
}

struct State {
    sink: Sink,
    /// Complete lines not yet written.
    pending: Vec<u8>,
    /// The next `seq`.
    seq: u64,
    dropped: u64,
    /// Set once the sink has failed; later lines are dropped and counted.
    failed: bool,
    /// Event types (and versions) whose payload fields were checked against
    /// the envelope and whose schema was written.
    checked: Vec<(&'static str, u32)>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventLog")
            .field("session_id", &self.context.session_id)
            .field("durability", &self.durability)
            .field("strict", &self.strict)
            .finish_non_exhaustive()
    }
}

impl Inner {
    pub(crate) fn new(
        sink: Sink,
        envelope: Envelope,
        context: ProvenanceContext,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> Self {
        let Settings {
            durability,
            strict,
            buffer_bytes,
            payload_writer,
        } = settings;
        let capacity = if durability == Durability::Buffered {
            buffer_bytes + 1024
        } else {
            1024
        };
        Inner {
            path: sink.path().map(Path::to_path_buf),
            state: Mutex::new(State {
                sink,
                pending: Vec::with_capacity(capacity),
                seq: 0,
                dropped: 0,
                failed: false,
                checked: Vec::new(),
            }),
            envelope,
            context,
            clock,
            durability,
            strict,
            buffer_bytes,
            payload_writer,
            session_metrics: MetricStore::new(None),
            run_metrics: Mutex::new(Vec::new()),
            write_through: AtomicBool::new(false),
        }
    }

    /// A point of the session's own series `name`.
    pub(crate) fn record_session_metric(&self, name: &str, step: Option<i64>, value: f64) {
        let emit =
            &mut |batch: &Metrics<'_>, run: Option<&RunFields>| self.emit_metrics(batch, run);
        self.session_metrics.record(name, step, value, emit);
        if self.write_through.load(Ordering::SeqCst) {
            self.session_metrics.flush(emit);
        }
    }

    /// From now on, writes each line and each session point as it comes:
    /// for a log that nothing will flush at exit any more.
    pub(crate) fn write_through(&self) {
        self.write_through.store(true, Ordering::SeqCst);
    }

    /// Has [`flush_metrics`](Self::flush_metrics) write a run's series too.
    pub(crate) fn register_metrics(&self, store: &Arc<MetricStore>) {
        let mut stores = self
            .run_metrics
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        stores.retain(|w| w.strong_count() > 0);
        stores.push(Arc::downgrade(store));
    }

    /// Writes the pending points of every series, the runs' and the
    /// session's, as `metrics` lines (to the pending lines: [`flush`](Self::flush)
    /// writes them out).
    pub(crate) fn flush_metrics(&self) {
        let stores: Vec<Arc<MetricStore>> = self
            .run_metrics
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter_map(Weak::upgrade)
            .collect();
        for store in stores {
            store.flush(&mut |batch, run| self.emit_metrics(batch, run));
        }
        self.session_metrics
            .flush(&mut |batch, run| self.emit_metrics(batch, run));
    }

    /// A panic inside a user's `Serialize` impl while the lock was held
    /// poisons it; the state is still consistent (a failed or panicking
    /// encode removes its partial line, see [`PartialLine`]), so keep
    /// logging.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn context(&self) -> &ProvenanceContext {
        &self.context
    }

    pub(crate) fn is_strict(&self) -> bool {
        self.strict
    }

    pub(crate) fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub(crate) fn emit<E: Event + ?Sized>(&self, event: &E) -> Result<(), LogError> {
        self.emit_as(event, LineRun::Current, None)
    }

    /// Writes a metric batch with `run`'s envelope fields (`None`: the
    /// session's own series), whichever run is current on this thread.
    pub(crate) fn emit_metrics(
        &self,
        batch: &Metrics<'_>,
        run: Option<&RunFields>,
    ) -> Result<(), LogError> {
        let own = |out: &mut Vec<u8>| write_metrics(out, batch);
        self.emit_as(batch, LineRun::Given(run), Some(&own))
    }

    fn emit_as<E: Event + ?Sized>(
        &self,
        event: &E,
        run: LineRun<'_>,
        own: Option<OwnPayload<'_>>,
    ) -> Result<(), LogError> {
        let now = self.clock.now_micros();
        let mut state = self.lock();
        let state = &mut *state;
        let seq = state.seq;
        if seq == 0 {
            // Two types claiming one event type fail `open`, before any line.
            crate::events::check_registry()?;
        }
        let check = !state.checked.contains(&(E::EVENT_TYPE, E::VERSION));
        // The first line of a type in the session follows the line with its
        // schema, under the same lock and with the next `seq`.
        let described = check && EventSchemaLine::is_described::<E>();
        let lines = 1 + u64::from(described);
        let before = state.pending.len();
        let mut line = PartialLine {
            pending: &mut state.pending,
            start: before,
            complete: false,
        };
        let schema = if described {
            let schema = EventSchemaLine::of::<E>();
            encode_line(
                line.pending,
                &self.envelope,
                LineHead {
                    ts_micros: now,
                    seq,
                    run,
                },
                &schema,
                false,
                self.payload_writer,
                None,
            )
        } else {
            Ok(())
        };
        let encoded = schema.and_then(|()| {
            encode_line(
                line.pending,
                &self.envelope,
                LineHead {
                    ts_micros: now,
                    seq: seq + lines - 1,
                    run,
                },
                event,
                check,
                self.payload_writer,
                own,
            )
        });
        line.complete = encoded.is_ok();
        drop(line);
        encoded?;
        if check {
            state.checked.push((E::EVENT_TYPE, E::VERSION));
        }
        state.seq += lines;
        if state.failed {
            // The destination already failed: count the lines as dropped.
            state.pending.truncate(before);
            state.dropped += lines;
            return if self.strict {
                Err(self.write_error(state, None))
            } else {
                Ok(())
            };
        }
        match self.durability {
            // `session.start` (seq 0) is written at once, so `open` reports
            // a destination that cannot be written, and a crash still
            // leaves the session's identity in the log.
            Durability::Buffered
                if seq > 0
                    && state.pending.len() < self.buffer_bytes
                    && !self.write_through.load(Ordering::SeqCst) =>
            {
                Ok(())
            }
            Durability::Buffered | Durability::PerLine => self.write_pending(state),
            Durability::Fsync => {
                self.write_pending(state)?;
                state.sink.sync().map_err(|e| self.fail(state, e, 0))
            }
        }
    }

    pub(crate) fn flush(&self) -> Result<(), LogError> {
        let mut state = self.lock();
        self.write_pending(&mut state)
    }

    /// Flushes without waiting: for the panic hook, which must not block on
    /// a lock the panicking thread may hold.
    pub(crate) fn try_flush(&self) {
        let mut state = match self.state.try_lock() {
            Ok(state) => state,
            // Poisoned by an earlier panic: still consistent, as in `lock`.
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return,
        };
        let _ = self.write_pending(&mut state);
    }

    pub(crate) fn summary(&self) -> LogSummary {
        let state = self.lock();
        LogSummary {
            events: state.seq,
            dropped_events: state.dropped,
        }
    }

    fn write_pending(&self, state: &mut State) -> Result<(), LogError> {
        if state.pending.is_empty() || state.failed {
            return Ok(());
        }
        let Err(failure) = state.sink.write_lines(&state.pending) else {
            state.pending.clear();
            return Ok(());
        };
        // Lines that arrived whole before the failure are not lost; counting
        // the rest scans the buffer, so only on failure.
        let unwritten = state.pending.get(failure.written..).unwrap_or_default();
        let lost = unwritten.iter().filter(|&&b| b == b'\n').count() as u64;
        state.pending.clear();
        Err(self.fail(state, failure.error, lost))
    }

    /// Records a destination failure: the unwritten lines are dropped and
    /// counted, and (outside strict mode) the failure is reported on stderr
    /// once, since the experiment keeps running.
    fn fail(&self, state: &mut State, err: std::io::Error, lost_lines: u64) -> LogError {
        state.failed = true;
        state.dropped += lost_lines;
        let error = self.write_error(state, Some(err));
        // A failure on the first line (seq 0) fails `open`, which returns
        // it as `LogError::Open`; only later failures need the report.
        if !self.strict && state.seq > 1 {
            eprintln!("provenance: {error}");
        }
        error
    }

    fn write_error(&self, state: &State, err: Option<std::io::Error>) -> LogError {
        LogError::Write {
            target: state.sink.describe(),
            source: err.unwrap_or_else(|| std::io::Error::other("an earlier write failed")),
            dropped: state.dropped,
            strict: self.strict,
        }
    }
}

/// The line being encoded at the end of the pending buffer: removed again
/// unless it was completed, so a `Serialize` impl that panics halfway leaves
/// no fragment to corrupt the next line.
struct PartialLine<'a> {
    pending: &'a mut Vec<u8>,
    start: usize,
    complete: bool,
}

impl Drop for PartialLine<'_> {
    fn drop(&mut self) {
        if !self.complete {
            self.pending.truncate(self.start);
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Runs hold the log, so only the session's own series can be left.
        self.session_metrics
            .flush(&mut |batch, run| self.emit_metrics(batch, run));
        let state = self.state.get_mut().unwrap_or_else(PoisonError::into_inner);
        if !state.pending.is_empty() && !state.failed {
            let result = state.sink.write_lines(&state.pending);
            state.pending.clear();
            if let Err(failure) = result {
                eprintln!(
                    "provenance: cannot write the last events of {}: {}",
                    state.sink.describe(),
                    failure.error
                );
            }
        }
    }
}

/// Buffered mode's time limit: a thread that writes pending lines every
/// `every`, and ends when the log is gone.
pub(crate) fn spawn_flusher(inner: &Arc<Inner>, every: Duration) {
    let weak: Weak<Inner> = Arc::downgrade(inner);
    let spawned = std::thread::Builder::new()
        .name("provenance-flush".into())
        .spawn(move || {
            loop {
                std::thread::sleep(every);
                match weak.upgrade() {
                    Some(inner) => {
                        let _ = inner.flush();
                    }
                    None => return,
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!(
            "provenance: no background flush thread ({e}); events are written when the buffer fills"
        );
    }
}
