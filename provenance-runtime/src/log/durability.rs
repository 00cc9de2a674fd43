//! [`Durability`]: what a crash may lose, the one trade-off a log offers.

/// How much a crash can lose, traded against speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Durability {
    /// Lines collect in memory and are written when the buffer fills
    /// (64 KiB by default), when a time limit passes (1 s by default), on
    /// [`EventLog::flush`](crate::EventLog::flush), when the log is closed
    /// or dropped, when a `#[provenance]` run has written its start (so
    /// `std::process::exit` in its body cannot lose it), and when the
    /// program panics (even with `panic = "abort"`); the first line
    /// (`session.start`) is written at once, so opening reports a
    /// destination that cannot take it. A `kill -9`, an `abort()` or a
    /// power cut loses what was still buffered: at most the buffer, or the
    /// last time-limit's worth of events. The default.
    #[default]
    Buffered,
    /// Every event is handed to the kernel in one `write` before `emit`
    /// returns: it survives the process being killed (`kill -9`, `abort()`),
    /// not a power cut or kernel crash.
    PerLine,
    /// As `PerLine`, then `fsync` (`sync_data`) before `emit` returns: the
    /// event survives a power cut once `emit` has returned. Slowest.
    Fsync,
}
