//! Which run is current on this thread: set for a synchronous body's whole
//! extent, around every poll of an `async` body, wherever it is polled, and
//! wherever a run is carried ([`Run::enter`](super::Run::enter) and friends).

use std::cell::RefCell;
use std::sync::Arc;

use super::handle::Run;
use crate::log::{RunFields, set_current_run};

/// The current run, and how it became current.
#[derive(Clone, Debug)]
pub(super) struct Current {
    pub(super) run: Run,
    /// Made current by `enter`/`in_scope`/`instrument` (carried into a
    /// thread or task, maybe racing its siblings) rather than by its own body.
    pub(super) carried: bool,
}

thread_local! {
    static CURRENT: RefCell<Option<Current>> = const { RefCell::new(None) };
}

/// The run current on this thread, if any.
pub(crate) fn get() -> Option<Run> {
    current().map(|current| current.run)
}

/// `f` of the run current on this thread, borrowed rather than cloned: for
/// the per-point path of [`metric`](crate::metric), where two atomic
/// reference-count updates a call would be a good part of the cost.
/// `false` when no run is current (or the thread is being torn down).
pub(crate) fn with_run(f: impl FnOnce(&Run)) -> bool {
    CURRENT
        .try_with(|current| match current.borrow().as_ref() {
            Some(current) => {
                f(&current.run);
                true
            }
            None => false,
        })
        .unwrap_or(false)
}

/// The run current on this thread and how it became current.
pub(super) fn current() -> Option<Current> {
    CURRENT
        .try_with(|current| current.borrow().clone())
        .ok()
        .flatten()
}

/// Makes a run current until dropped, then restores the previous one.
///
/// `Send` on purpose: an `async` run's guard lives in its future, which may
/// move between threads; a scope itself is only ever held within one poll
/// or one synchronous call, so it is always dropped on the thread that
/// entered it.
#[derive(Debug)]
pub(crate) struct Scope {
    previous: Option<Current>,
    /// The log's copy of the current run's envelope fields, kept in step.
    previous_fields: Option<Arc<RunFields>>,
}

impl Scope {
    /// The run's own body (or the runtime acting for the run).
    pub(crate) fn enter(run: Run) -> Scope {
        Scope::set(Current {
            run,
            carried: false,
        })
    }

    /// A run carried into another thread or task by the user.
    pub(super) fn carry(run: Run) -> Scope {
        Scope::set(Current { run, carried: true })
    }

    fn set(current: Current) -> Scope {
        let previous_fields = set_current_run(Some(current.run.fields().clone()));
        let previous = CURRENT
            .try_with(|slot| slot.replace(Some(current)))
            .ok()
            .flatten();
        Scope {
            previous,
            previous_fields,
        }
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        let previous = self.previous.take();
        // During thread-local destruction there is nothing left to restore.
        let _ = CURRENT.try_with(|current| current.replace(previous));
        set_current_run(self.previous_fields.take());
    }
}

/// The run current on this thread: inside a `#[provenance]` function's body
/// and everything it calls (in an `async` body, on every poll), and where a
/// run was carried with [`Run::enter`], [`Run::in_scope`] or
/// [`Run::instrument`]. `None` elsewhere, including threads and tasks the
/// body spawns without carrying its run.
pub fn current_run() -> Option<Run> {
    get()
}
