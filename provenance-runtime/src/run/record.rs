//! What a run's body records: events ([`Run::emit`], [`emit`]), seeds
//! ([`Run::seed`], [`seed`], [`rng`]) and metrics ([`Run::record_metric`],
//! series with [`Run::metric`], [`metric`] and [`metric_at`]), on a [`Run`]
//! or on the current one.

use std::path::Path;
use std::sync::PoisonError;

use rand_chacha::ChaCha20Rng;

use super::current_run::{self, Scope};
use super::handle::Run;
use super::seed_event::SeedDerived;
use crate::log::dropped_point;
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

    /// The next point of the run's metric series `name`: step 0, 1, 2, …
    /// (after a [`metric_at`](Self::metric_at), its step + 1), from any
    /// thread; see [`metric`](crate::metric).
    pub fn metric(&self, name: &str, value: f64) {
        self.record_point(name, None, value);
    }

    /// A point of the run's metric series `name` at the caller's `step`;
    /// see [`metric_at`](crate::metric_at).
    pub fn metric_at(&self, name: &str, step: i64, value: f64) {
        self.record_point(name, Some(step), value);
    }

    fn record_point(&self, name: &str, step: Option<i64>, value: f64) {
        let log = self.log();
        let first = self.metrics().record(name, step, value, &mut |batch, run| {
            log.emit_metrics(batch, run)
        });
        if first {
            log.register_metrics(self.metrics());
        }
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

/// Records the next point of the metric series `name`: steps 0, 1, 2, …
/// per run and name (after a [`metric_at`], its step + 1). Cheap enough
/// for an inner loop: points are kept in memory, per run, and written as
/// `metrics` lines of up to [`BATCH_POINTS`](crate::BATCH_POINTS) points
/// (`{"name":"nav","steps":[0,1,2],"values":[1.0,1.01,null],…}`, a NaN or
/// infinity as `null` named in `non_finite`).
///
/// Inside a [`#[provenance]`](crate::provenance) run (on its own thread or
/// wherever it was carried with [`Run::enter`] / [`Run::in_scope`]) the
/// series is the run's: its lines carry the run's `run_id`, whichever
/// thread writes them, and its `algorithm.result` summarizes it
/// (`metrics`: last, min, max, count). Outside any run it is the
/// installed log's own ([`EventLog::metric`]).
///
/// A batch is written when it is full, when the log is flushed or closed
/// ([`EventLog::flush`]; an installed log's guard flushes on drop), and at
/// the run's end, before its `algorithm.result`, whether it returned, failed
/// or panicked. So with `Durability::PerLine` a `kill -9` loses at most
/// each thread's current batch of each series (fewer than 1,024 points per
/// series and thread). A point costs no lock: each thread fills its own
/// batch of a series, and several threads recording into one series each
/// write their own lines, a point without a step getting the series' next
/// one when its line is written.
///
/// Never panics. A point with an empty name, or outside any run with no
/// log installed, is dropped and counted
/// ([`dropped_metric_points`](crate::dropped_metric_points)), the first
/// one also reported on stderr.
///
/// ```
/// use ith_provenance::{crate_info, metric, metric_at, provenance, EventLog, ProvenanceContext, log::MemorySink};
///
/// #[provenance(seed = 1)]
/// fn train() {
///     for epoch in 0..3 {
///         metric("loss", 1.0 / f64::from(epoch + 1)); // steps 0, 1, 2
///     }
///     metric_at("lr", -1, f64::NAN); // a warm-up step; NaN is kept exactly
/// }
///
/// let ctx = ProvenanceContext::builder(crate_info!()).build()?;
/// let sink = MemorySink::new();
/// let log = EventLog::builder().memory(&sink).open(&ctx)?;
/// let _installed = log.install();
/// train();
/// let lines = sink.lines();
/// let loss = lines.iter().find(|l| l.contains(r#""name":"loss""#)).unwrap();
/// assert!(loss.contains(r#""run_id":"train#1","name":"loss","steps":[0,1,2],"values":[1.0,0.5,0.3333333333333333]}"#));
/// let lr = lines.iter().find(|l| l.contains(r#""name":"lr""#)).unwrap();
/// assert!(lr.ends_with(r#""steps":[-1],"values":[null],"non_finite":[{"pointer":"/values/0","value":"NaN"}]}"#));
/// let result = lines.iter().find(|l| l.contains(r#""event_type":"algorithm.result""#)).unwrap();
/// assert!(result.contains(r#""loss":{"last":0.3333333333333333,"min":0.3333333333333333,"max":1.0,"count":3}"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn metric(name: &str, value: f64) {
    record_point(name, None, value);
}

/// Records a point of the metric series `name` at the caller's own `step`,
/// as [`metric`] does at the next one; a later [`metric`] continues at
/// `step + 1`.
///
/// Steps are `i64`, not `u64`: MLflow's step is an int64, and Parquet's
/// INT64 and pandas' int64 columns hold every `i64` exactly, where a `u64`
/// above 2^63 would not survive those readers; and a negative step (a
/// warm-up or pre-sample window before step 0) is meaningful.
pub fn metric_at(name: &str, step: i64, value: f64) {
    record_point(name, Some(step), value);
}

fn record_point(name: &str, step: Option<i64>, value: f64) {
    if current_run::with_run(|run| run.record_point(name, step, value)) {
        return;
    }
    match EventLog::current() {
        Some(log) => match step {
            Some(step) => log.metric_at(name, step, value),
            None => log.metric(name, value),
        },
        None => dropped_point("recorded outside any run, with no log installed"),
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
