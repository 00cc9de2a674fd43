//! The event log: NDJSON lines, one JSON object each, written fast, safely
//! under threads and processes, and never lost silently.
//!
//! The format is the contract in `docs/CONTRACT.md`; durability and failure
//! behaviour are described on [`Durability`] and [`EventLog`].

mod clock;
mod current;
mod errors;
mod finite;
mod folder;
mod json;
mod line;
mod panic;
mod run;
mod sink;
mod state;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use clock::{Clock, SystemClock};
pub use current::InstallGuard;
pub use errors::LogError;
pub use run::{
    AlgorithmRun, log_algorithm_init, log_data_load, log_epoch_detected, log_hypothesis_result,
};
pub use sink::{LOG_ENV, LogTarget, MemorySink, default_log_path};

use crate::{Event, ProvenanceContext, SessionStart};
use line::Envelope;
use sink::Sink;
use state::Inner;

/// The contract version written in every `session.start` event.
pub const CONTRACT_VERSION: u32 = 2;

/// How much a crash can lose, traded against speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Durability {
    /// Lines collect in memory and are written when the buffer fills
    /// (64 KiB by default), when a time limit passes (1 s by default), on
    /// [`EventLog::flush`], when the log is closed or dropped, when a
    /// `#[provenance]` run has written its start (so `std::process::exit`
    /// in its body cannot lose it), and when the program panics (even with
    /// `panic = "abort"`). A `kill -9`, an
    /// `abort()` or a power cut loses what was still buffered: at most the
    /// buffer, or the last time-limit's worth of events. The default.
    #[default]
    Buffered,
    /// Every event is handed to the kernel in one `write` before `emit`
    /// returns: it survives the process being killed (`kill -9`, `abort()`),
    /// not a power cut or kernel crash.
    PerLine,
    /// As `PerLine`, then `fsync` (`sync_data`) before `emit` returns: the
    /// event survives a power cut once `emit` has returned. Slowest.
    Fsync,
}

/// Configures and opens an [`EventLog`]; see [`EventLog::builder`].
#[must_use = "a builder does nothing until .open() is called"]
pub struct EventLogBuilder {
    target: LogTarget,
    durability: Durability,
    /// `None`: `PROVENANCE_STRICT` decides.
    strict: Option<bool>,
    buffer_bytes: usize,
    flush_interval: Option<Duration>,
    clock: Option<Arc<dyn Clock>>,
    env_value: Option<Option<String>>,
}

impl std::fmt::Debug for EventLogBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventLogBuilder")
            .field("target", &self.target)
            .field("durability", &self.durability)
            .field("strict", &self.strict)
            .field("buffer_bytes", &self.buffer_bytes)
            .field("flush_interval", &self.flush_interval)
            .field("custom_clock", &self.clock.is_some())
            .finish_non_exhaustive()
    }
}

impl EventLogBuilder {
    /// Writes to this target instead of `PROVENANCE_LOG` / the default path.
    pub fn target(mut self, target: LogTarget) -> Self {
        self.target = target;
        self
    }

    /// Writes to this file (appending; folders created).
    pub fn file(self, path: impl Into<PathBuf>) -> Self {
        self.target(LogTarget::File(path.into()))
    }

    /// Writes to an in-memory sink (tests).
    pub fn memory(self, sink: &MemorySink) -> Self {
        self.target(LogTarget::Memory(sink.clone()))
    }

    /// Writes to any writer.
    pub fn writer(self, w: impl std::io::Write + Send + 'static) -> Self {
        self.target(LogTarget::Writer(Box::new(w)))
    }

    /// Uses this value instead of reading `PROVENANCE_LOG` (`None`: as if
    /// unset). For tests and embedding.
    pub fn env_value(mut self, value: Option<String>) -> Self {
        self.env_value = Some(value);
        self
    }

    /// Chooses what a crash may lose (default [`Durability::Buffered`]).
    pub fn durability(mut self, durability: Durability) -> Self {
        self.durability = durability;
        self
    }

    /// Buffered mode: write once this many bytes are pending (default 64 KiB).
    pub fn buffer_bytes(mut self, bytes: usize) -> Self {
        self.buffer_bytes = bytes;
        self
    }

