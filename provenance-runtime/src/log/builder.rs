//! [`EventLogBuilder`]: the settings of a log, and opening it (which writes
//! `session.start`).

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::clock::{Clock, SystemClock};
use super::durability::Durability;
use super::errors::LogError;
use super::event_log::EventLog;
use super::line::{Envelope, PayloadWriter};
use super::panic;
use super::sink::{LogTarget, MemorySink, Sink};
use super::state::{self, Inner, Settings};
use crate::{ProvenanceContext, SessionStart, settings};

pub use ith_provenance_contract::CONTRACT_VERSION;

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
    /// `None`: `PROVENANCE_LOG` decides.
    env_value: Option<Option<OsString>>,
    payload_writer: PayloadWriter,
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

    /// Writes to this file: created if missing, else appended to. Its
    /// folder must exist (a typo must not make up a new one); only the
    /// default `logs/provenance/` is created.
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
        self.env_value = Some(value.map(OsString::from));
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
    /// Without this call, `PROVENANCE_STRICT` decides ([`STRICT_ENV`](crate::STRICT_ENV):
    /// `1` strict, `0` or unset lenient).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = Some(strict);
        self
    }

    /// Encodes payloads with `writer` (the hook `__private::hooks` offers the
    /// benchmarks).
    pub(crate) fn payload_writer(mut self, writer: PayloadWriter) -> Self {
        self.payload_writer = writer;
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
    /// When the context records no git commit, one line on stderr says why;
    /// when the binary was built from another state of its source than the
    /// one it runs in (a commit or edit since the build), one line names
    /// both (`PROVENANCE_QUIET=1` silences them; not for memory or `off`
    /// logs).
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
            None => settings::strict()?,
        };
        let env_value = match self.env_value {
            Some(v) => v,
            None => settings::log_destination(),
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
        // The build's patch goes beside the log (its folder exists now)
        // before `session.start` records where it went.
        let mut with_patch = None;
        if ctx.git.patch.is_some() {
            let mut patched = ctx.clone();
            patched.git.store_patch_beside(sink.file_or_why());
            with_patch = Some(patched);
        }
        let ctx = with_patch.as_ref().unwrap_or(ctx);
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let inner = Inner::new(
            sink,
            Envelope::new(&ctx.session_id, ctx.experiment_id.as_deref()),
            ctx.clone(),
            clock,
            Settings {
                durability: self.durability,
                strict,
                buffer_bytes: self.buffer_bytes.max(1),
                payload_writer: self.payload_writer,
            },
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
        // Notices go to a person; memory and `off` logs have none to tell.
        let notices = says_why_no_commit && !settings::quiet();
        if notices && ctx.git_sha.is_none() {
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
        if notices && let Some(stale) = crate::git::Stale::of(&ctx.git, ctx.git_at_run.as_ref()) {
            eprintln!(
                "provenance: session {} runs a binary built from {} but its source is now at {}; \
                 the record names the build's commit, which produced these results (rebuild \
                 to run the current source; PROVENANCE_QUIET=1 silences this line)",
                ctx.session_id, stale.built, stale.now
            );
        }
        Ok(log)
    }
}

impl EventLog {
    /// Starts configuring a log. Without further settings it writes where
    /// `PROVENANCE_LOG` says, else to `logs/provenance/<session_id>.ndjson`,
    /// buffered, and lenient on failure unless `PROVENANCE_STRICT=1`.
    pub fn builder() -> EventLogBuilder {
        EventLogBuilder {
            target: LogTarget::FromEnv,
            durability: Durability::Buffered,
            strict: None,
            buffer_bytes: 64 * 1024,
            flush_interval: Some(Duration::from_secs(1)),
            clock: None,
            env_value: None,
            payload_writer: PayloadWriter::Fast,
        }
    }

    /// Opens a log with the default settings for `ctx`'s session.
    ///
    /// # Errors
    /// As [`EventLogBuilder::open`].
    pub fn open(ctx: &ProvenanceContext) -> Result<EventLog, LogError> {
        Self::builder().open(ctx)
    }
}
