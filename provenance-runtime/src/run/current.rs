//! Which run is current on this thread: set for a synchronous body's whole
//! extent, around every poll of an `async` body, wherever it is polled, and
//! wherever a run is carried ([`Run::enter`](super::Run::enter) and friends).

use std::cell::RefCell;

use super::Run;

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

/// The run current on this thread and how it became current.
pub(super) fn current() -> Option<Current> {
    CURRENT
        .try_with(|current| current.borrow().clone())
        .ok()
        .flatten()
}

/// The run current on this thread if it writes to the session `session_id`:
/// the event log asks, to add `run_id` to the lines it writes for that run.
pub(crate) fn in_session(session_id: &str) -> Option<Run> {
    get().filter(|run| run.log().session_id() == session_id)
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
        let previous = CURRENT
            .try_with(|slot| slot.replace(Some(current)))
            .ok()
            .flatten();
        Scope { previous }
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        let previous = self.previous.take();
        // During thread-local destruction there is nothing left to restore.
        let _ = CURRENT.try_with(|current| current.replace(previous));
    }
}