    /// Buffered mode: write pending lines at least this often (default 1 s;
    /// `None`: only when full, flushed or closed).
    pub fn flush_interval(mut self, every: Option<Duration>) -> Self {
        self.flush_interval = every;
        self
    }

    /// Strict mode: once writing has failed, every `emit` returns an error
    /// (so the experiment can stop), and a `#[provenance]` call whose run
    /// cannot be recorded fails (panics) instead of running unrecorded. By
    /// default the first failure is returned and reported once on stderr,
    /// and later events are dropped and counted
    /// ([`EventLog::dropped_events`]) while the experiment goes on.
    ///
    /// Without this call, `PROVENANCE_STRICT` decides ([`STRICT_ENV`]:
    /// `1` strict, `0` or unset lenient).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = Some(strict);
        self
    }

    /// Takes timestamps from this clock instead of the system's.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Opens the destination and writes the `session.start` event, which
    /// carries the whole context.
    ///
    /// When the context records no git commit, one line on stderr says why
    /// (`PROVENANCE_QUIET=1` silences it; not for memory or `off` logs).
    ///
    /// # Errors
    /// [`LogError::Open`] when the file cannot be created (an explicit
    /// path's folder must exist; only the default `logs/provenance/` is
    /// created), or the first line (`session.start`) cannot be written to
    /// it; [`LogError::Registry`] when two event types share a name and
    /// version; [`LogError::Setting`] when `PROVENANCE_STRICT` holds
    /// something other than `1` or `0`.
    pub fn open(self, ctx: &ProvenanceContext) -> Result<EventLog, LogError> {
        let strict = match self.strict {
            Some(strict) => strict,
            None => strict_from_env()?,
        };
        let env_value = match self.env_value {
            Some(v) => v,
            None => std::env::var(LOG_ENV).ok(),
        };
        let resolved = self.target.resolve(env_value.as_deref(), &ctx.session_id);
        let described = match &resolved.target {
            LogTarget::File(p) => p.clone(),
            other => PathBuf::from(format!("{other:?}")),
        };
        let says_why_no_commit = !matches!(resolved.target, LogTarget::Memory(_) | LogTarget::Off);
        let sink = Sink::open(resolved).map_err(|source| LogError::Open {
            path: described.clone(),
            source,
        })?;
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let inner = Inner::new(
            sink,
            Envelope::new(&ctx.session_id, ctx.experiment_id.as_deref()),
            ctx.clone(),
            clock,
            self.durability,
            strict,
            self.buffer_bytes.max(1),
        );
        let log = EventLog {
            inner: Arc::new(inner),
        };
        panic::register(&log.inner);
        if let (Durability::Buffered, Some(every)) = (self.durability, self.flush_interval) {
            state::spawn_flusher(&log.inner, every);
        }
        // A destination that cannot take the first line is a failure to
        // open, whatever the log's mode: say so, and what to do.
        log.emit(&SessionStart {
            contract_version: CONTRACT_VERSION,
            context: ctx.clone(),
        })
        .map_err(|e| match e {
            LogError::Write { source, .. } => LogError::Open {
                path: described,
                source,
            },
            other => other,
        })?;
        if says_why_no_commit && ctx.git_sha.is_none() && !quiet() {
            let reason = ctx
                .git
                .reason
                .as_deref()
                .unwrap_or("no reason was recorded");
            eprintln!(
                "provenance: session {} records no git commit: {reason} (PROVENANCE_QUIET=1 \
                 silences this line)",
                ctx.session_id
            );
        }
        Ok(log)
    }
}

/// The variable that makes every log strict ([`EventLogBuilder::strict`])
/// when the program does not choose: `1` strict, `0` (or unset, or empty)
/// lenient.
pub const STRICT_ENV: &str = "PROVENANCE_STRICT";

/// The variable that silences the runtime's notices on stderr (`1`): today
/// the line saying why a session records no git commit. Errors are never
/// silenced.
pub const QUIET_ENV: &str = "PROVENANCE_QUIET";

/// `PROVENANCE_STRICT`, read when a log is opened.
pub(crate) fn strict_from_env() -> Result<bool, LogError> {
    flag(STRICT_ENV)
}

