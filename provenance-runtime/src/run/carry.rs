//! Carrying a run into threads and tasks: [`Run::enter`], [`Run::in_scope`]
//! and [`Run::instrument`], named as on `tracing::Span`.
//!
//! Annotated calls made while a carried run is current are its children.
//! Because carried calls may race each other, their identities count by
//! configuration rather than by start order (see `identity`).

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::current_run::Scope;
use super::handle::Run;

/// A run made current on this thread by [`Run::enter`]; dropping it
/// restores what was current before.
///
/// Not `Send`: it must be dropped on the thread that entered it. In `async`
/// code, hold no guard across an `.await` (another task would inherit the
/// run on that thread); use [`Run::instrument`] instead.
#[derive(Debug)]
#[must_use = "the run stops being current as soon as the guard is dropped"]
pub struct Entered<'a> {
    _scope: Scope,
    _run: PhantomData<&'a Run>,
    _not_send: PhantomData<*const ()>,
}

/// A future with a run current on every poll; see [`Run::instrument`].
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Instrumented<F> {
    run: Run,
    // Boxed so this future is `Unpin` without unsafe pin projection.
    future: Pin<Box<F>>,
}

impl<F: Future> Future for Instrumented<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let _scope = Scope::carry(this.run.clone());
        this.future.as_mut().poll(cx)
    }
}

impl Run {
    /// Makes this run current on the calling thread until the guard drops,
    /// so annotated calls made meanwhile are its children and lines written
    /// carry its `run_id`. For a thread the run's body spawned:
    ///
    /// ```
    /// use ith_provenance::{crate_info, provenance, current_run, EventLog, ProvenanceContext, log::MemorySink};
    ///
    /// #[provenance(seed = 7)]
    /// fn sweep() -> Vec<String> {
    ///     let run = current_run().unwrap();
    ///     std::thread::scope(|s| {
    ///         let workers: Vec<_> = (0..3)
    ///             .map(|chunk| {
    ///                 let run = run.clone();
    ///                 s.spawn(move || {
    ///                     let _entered = run.enter();
    ///                     worker(chunk)
    ///                 })
    ///             })
    ///             .collect();
    ///         workers.into_iter().map(|w| w.join().unwrap()).collect()
    ///     })
    /// }
    ///
    /// #[provenance]
    /// fn worker(#[config] chunk: usize) -> String {
    ///     let _ = chunk;
    ///     current_run().unwrap().id().to_string()
    /// }
    ///
    /// let ctx = ProvenanceContext::builder(crate_info!()).build()?;
    /// let sink = MemorySink::new();
    /// let _log = EventLog::builder().memory(&sink).open(&ctx)?.install();
    /// let ids = sweep();
    /// // Children of the sweep, told apart by their config, whichever thread ran first.
    /// assert!(ids.iter().all(|id| id.starts_with("sweep#1/worker@") && id.ends_with("#1")));
    /// assert_eq!(ids.len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn enter(&self) -> Entered<'_> {
        Entered {
            _scope: Scope::carry(self.clone()),
            _run: PhantomData,
            _not_send: PhantomData,
        }
    }

    /// Calls `f` with this run current on the calling thread: the closure
    /// form of [`enter`](Self::enter), handy in `rayon`'s `par_iter`:
    /// `.map(|chunk| run.in_scope(|| worker(chunk)))`.
    pub fn in_scope<T>(&self, f: impl FnOnce() -> T) -> T {
        let _entered = self.enter();
        f()
    }

    /// Wraps a future so this run is current on every poll, on whichever
    /// thread polls it: for `tokio::spawn(run.instrument(async move { … }))`.
    pub fn instrument<F: Future>(&self, future: F) -> Instrumented<F> {
        Instrumented {
            run: self.clone(),
            future: Box::pin(future),
        }
    }
}
