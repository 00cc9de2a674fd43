//! The session annotated functions write to: the installed log if there is
//! one, else one log per process, opened by the first annotated call and
//! kept (and installed) for the rest of the process.

use std::cell::RefCell;
use std::ffi::OsString;
use std::sync::OnceLock;

use crate::{CrateInfo, EventLog, LogTarget, ProvenanceContext, RootSeed, SeedSource, settings};

static PROCESS_LOG: OnceLock<EventLog> = OnceLock::new();
/// `PROVENANCE_SEED` as the process read it, once: the session's context
/// and every run's root seed see the same value.
static ENV_SEED: OnceLock<Option<OsString>> = OnceLock::new();

/// The log a run writes to: [`EventLog::current`], else the process's own
/// (opened now, on the first call, for `crate_info`'s crate and
/// `experiment`).
pub(crate) fn log_for(crate_info: fn() -> CrateInfo, experiment: &str) -> EventLog {
    if let Some(log) = EventLog::current() {
        return log;
    }
    PROCESS_LOG
        .get_or_init(|| {
            let log = open_process_log(crate_info(), experiment);
            // Installed for good: `EventLog::current()` and the `log_*`
            // functions reach the session from anywhere in the process.
            std::mem::forget(log.install());
            flush_when_this_thread_exits(&log);
            log
        })
        .clone()
}

/// Flushes the log (the session's own metric series included) when it is
/// dropped: kept in a thread-local of the thread that opened the process
/// log, whose destructors run when that thread ends, and for the main
/// thread when `main` returns or calls `std::process::exit`. The process
/// log itself lives in a static, which is never dropped.
///
/// Nothing flushes it after that, so from then on it writes each line (and
/// each session point) as it comes: a first annotated call made on a
/// spawned thread that has ended loses nothing the program writes later.
struct FlushAtExit(EventLog);

impl Drop for FlushAtExit {
    fn drop(&mut self) {
        // First the mode, then the flush: a line buffered meanwhile is
        // either written through or flushed here.
        self.0.write_through();
        // A failing log has reported itself.
        let _ = self.0.flush();
    }
}

fn flush_when_this_thread_exits(log: &EventLog) {
    thread_local! {
        static AT_EXIT: RefCell<Option<FlushAtExit>> = const { RefCell::new(None) };
    }
    let _ = AT_EXIT.try_with(|slot| *slot.borrow_mut() = Some(FlushAtExit(log.clone())));
}

fn open_process_log(crate_info: CrateInfo, experiment: &str) -> EventLog {
    // A malformed PROVENANCE_SEED (or PROVENANCE_STRICT) must not silently
    // become a random (or lenient) run, and there is no caller to return
    // the error to: say it in one line and stop, before the run starts.
    let ctx = ProvenanceContext::builder(crate_info)
        .experiment_id(experiment)
        .seed_env_value(env_seed_value().clone())
        .build()
        .unwrap_or_else(|e| stop(&format!("cannot start the session: {e}")));
    // Read once, here, where a bad value can stop the process cleanly.
    let strict = settings::strict().unwrap_or_else(|e| stop(&e.to_string()));
    match EventLog::builder().strict(strict).open(&ctx) {
        Ok(log) => log,
        Err(e) if strict => {
            // As `.strict(true)`: the first annotated call fails with it.
            panic!(
                "provenance: PROVENANCE_STRICT=1 and this process's runs cannot be recorded: {e}"
            )
        }
        Err(e) => {
            // As the log itself does once open: report, and let the
            // experiment go on unrecorded rather than stop it.
            eprintln!(
                "provenance: {e}; this process's runs are not recorded (PROVENANCE_STRICT=1 \
                 makes this fatal)"
            );
            EventLog::builder()
                .target(LogTarget::Off)
                .strict(false)
                .open(&ctx)
                .unwrap_or_else(|e| stop(&format!("cannot open even a discarding log: {e}")))
        }
    }
}

/// Ends the process on a setting it cannot run with: one line on stderr,
/// no panic message or backtrace, exit status 2.
fn stop(message: &str) -> ! {
    eprintln!("provenance: {message}");
    std::process::exit(2)
}

/// A run's root seed: the annotation's `seed`, else `PROVENANCE_SEED`, else
/// the session's root seed (drawn from entropy when the session was opened
/// by an annotated call without the variable).
pub(crate) fn root_seed(explicit: Option<u64>, log: &EventLog) -> RootSeed {
    if let Some(seed) = explicit {
        return RootSeed::explicit(seed);
    }
    env_root_seed().unwrap_or(log.context().root_seed)
}

/// The root seed `PROVENANCE_SEED` gives, parsed once per process (`None`
/// when it is unset or blank).
fn env_root_seed() -> Option<RootSeed> {
    static PARSED: OnceLock<Option<RootSeed>> = OnceLock::new();
    *PARSED.get_or_init(|| {
        let value = env_seed_value().as_deref()?;
        match RootSeed::resolve_with(None, Some(value)) {
            Ok(root) if root.source == SeedSource::Environment => Some(root),
            // Blank: as if unset.
            Ok(_) => None,
            Err(e) => stop(&e.to_string()),
        }
    })
}

/// `PROVENANCE_SEED`, read once per process.
fn env_seed_value() -> &'static Option<OsString> {
    ENV_SEED.get_or_init(settings::seed)
}
