//! Identical parallel siblings: carried calls of one function under one
//! parent, with equal identity keys, running at once on different threads.
//! Their `#n`, and so their seeds, follow the order the threads started
//! them; this module tells each such run so at its end, and warns once per
//! function.
//!
//! The bookkeeping rides on the sibling map `identity` already locks when a
//! run starts; a run's end touches only two atomics of its group, so
//! ordinary calls take no lock they did not take before.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// What the members of one `name@key` group share without a lock.
#[derive(Debug, Default)]
pub(super) struct Live {
    /// Members running now.
    running: AtomicU32,
    /// Starts so far that raced a running member on another thread.
    races: AtomicU64,
}

impl Live {
    /// Members running now.
    pub(super) fn running(&self) -> u32 {
        self.running.load(Ordering::SeqCst)
    }
}

/// One carried run's membership of its group, from its start to its end
/// (dropping it ends it).
#[derive(Debug)]
pub(crate) struct StartOrder {
    live: Arc<Live>,
    /// It started while an equal sibling ran on another thread.
    raced_at_start: bool,
    /// `live.races` just after it started.
    races_at_start: u64,
    ended: Option<bool>,
}

impl StartOrder {
    /// Joins the group as a running member; `racing` when an equal sibling
    /// runs on another thread now. Called with the sibling map locked.
    pub(super) fn begin(live: Arc<Live>, racing: bool) -> StartOrder {
        live.running.fetch_add(1, Ordering::SeqCst);
        let races = if racing {
            live.races.fetch_add(1, Ordering::SeqCst) + 1
        } else {
            live.races.load(Ordering::SeqCst)
        };
        StartOrder {
            live,
            raced_at_start: racing,
            races_at_start: races,
            ended: None,
        }
    }

    /// Whether it started while an equal sibling ran on another thread:
    /// known when its `algorithm.init` is written.
    pub(crate) fn raced_at_start(&self) -> bool {
        self.raced_at_start
    }

    /// Leaves the group (once; later calls repeat the answer) and says
    /// whether the run raced an equal sibling: at its start, or because one
    /// started on another thread while it ran.
    pub(crate) fn end(&mut self) -> bool {
        *self.ended.get_or_insert_with(|| {
            self.live.running.fetch_sub(1, Ordering::SeqCst);
            self.raced_at_start || self.live.races.load(Ordering::SeqCst) > self.races_at_start
        })
    }
}

impl Drop for StartOrder {
    fn drop(&mut self) {
        self.end();
    }
}

/// Says on stderr, once per annotated function and process (and never
/// under `PROVENANCE_QUIET=1`), that calls of `function` raced with equal
/// identities, and how to tell them apart. `site` identifies the function
/// (its `RunSite`'s address).
pub(super) fn warn_once(site: usize, function: &str, run_id: &str) {
    static WARNED: Mutex<BTreeSet<usize>> = Mutex::new(BTreeSet::new());
    if crate::settings::quiet() {
        return;
    }
    if !WARNED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(site)
    {
        return;
    }
    let group = run_id.rsplit_once('#').map_or(run_id, |(group, _)| group);
    eprintln!(
        "provenance: parallel calls of `{function}` have equal identities ({group}#…): \
         their run ids, and so their seeds, follow the order threads started them. Mark \
         the argument that tells the calls apart #[config] or #[fingerprint] \
         (PROVENANCE_QUIET=1 silences this line)"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_alone_or_in_sequence_never_raced() {
        let live = Arc::new(Live::default());
        let mut first = StartOrder::begin(Arc::clone(&live), false);
        assert!(!first.raced_at_start());
        assert!(!first.end());
        let mut second = StartOrder::begin(Arc::clone(&live), false);
        assert!(!second.end());
        assert_eq!(live.running(), 0);
    }

    #[test]
    fn a_race_marks_the_starter_and_every_member_running() {
        let live = Arc::new(Live::default());
        let mut running = StartOrder::begin(Arc::clone(&live), false);
        let mut starter = StartOrder::begin(Arc::clone(&live), true);
        assert!(starter.raced_at_start());
        assert!(starter.end());
        assert!(running.end(), "it was running when the race began");
        assert!(running.end(), "the answer stays");
        // A member started after the race, alone, did not race.
        let mut later = StartOrder::begin(Arc::clone(&live), false);
        assert!(!later.end());
        assert_eq!(live.running(), 0);
    }

    #[test]
    fn dropping_a_member_ends_it() {
        let live = Arc::new(Live::default());
        drop(StartOrder::begin(Arc::clone(&live), false));
        assert_eq!(live.running(), 0);
    }
}
