//! A run's metric series for the page: its points gathered from its
//! `metrics` lines and put in step order, and, when there are more than a
//! chart can use, each bucket's min and max kept in step order (so a spike
//! survives).

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

    /// The points by step, equal steps in the order they were recorded.
    /// The contract allows any step order (a `metric_at` back to an earlier
    /// step, workers' batches interleaved), but a chart draws a line from
    /// left to right and finds a step by bisection.
    fn in_step_order(self) -> Series {
        if self.steps.is_sorted() {
            return self;
        }
        let mut points: Vec<(i64, Option<f64>)> = self.steps.into_iter().zip(self.values).collect();
        // Stable: equal steps keep their recorded order.
        points.sort_by_key(|&(step, _)| step);
        let (steps, values) = points.into_iter().unzip();
        Series { steps, values }
    }
}

/// The series as the page draws it, in step order: every point, or each
/// bucket's min and max when it has more than [`MAX_DRAWN`].
pub(crate) fn downsample(run: &str, name: &str, series: Series) -> Value {
    let series = series.in_step_order();
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

    fn drawn(series: Series) -> (Vec<i64>, Vec<Option<f64>>) {
        let drawn = downsample("r0", "loss", series);
        (
            serde_json::from_value(drawn["steps"].clone()).unwrap(),
            serde_json::from_value(drawn["values"].clone()).unwrap(),
        )
    }

    #[test]
    fn points_come_out_in_step_order_and_equal_steps_in_recorded_order() {
        // `metric_at` back to earlier steps, then negative steps.
        let (steps, values) = drawn(Series {
            steps: vec![10, 3, 3, 4, -5, -10, 3],
            values: vec![
                Some(1.0),
                Some(2.0),
                None,
                Some(4.0),
                Some(5.0),
                Some(6.0),
                Some(7.0),
            ],
        });
        assert_eq!(steps, [-10, -5, 3, 3, 3, 4, 10]);
        assert_eq!(
            values,
            [
                Some(6.0),
                Some(5.0),
                Some(2.0),
                None,
                Some(7.0),
                Some(4.0),
                Some(1.0)
            ]
        );
    }

    #[test]
    fn interleaved_batches_of_workers_come_out_in_step_order() {
        // Two workers' batches of 1,024 points, in the order their lines
        // were written: 0..1024, 2048..3072, 1024..2048.
        let steps: Vec<i64> = [0, 2, 1]
            .iter()
            .flat_map(|b| b * 1024..(b + 1) * 1024)
            .collect();
        let values = steps.iter().map(|&s| Some(s as f64 * 0.5)).collect();
        let (steps, values) = drawn(Series { steps, values });
        assert_eq!(steps, (0..3 * 1024).collect::<Vec<i64>>());
        let paired = steps.iter().zip(&values);
        assert!(paired.into_iter().all(|(&s, &v)| v == Some(s as f64 * 0.5)));
    }

    #[test]
    fn a_long_shuffled_series_is_bucketed_in_step_order_keeping_its_min_and_max() {
        let n: i64 = 1_000_000;
        // 7,919 is prime to 10^6: `i * 7919 % n` visits every step once,
        // far from in order.
        let steps: Vec<i64> = (0..n).map(|i| i * 7919 % n).collect();
        let value = |s: i64| match s {
            654_321 => 1e9,
            99 => -1e9,
            _ => (s % 1000) as f64,
        };
        let values = steps.iter().map(|&s| Some(value(s))).collect();
        let (steps, values) = drawn(Series { steps, values });
        assert!(steps.len() <= MAX_DRAWN && steps.len() == values.len());
        assert!(steps.windows(2).all(|w| w[0] < w[1]), "in step order");
        assert!(
            steps
                .iter()
                .zip(&values)
                .all(|(&s, &v)| v == Some(value(s))),
            "each value kept with its own step"
        );
        let at = |s| steps.iter().position(|&x| x == s);
        assert!(at(654_321).is_some() && at(99).is_some(), "the max and min");
    }
}
