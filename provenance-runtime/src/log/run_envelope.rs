//! The envelope fields of the run current on this thread (`run_id`, and
//! `parent_run_id` for a nested run): set by the `run` module whenever a run
//! becomes current, read by every line the log writes, so the log adds them
//! without knowing what a run is.

use std::cell::RefCell;
use std::sync::Arc;

/// One run's envelope fields, built once when the run starts.
#[derive(Debug)]
pub(crate) struct RunFields {
    /// The session of the run's log: only that session's lines carry them.
    session_id: Box<str>,
    /// `,"run_id":"a#1/b#1","parent_run_id":"a#1"`.
    fields: Box<[u8]>,
}

impl RunFields {
    pub(crate) fn new(session_id: &str, run_id: &str, parent_run_id: Option<&str>) -> Self {
        // Names may hold anything a string literal can: escape them.
        let quoted = |s: &str| serde_json::to_string(s).expect("a string serializes");
        let mut fields = format!(",\"run_id\":{}", quoted(run_id));
        if let Some(parent) = parent_run_id {
            fields.push_str(&format!(",\"parent_run_id\":{}", quoted(parent)));
        }
        RunFields {
            session_id: session_id.into(),
            fields: fields.into_bytes().into_boxed_slice(),
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<RunFields>>> = const { RefCell::new(None) };
}

/// Makes `fields` the current run's on this thread (`None`: no run) and
/// returns the ones they replace, for the caller to restore.
pub(crate) fn set_current_run(fields: Option<Arc<RunFields>>) -> Option<Arc<RunFields>> {
    // During thread-local destruction there is nothing to set or restore.
    CURRENT
        .try_with(|current| current.replace(fields))
        .ok()
        .flatten()
}

/// Appends the current run's fields when it writes to the session
/// `session_id`.
pub(super) fn push_current_run(out: &mut Vec<u8>, session_id: &str) {
    let _ = CURRENT.try_with(|current| {
        if let Some(run) = &*current.borrow() {
            push_run(out, run, session_id);
        }
    });
}

/// Appends `run`'s fields when it is a run of the session `session_id`.
pub(super) fn push_run(out: &mut Vec<u8>, run: &RunFields, session_id: &str) {
    if &*run.session_id == session_id {
        out.extend_from_slice(&run.fields);
    }
}
