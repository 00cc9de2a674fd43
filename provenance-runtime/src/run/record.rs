//! What a run's body records: events ([`Run::emit`], [`emit`]), seeds
//! ([`Run::seed`], [`seed`], [`rng`]) and metrics ([`Run::record_metric`]),
//! on a [`Run`] or on the current one.

use std::path::Path;
use std::sync::PoisonError;

use rand_chacha::ChaCha20Rng;

use super::current_run::{self, Scope};
use super::handle::Run;
use super::seed_event::SeedDerived;
use crate::{
    DataSave, Event, EventLog, FileFingerprint, LogError, Seed, derive_run_seed, fingerprint_file,
    rng_from_seed,
};

impl Run {
    /// The seed of `component`, [derived](crate::derive_run_seed) from the
    /// run's root seed, the run's [id](Self::id) and the name: every call
    /// gets its own stream, and the same root seed reproduces each. The
    /// first time a run hands out a component's seed it writes a
    /// [`SeedDerived`] event.
    pub fn seed(&self, component: &str) -> u64 {
        let seed = derive_run_seed(self.root_seed().seed, self.id(), component);
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
                root_seed: Seed(self.root_seed().seed),
                root_seed_source: self.root_seed().source,
            });
        }
        seed
    }

    /// A ChaCha20 generator for `component`, from [`seed`](Self::seed)
    /// (recorded). Asking twice gives two generators at the same start.
    pub fn rng(&self, component: &str) -> ChaCha20Rng {
        rng_from_seed(self.seed(component))
    }

    /// Records a metric, written in `algorithm.result`'s `final_metrics`
    /// when the run ends normally (the last value given for a name wins).
    pub fn record_metric(&self, name: &str, value: f64) {
        self.recorded()
            .final_metrics
            .insert(name.to_string(), value);
    }

    /// Records a file the run produced: fingerprints it (streaming, as
    /// [`fingerprint_file`]), writes its [`DataSave`] with the run's ids,
    /// and lists it in the run's `algorithm.result` `outputs`, from any
    /// thread. See [`record_output`](crate::record_output).
    ///
    /// # Errors
    /// [`Error::Io`](crate::Error::Io) naming the path when the file cannot
    /// be read (nothing is written or listed then); as [`EventLog::emit`].
    pub fn record_output(&self, path: impl AsRef<Path>) -> crate::Result<FileFingerprint> {
        let fp = fingerprint_file(path)?;
        let save = DataSave::from_file(&fp);
        // Listed even if the line cannot be written: the result says what
        // the run produced.
        self.outputs()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(save.output());
        self.emit(&save)?;
        Ok(fp)
    }

    /// Writes an event to the run's log with the run's ids, from any
    /// thread (a thread the run's body spawned, say, where the run is not
    /// current).
    ///
    /// # Errors
    /// As [`EventLog::emit`].
    pub fn emit<E: Event + ?Sized>(&self, event: &E) -> Result<(), LogError> {
        let _scope = Scope::enter(self.clone());
        self.log().emit(event)
    }
}

/// Writes an event to the current run (with its `run_id`), or, outside any
/// run, to the installed session log: a loop body needs no
/// `current_run().unwrap()`.
///
/// ```
/// use ith_provenance::{crate_info, emit, provenance, Event, EventLog, ProvenanceContext, log::MemorySink};
/// use serde::Serialize;
///
/// #[derive(Serialize, Event)]
/// #[event(name = "path.done", version = 1)]
/// struct PathDone { steps: u32 }
///
/// #[provenance(seed = 1)]
/// fn simulate() -> ith_provenance::Result<()> {
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
    if let Some(run) = current_run::get() {
        return run.log().emit(event);
    }
    match EventLog::current() {
        Some(log) => log.emit(event),
        None => Err(LogError::NoLog {
            event_type: E::EVENT_TYPE,
        }),
    }
}

/// Records a file the program produced: fingerprints it as it streams
/// (constant memory, the digest `sha256sum` prints) and writes a
/// [`DataSave`] event (`data.save`: absolute path, hash, size, file name,
/// working directory).
///
/// Inside a [`#[provenance]`](crate::provenance) run, the line goes to the
/// run's log with its `run_id`, and the file is listed in the run's
/// `algorithm.result` `outputs` ([`Run::record_output`]). Outside any run,
/// like [`emit`], it goes to the installed log as a session-level line,
/// listed in no `outputs`; with no log installed either, it is an error.
///
/// ```
/// use ith_provenance::{crate_info, provenance, record_output, EventLog, ProvenanceContext, log::MemorySink};
///
/// #[provenance(seed = 1)]
/// fn write_report(dir: &std::path::Path) -> ith_provenance::Result<std::path::PathBuf> {
///     let path = dir.join("report.txt");
///     std::fs::write(&path, "2 epochs\n").unwrap();
///     record_output(&path)?;
///     Ok(path)
/// }
///
/// let dir = tempfile::tempdir()?;
/// let ctx = ProvenanceContext::builder(crate_info!()).build()?;
/// let sink = MemorySink::new();
/// let log = EventLog::builder().memory(&sink).open(&ctx)?;
/// let _installed = log.install();
/// write_report(dir.path())?;
/// log.flush()?;
/// let lines = sink.lines();
/// let save = lines.iter().find(|l| l.contains(r#""event_type":"data.save""#)).unwrap();
/// assert!(save.contains(r#""run_id":"write_report#1""#));
/// assert!(save.contains(r#""output_name":"report.txt""#));
/// let result = lines.iter().find(|l| l.contains(r#""event_type":"algorithm.result""#)).unwrap();
/// assert!(result.contains(r#""outputs":[{"target_path":"#));
///
/// let missing = record_output(dir.path().join("nope.txt")).unwrap_err();
/// assert!(missing.to_string().contains("nope.txt"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Io`](crate::Error::Io) naming the path when the file cannot be
/// read (missing, a directory, no permission); [`LogError::NoLog`] outside
/// any run when no log is installed; as [`EventLog::emit`].
pub fn record_output(path: impl AsRef<Path>) -> crate::Result<FileFingerprint> {
    if let Some(run) = current_run::get() {
        return run.record_output(path);
    }
    let Some(log) = EventLog::current() else {
        return Err(LogError::NoLog {
            event_type: DataSave::EVENT_TYPE,
        }
        .into());
    };
    let fp = fingerprint_file(path)?;
    log.emit(&DataSave::from_file(&fp))?;
    Ok(fp)
}

/// A ChaCha20 generator for `component` from the current run's root seed:
/// [`Run::rng`] of [`current_run`](crate::current_run). The seed is recorded (`seed.derived`).
///
/// # Panics
/// Outside a `#[provenance]` function, where there is no run to derive the
/// seed from and record it in; use [`RootSeed::rng`](crate::RootSeed::rng) or
/// [`ProvenanceContext::rng`](crate::ProvenanceContext::rng) there.
pub fn rng(component: &str) -> ChaCha20Rng {
    rng_from_seed(seed(component))
}

/// The seed of `component` from the current run's root seed: [`Run::seed`]
/// of [`current_run`](crate::current_run) (recorded as `seed.derived`).
///
/// # Panics
/// Outside a `#[provenance]` function; see [`rng`].
pub fn seed(component: &str) -> u64 {
    match current_run::get() {
        Some(run) => run.seed(component),
        None => panic!(
            "ith_provenance::seed({component:?}) / ith_provenance::rng({component:?}) called outside a \
             #[provenance] function: there is no run to derive the seed from; use \
             RootSeed::rng or ProvenanceContext::rng there"
        ),
    }
}
