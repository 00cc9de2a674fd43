//! A `metrics` batch's payload, written straight from its arrays: the bytes
//! the fast writer ([`Json`](super::json::Json)) and serde_json write for
//! [`Metrics`], without a serializer call per number, and with a run of
//! consecutive steps counted up in decimal instead of formatted one by one.

use serde_json::ser::{CompactFormatter, Formatter};

use super::json::{GiveUp, push_json_str};
use crate::Metrics;

/// Appends `{"name":…,"steps":[…],"values":[…]}`; gives up (for serde_json
/// and its non-finite tracking to write the payload) when a value is NaN
/// or infinite.
pub(super) fn write_metrics(out: &mut Vec<u8>, batch: &Metrics<'_>) -> Result<(), GiveUp> {
    if !batch.values.iter().all(|v| v.is_finite()) {
        return Err(GiveUp);
    }
    // About what a point takes: a step, a value and two commas.
    out.reserve(batch.name.len() + 40 + 28 * batch.values.len());
    out.extend_from_slice(b"{\"name\":");
    push_json_str(out, batch.name);
    out.extend_from_slice(b",\"steps\":[");
    push_steps(out, batch.steps);
    out.extend_from_slice(b"],\"values\":[");
    for (i, &value) in batch.values.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        CompactFormatter.write_f64(out, value).map_err(|_| GiveUp)?;
    }
    out.extend_from_slice(b"]}");
    Ok(())
}

/// The steps, comma-separated, as itoa writes them.
fn push_steps(out: &mut Vec<u8>, steps: &[i64]) {
    let mut counter: Option<Counter> = None;
    for (i, &step) in steps.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match &mut counter {
            Some(next) if next.value == step => {
                next.push(out);
                if !next.advance() {
                    counter = None;
                }
            }
            _ => {
                out.extend_from_slice(itoa::Buffer::new().format(step).as_bytes());
                counter = step.checked_add(1).and_then(Counter::at);
            }
        }
    }
}

/// The decimal digits of the step a run of consecutive steps expects next,
/// kept in a register-sized word: writing them is one 16-byte store, and
/// the next step is one add, except when its last digit is 9.
struct Counter {
    value: i64,
    /// The digits, the first in the lowest byte.
    digits: u128,
    len: usize,
}

impl Counter {
    /// A counter at `value`, if its digits fit the word (a non-negative
    /// step below 10^16).
    fn at(value: i64) -> Option<Self> {
        if !(0..10_000_000_000_000_000).contains(&value) {
            return None;
        }
        let mut buffer = itoa::Buffer::new();
        let text = buffer.format(value).as_bytes();
        let mut digits = [0; 16];
        digits[..text.len()].copy_from_slice(text);
        Some(Counter {
            value,
            digits: u128::from_le_bytes(digits),
            len: text.len(),
        })
    }

    fn push(&self, out: &mut Vec<u8>) {
        let at = out.len();
        out.extend_from_slice(&self.digits.to_le_bytes());
        out.truncate(at + self.len);
    }

    /// Moves to the next step; `false` when it no longer fits.
    fn advance(&mut self) -> bool {
        let last = 8 * (self.len - 1);
        if (self.digits >> last) as u8 != b'9' {
            self.digits += 1 << last;
            self.value += 1;
            return true;
        }
        match Counter::at(self.value + 1) {
            Some(next) => {
                *self = next;
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::json::Json;
    use serde::Serialize;

    /// What the fast writer writes for the batch through serde.
    fn through_serde(batch: &Metrics<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        batch.serialize(Json(&mut out)).unwrap();
        let reference = serde_json::to_vec(batch).unwrap();
        assert_eq!(out, reference, "the fast writer is serde_json's");
        out
    }

    fn direct(batch: &Metrics<'_>) -> Vec<u8> {
        let mut out = b"prefix".to_vec();
        write_metrics(&mut out, batch).unwrap();
        out.split_off(6)
    }

    #[test]
    fn batches_are_written_as_serde_writes_them() {
        let around = |n: i64| [n - 2, n - 1, n, n + 1, n + 2];
        let mut edges: Vec<i64> = vec![i64::MIN, i64::MIN + 1, -1001, -1, i64::MAX - 1, i64::MAX];
        for power in 1..19 {
            edges.extend(around(10_i64.pow(power)));
        }
        let mut runs: Vec<Vec<i64>> = vec![
            (0..2500).collect(),
            (-20..20).collect(),
            (995..1012).collect(),
            (i64::MAX - 3..=i64::MAX).collect(),
            (9_999_999_999_999_990..10_000_000_000_000_010).collect(),
            vec![5, 5, 6, 8, 9, 10, 10, 9, 100, 101],
            edges,
        ];
        // Runs broken at every digit rollover.
        runs.push(
            (0..300)
                .map(|i| if i % 7 == 0 { i * 3 } else { i })
                .collect(),
        );
        for steps in &runs {
            let values: Vec<f64> = steps
                .iter()
                .enumerate()
                .map(|(i, _)| match i % 5 {
                    0 => 1.0 / (1.0 + i as f64 * 1e-3),
                    1 => -(i as f64) * 1e21,
                    2 => 0.0,
                    3 => f64::MIN_POSITIVE / (i as f64 + 1.0),
                    _ => 100.0 + i as f64,
                })
                .collect();
            let batch = Metrics {
                name: "loss \"quoted\"\n",
                steps,
                values: &values,
            };
            assert_eq!(
                String::from_utf8(direct(&batch)).unwrap(),
                String::from_utf8(through_serde(&batch)).unwrap()
            );
        }
    }

    #[test]
    fn a_non_finite_value_is_left_to_serde_json() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut out = Vec::new();
            let batch = Metrics {
                name: "loss",
                steps: &[0, 1],
                values: &[1.0, bad],
            };
            assert!(write_metrics(&mut out, &batch).is_err());
        }
    }
}
