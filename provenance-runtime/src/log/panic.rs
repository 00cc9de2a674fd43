//! Flushing on panic: every open log is registered, and a panic hook
//! (installed once, chained to the previous hook) writes their pending
//! lines — which also covers `panic = "abort"`, where no destructor runs.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, Once, PoisonError, Weak};

use super::state::Inner;

static LOGS: Mutex<Vec<Weak<Inner>>> = Mutex::new(Vec::new());
static HOOK: Once = Once::new();

thread_local! {
    /// The message of the last panic on this thread, for the
    /// `algorithm.result` event a guard writes while unwinding.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

pub(super) fn register(inner: &Arc<Inner>) {
    let mut logs = LOGS.lock().unwrap_or_else(PoisonError::into_inner);
    logs.retain(|w| w.strong_count() > 0);
    logs.push(Arc::downgrade(inner));
    drop(logs);
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic with a non-string payload".to_string());
            let location = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()));
            let _ = LAST_PANIC.try_with(|last| {
                if let Ok(mut last) = last.try_borrow_mut() {
                    *last = Some(format!("{message}{}", location.unwrap_or_default()));
                }
            });
            flush_all();
            previous(info);
        }));
    });
}

/// Writes the pending lines of every open log, skipping any whose lock is
/// held (by the panicking thread, possibly).
fn flush_all() {
    let Ok(logs) = LOGS.try_lock() else { return };
    for inner in logs.iter().filter_map(Weak::upgrade) {
        inner.try_flush();
    }
}

/// The message and location of the last panic on this thread, if any.
pub(crate) fn last_panic_message() -> Option<String> {
    LAST_PANIC
        .try_with(|last| last.borrow().clone())
        .ok()
        .flatten()
}
