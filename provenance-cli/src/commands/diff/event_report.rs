//! What `diff --events` reports: per event type (per series, for metric
//! series), the counts and the first difference.

use serde::Serialize;
use serde_json::Value;

/// The comparison of one event type.
#[derive(Clone, Debug, Serialize)]
pub struct TypeReport {
    /// The event type.
    pub event_type: String,
    /// Events of the type in A's session.
    pub a: u64,
    /// Events of the type in B's session.
    pub b: u64,
    /// The metric series compared, for `metrics` events: one report per
    /// series name (over every run), counting points, not events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Same number of events, each equal to its counterpart.
    pub same: bool,
    /// The first event that differs, or the first one side has and the
    /// other does not.
    pub first_difference: Option<EventDifference>,
}

/// Where a type's streams first differ.
#[derive(Clone, Debug, Serialize)]
pub struct EventDifference {
    /// The run whose events of the type differ (`None`: lines outside any
    /// run): A's run, or B's for a run only B has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// B's run, when the run in A is paired with a run of another id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_b: Option<String>,
    /// 0-based index of the event among its type's events in that run (of
    /// the point in its series, for a metric series).
    pub index: u64,
    /// For a metric series, the step of the point that differs (A's; B's
    /// when only B has it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<i64>,
    /// Its line in A (`None`: A has no event at this index).
    pub line_a: Option<u64>,
    /// Its line in B (`None`: B has no event at this index).
    pub line_b: Option<u64>,
    /// The first payload field that differs (`key.key[index]`); `None`
    /// when one side has no event there.
    pub path: Option<String>,
    /// A's value at the path.
    pub a: Option<Value>,
    /// B's value at the path.
    pub b: Option<Value>,
}
