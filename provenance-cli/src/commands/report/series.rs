//! A run's metric series for the page: its points gathered from its
//! `metrics` lines, and, when there are more than a chart can use, each
//! bucket's min and max kept in step order (so a spike survives).

use serde_json::{Map, Value, json};

/// The most points a series is drawn with; longer ones are downsampled to
/// [`BUCKETS`] buckets of two points.
pub(crate) const MAX_DRAWN: usize = 4000;
/// Buckets of a downsampled series.
pub(crate) const BUCKETS: usize = MAX_DRAWN / 2;

/// One series' points (`None`: a NaN or infinity, written `null`).
#[derive(Debug, Default)]
pub(crate) struct Series {
    steps: Vec<i64>,
    values: Vec<Option<f64>>,
}

impl Series {
    /// Adds a `metrics` line's points; a line whose arrays are broken
    /// (`validate` names it) adds what it can pair.
    pub(crate) fn add(&mut self, line: &Map<String, Value>) {
        let (Some(steps), Some(values)) = (
            line.get("steps").and_then(Value::as_array),
            line.get("values").and_then(Value::as_array),
        ) else {
            return;
        };
        for (step, value) in steps.iter().zip(values) {
            let Some(step) = step.as_i64() else { continue };
            self.steps.push(step);
            self.values.push(value.as_f64());
        }
    }
}

/// The series as the page draws it: every point, or each bucket's min and
/// max in step order when it has more than [`MAX_DRAWN`].
pub(crate) fn downsample(run: &str, name: &str, series: Series) -> Value {
    let points = series.steps.len();
    if points <= MAX_DRAWN {
        return json!({
            "run": run, "name": name, "points": points, "downsampled": false,
            "steps": series.steps, "values": series.values,
        });
    }
    let mut steps = Vec::with_capacity(MAX_DRAWN);
    let mut values = Vec::with_capacity(MAX_DRAWN);
    for bucket in 0..BUCKETS {
        let start = bucket * points / BUCKETS;
        let end = (bucket + 1) * points / BUCKETS;
        let finite = (start..end).filter_map(|i| series.values[i].map(|v| (i, v)));
        let lowest = finite.clone().min_by(|a, b| a.1.total_cmp(&b.1));
        let highest = finite.max_by(|a, b| a.1.total_cmp(&b.1));
        match (lowest, highest) {
            (Some(low), Some(high)) => {
                let (first, second) = if low.0 <= high.0 {
                    (low, high)
                } else {
                    (high, low)
                };
                steps.push(series.steps[first.0]);
                values.push(Some(first.1));
                if second.0 != first.0 {
                    steps.push(series.steps[second.0]);
                    values.push(Some(second.1));
                }
            }
            // Only NaNs and infinities: a gap.
            _ => {
                steps.push(series.steps[start]);
                values.push(None);
            }
        }
    }
    json!({
        "run": run, "name": name, "points": points, "downsampled": true,
        "steps": steps, "values": values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: Vec<Option<f64>>) -> Series {
        Series {
            steps: (0..values.len() as i64).collect(),
            values,
        }
    }

    #[test]
    fn a_short_series_is_drawn_whole() {
        let drawn = downsample("r0", "loss", series(vec![Some(1.0), None, Some(0.5)]));
        assert_eq!(drawn["downsampled"], false);
        assert_eq!(drawn["values"], json!([1.0, null, 0.5]));
    }

    #[test]
    fn a_long_series_keeps_each_buckets_min_and_max_and_every_spike() {
        let n = 1_000_000;
        let mut values: Vec<Option<f64>> = (0..n).map(|i| Some((i % 100) as f64)).collect();
        values[777_777] = Some(1e9);
        values[123_456] = Some(-1e9);
        values[500_000] = None;
        let drawn = downsample("r0", "loss", series(values));
        assert_eq!(drawn["downsampled"], true);
        assert_eq!(drawn["points"], n);
        let steps: Vec<i64> = serde_json::from_value(drawn["steps"].clone()).unwrap();
        let drawn_values: Vec<Option<f64>> =
            serde_json::from_value(drawn["values"].clone()).unwrap();
        assert!(steps.len() <= MAX_DRAWN && steps.len() == drawn_values.len());
        assert!(steps.windows(2).all(|w| w[0] < w[1]), "in step order");
        assert!(drawn_values.contains(&Some(1e9)) && drawn_values.contains(&Some(-1e9)));
        assert!(drawn_values.contains(&Some(0.0)) && drawn_values.contains(&Some(99.0)));
    }
}
