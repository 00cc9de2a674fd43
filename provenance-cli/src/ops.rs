//! The plumbing the verbs share: finding log files ([`log_paths`]),
//! reading them in blocks ([`reader`]), parsing a line ([`line`]), checking
//! it against the event schemas ([`schemas`]), scanning a log into
//! sessions and runs ([`scan`]), and the small readers of fields several
//! verbs print ([`git_state`], [`non_finite`]). Nothing here knows a verb.

pub(crate) mod git_state;
pub(crate) mod line;
pub(crate) mod log_paths;
pub(crate) mod log_source;
pub(crate) mod non_finite;
pub(crate) mod reader;
pub(crate) mod rerun;
pub(crate) mod scan;
pub(crate) mod schemas;
