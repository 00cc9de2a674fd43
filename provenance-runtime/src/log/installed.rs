//! The current log of the process, for the `log_*` functions.

use std::sync::{PoisonError, RwLock};

use super::event_log::EventLog;

static CURRENT: RwLock<Option<EventLog>> = RwLock::new(None);

/// Restores the previously installed log, after flushing this one, when
/// dropped. Keep it alive for as long as the `log_*` functions should write
/// to the log (typically all of `main`).
#[must_use = "the log is uninstalled (and flushed) as soon as the guard is dropped"]
#[derive(Debug)]
pub struct InstallGuard {
    previous: Option<EventLog>,
    installed: EventLog,
}

fn install(log: EventLog) -> InstallGuard {
    let mut current = CURRENT.write().unwrap_or_else(PoisonError::into_inner);
    let previous = current.replace(log.clone());
    InstallGuard {
        previous,
        installed: log,
    }
}

fn get() -> Option<EventLog> {
    CURRENT
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
}

impl Drop for InstallGuard {
    fn drop(&mut self) {
        let _ = self.installed.flush();
        let mut current = CURRENT.write().unwrap_or_else(PoisonError::into_inner);
        *current = self.previous.take();
    }
}

impl EventLog {
    /// Makes this log the current one for the `log_*` functions
    /// ([`log_data_load`](crate::log_data_load), …) until the guard drops;
    /// the guard then flushes and restores the previous current log.
    pub fn install(&self) -> InstallGuard {
        install(self.clone())
    }

    /// The log installed with [`install`](Self::install), if any.
    pub fn current() -> Option<EventLog> {
        get()
    }
}
