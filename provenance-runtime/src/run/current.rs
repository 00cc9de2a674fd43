//! Which run is current on this thread: set for a synchronous body's whole
//! extent, and around every poll of an `async` body, wherever it is polled.

use std::cell::RefCell;

use super::Run;

thread_local! {
    static CURRENT: RefCell<Option<Run>> = const { RefCell::new(None) };
}

/// The run current on this thread, if any.
pub(crate) fn get() -> Option<Run> {
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
    previous: Option<Run>,
}

impl Scope {
    pub(crate) fn enter(run: Run) -> Scope {
        let previous = CURRENT
            .try_with(|current| current.replace(Some(run)))
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
