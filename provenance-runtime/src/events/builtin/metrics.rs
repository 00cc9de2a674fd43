//! `metrics`: a batch of one metric series' points, and the per-series
//! summary `algorithm.result` carries.

use serde::{Deserialize, Serialize};

use crate::Event;

/// `metrics`: consecutive points of one metric series of a run (or of the
/// session, outside any run), written by the log in batches of at most
/// 1,024 points ([`metric`](crate::metric), [`Run::metric`](crate::Run::metric)).
///
/// `steps[i]` is the step of `values[i]`; a NaN or infinite value is `null`
/// in place, named in the line's `non_finite` (`/values/3`). Steps are
/// `i64`: MLflow's step is an int64, and Parquet's INT64 and pandas' int64
/// hold every one exactly, while a `u64` above 2^63 would not survive those
/// readers; a negative step (a warm-up or pre-sample window) is meaningful.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Event)]
#[event(name = "metrics", version = 1, crate = "crate")]
pub struct Metrics<'a> {
    /// The series' name (never empty).
    pub name: &'a str,
    /// The points' steps, in the order they were recorded.
    pub steps: &'a [i64],
    /// The points' values, one per step.
    pub values: &'a [f64],
}

/// One series in `algorithm.result`'s `metrics`: kept point by point as
/// the series is recorded, so the result needs no second pass.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricSummary {
    /// The value at the greatest step (of points at equal steps, the last
    /// recorded): the series' last value in step order, whatever order
    /// worker threads recorded its points in.
    pub last: f64,
    /// The smallest value, NaN ignored (NaN, written `null`, when every
    /// value was NaN).
    pub min: f64,
    /// The largest value, NaN ignored (as `min`).
    pub max: f64,
    /// Every point recorded, NaN included.
    pub count: u64,
}

impl MetricSummary {
    /// A summary of one point.
    pub(crate) fn first(value: f64) -> Self {
        MetricSummary {
            last: value,
            min: value,
            max: value,
            count: 1,
        }
    }

    /// Adds a point, the new `last` when `latest` (its step is the
    /// greatest so far): `f64::min`/`max` skip a NaN on either side.
    pub(crate) fn add(&mut self, value: f64, latest: bool) {
        if latest {
            self.last = value;
        }
        self.min = self.min.min(value);
        self.max = self.max.max(value);
        self.count += 1;
    }
}