/// `PROVENANCE_QUIET=1`; any other value is not quiet (a notice is never
/// worth failing for).
fn quiet() -> bool {
    flag(QUIET_ENV).unwrap_or(false)
}

/// A yes/no variable: unset, empty or `0` is no, `1` is yes (also `true`,
/// `false`, `yes`, `no`, `on`, `off`, any case), anything else an error.
fn flag(variable: &'static str) -> Result<bool, LogError> {
    let Some(raw) = std::env::var_os(variable) else {
        return Ok(false);
    };
    let value = raw.to_string_lossy();
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "false" | "no" | "off" => Ok(false),
        "1" | "true" | "yes" | "on" => Ok(true),
        _ => Err(LogError::Setting {
            variable,
            value: value.chars().take(100).collect(),
            expected: "1 (on) or 0 (off)",
        }),
    }
}

/// An open event log for one session: cheap to clone and share between
/// threads; every clone writes to the same destination with one `seq`.
///
/// ```
/// use provenance_runtime::{crate_info, EventLog, MemorySink, ProvenanceContext, EpochDetected, PositionType};
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
    inner: Arc<Inner>,
}

impl EventLog {
    /// Starts configuring a log. Without further settings it writes where
    /// `PROVENANCE_LOG` says, else to `logs/provenance/<session_id>.ndjson`,
    /// buffered, lenient on failure.
    pub fn builder() -> EventLogBuilder {
        EventLogBuilder {
            target: LogTarget::FromEnv,
            durability: Durability::Buffered,
            strict: None,
            buffer_bytes: 64 * 1024,
            flush_interval: Some(Duration::from_secs(1)),
            clock: None,
            env_value: None,
        }
    }

    /// Opens a log with the default settings for `ctx`'s session.
    ///
    /// # Errors
    /// As [`EventLogBuilder::open`].
    pub fn open(ctx: &ProvenanceContext) -> Result<EventLog, LogError> {
        Self::builder().open(ctx)
    }

    /// Writes one event: the envelope (`ts`, `event_type`, `session_id`,
    /// `seq`, `experiment_id`) and the event's fields, as one line.
    ///
    /// # Errors
    /// [`LogError::Serialize`], [`LogError::NotAnObject`] or
    /// [`LogError::EnvelopeField`] when the event itself cannot be written
    /// (nothing is written and no `seq` is used); [`LogError::Write`] the
    /// first time the destination fails, and every time in strict mode.
    pub fn emit<E: Event + ?Sized>(&self, event: &E) -> Result<(), LogError> {
        self.inner.emit(event)
    }

    /// Writes every pending line now.
    ///
    /// # Errors
    /// [`LogError::Write`] when the destination fails.
    pub fn flush(&self) -> Result<(), LogError> {
        self.inner.flush()
    }

    /// Flushes and reports what was written and dropped. Other clones stay
    /// usable.
    ///
    /// # Errors
    /// As [`flush`](Self::flush).
    pub fn close(self) -> Result<LogSummary, LogError> {
        self.inner.flush()?;
        Ok(self.summary())
    }

    /// Counts so far.
    pub fn summary(&self) -> LogSummary {
        self.inner.summary()
    }

    /// Whether the log is strict ([`EventLogBuilder::strict`]).
    pub fn is_strict(&self) -> bool {
        self.inner.is_strict()
    }

    /// Events lost because the destination failed (lenient mode).
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

    /// Makes this log the current one for the `log_*` functions
    /// ([`log_data_load`](crate::log_data_load), …) until the guard drops;
    /// the guard then flushes and restores the previous current log.
    pub fn install(&self) -> InstallGuard {
        current::install(self.clone())
    }

    /// The log installed with [`install`](Self::install), if any.
    pub fn current() -> Option<EventLog> {
        current::get()
    }
}

/// What a log has done, from [`EventLog::summary`] or [`EventLog::close`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LogSummary {
    /// Lines given a `seq`, dropped ones included: every event, plus the
    /// `event.schema` line written before the first event of each type.
    pub events: u64,
    /// Of those, events that could not be written.
    pub dropped_events: u64,
}
