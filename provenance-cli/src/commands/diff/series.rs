//! `diff --events` on `metrics` lines: each metric series (a run's, or the
//! session's, by name) compared point by point, across batch boundaries,
//! since two logs may cut the same series into lines differently.
//!
//! As for event streams, the two sides' points are matched in lockstep: a
//! point waits in its series' queue only until the other side's point of
//! the same index arrives, and a queue longer than [`MAX_PENDING_POINTS`]
//! stops the series (it is compared in a pass of its own afterwards).
//!
//! Recorded order is only the fast path: worker threads that record into
//! one series write their batches in whatever order they fill them, so a
//! series found to differ in recorded order is compared again in step
//! order ([`in_step_order`]), and that comparison is the verdict.

use std::collections::VecDeque;

use serde_json::{Map, Value};

use super::event_report::EventDifference;
use super::value::{Tolerance, first_delta};

/// The event type of a batch of points.
pub const EVENT_TYPE: &str = "metrics";

/// Points one series' queue may hold before the series is compared in a
/// pass of its own (256 full batches).
pub const MAX_PENDING_POINTS: usize = 256 * 1024;

/// A series: its name and its run (`None`: the session's own).
pub type SeriesKey = (String, Option<String>);

/// The series a `metrics` line's points belong to (`""` without a name).
pub fn name(payload: &Map<String, Value>) -> String {
    payload
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// One point of a series and the line it came from.
#[derive(Debug)]
pub struct Point {
    line: u64,
    /// `None`: not an integer (or missing).
    step: Option<i64>,
    /// The value, non-finite ones restored as `"NaN"`, … (`null` missing).
    value: Value,
}

/// The points of a `metrics` line, `steps[i]` with `values[i]`.
pub fn points(line: u64, payload: &Map<String, Value>) -> Vec<Point> {
    let array = |key| match payload.get(key) {
        Some(Value::Array(items)) => items.as_slice(),
        _ => &[],
    };
    let (steps, values) = (array("steps"), array("values"));
    (0..steps.len().max(values.len()))
        .map(|i| Point {
            line,
            step: steps.get(i).and_then(Value::as_i64),
            value: values.get(i).cloned().unwrap_or(Value::Null),
        })
        .collect()
}

/// `points` in step order: by step, equal steps by value (numbers in
/// IEEE total order, then the rest by their JSON text), so that two logs
/// whose threads recorded the same points in different orders line up.
/// A point without an integer step sorts first, in recorded order.
pub fn in_step_order(points: &mut [Point]) {
    fn number(v: &Value) -> Option<f64> {
        match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => match s.as_str() {
                "NaN" => Some(f64::NAN),
                "Infinity" => Some(f64::INFINITY),
                "-Infinity" => Some(f64::NEG_INFINITY),
                _ => None,
            },
            _ => None,
        }
    }
    points.sort_by(|x, y| {
        x.step.cmp(&y.step).then_with(|| {
            if x.step.is_none() {
                return std::cmp::Ordering::Equal;
            }
            match (number(&x.value), number(&y.value)) {
                (Some(a), Some(b)) => a.total_cmp(&b),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => x.value.to_string().cmp(&y.value.to_string()),
            }
        })
    });
}

/// Which log a point came from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The first log.
    A,
    /// The second.
    B,
}

/// One series being compared.
#[derive(Default)]
pub struct SeriesState {
    /// Points seen in A.
    pub a: u64,
    /// Points seen in B.
    pub b: u64,
    pending: VecDeque<Point>,
    pending_from_a: bool,
    /// The first difference, once found.
    pub difference: Option<EventDifference>,
    /// The queue grew past [`MAX_PENDING_POINTS`]: compare the series again
    /// in a pass of its own.
    pub overflowed: bool,
}

impl SeriesState {
    /// Adds the points of one line of `side`.
    pub fn add(&mut self, side: Side, points: Vec<Point>, tolerance: Tolerance) {
        for point in points {
            self.add_point(side, point, tolerance);
        }
    }

    fn add_point(&mut self, side: Side, point: Point, tolerance: Tolerance) {
        let from_a = side == Side::A;
        let index = if from_a { self.a } else { self.b };
        if from_a {
            self.a += 1;
        } else {
            self.b += 1;
        }
        if self.difference.is_some() || self.overflowed {
            return;
        }
        if !self.pending.is_empty() && self.pending_from_a != from_a {
            let other = self.pending.pop_front().expect("not empty");
            let (a, b) = if from_a {
                (point, other)
            } else {
                (other, point)
            };
            self.difference = compare(index, &a, &b, tolerance);
            if self.difference.is_some() {
                self.pending.clear();
            }
        } else if self.pending.len() >= MAX_PENDING_POINTS {
            self.overflowed = true;
            self.pending = VecDeque::new();
        } else {
            self.pending_from_a = from_a;
            self.pending.push_back(point);
        }
    }

    /// At the end of both logs: points left in the queue are the first one
    /// side has and the other not.
    pub fn finish(&mut self) {
        if self.difference.is_none()
            && !self.overflowed
            && let Some(point) = self.pending.front()
        {
            self.difference = Some(extra(self.a.min(self.b), point, self.pending_from_a));
        }
        self.pending.clear();
    }
}

/// The point at `index` one side has and the other not.
pub fn extra(index: u64, point: &Point, in_a: bool) -> EventDifference {
    EventDifference {
        run: None,
        run_b: None,
        index,
        step: point.step,
        line_a: in_a.then_some(point.line),
        line_b: (!in_a).then_some(point.line),
        path: None,
        a: None,
        b: None,
    }
}

/// The points at `index` of two series read side by side (`None`: that
/// side has ended): `Some(verdict)` when the comparison ends here (a
/// difference, a point only one side has, or both ended), `None` to go on.
pub fn step(
    index: u64,
    x: Option<&Point>,
    y: Option<&Point>,
    tolerance: Tolerance,
) -> Option<Option<EventDifference>> {
    match (x, y) {
        (Some(x), Some(y)) => compare(index, x, y, tolerance).map(Some),
        (Some(x), None) => Some(Some(extra(index, x, true))),
        (None, Some(y)) => Some(Some(extra(index, y, false))),
        (None, None) => Some(None),
    }
}

/// Two points at the same index: their steps exactly (`path` `steps`),
/// then their values within `tolerance` (`path` `values`).
pub fn compare(index: u64, a: &Point, b: &Point, tolerance: Tolerance) -> Option<EventDifference> {
    let difference = |path: &str, x: Value, y: Value| EventDifference {
        run: None,
        run_b: None,
        index,
        step: a.step,
        line_a: Some(a.line),
        line_b: Some(b.line),
        path: Some(path.to_string()),
        a: Some(x),
        b: Some(y),
    };
    if a.step != b.step {
        return Some(difference(
            "steps",
            Value::from(a.step),
            Value::from(b.step),
        ));
    }
    first_delta(&a.value, &b.value, tolerance)
        .map(|_| difference("values", a.value.clone(), b.value.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(line: u64, steps: &[i64], values: &[f64]) -> Vec<Point> {
        let payload = serde_json::json!({"name": "loss", "steps": steps, "values": values});
        points(line, payload.as_object().unwrap())
    }

    #[test]
    fn batches_cut_differently_compare_point_by_point() {
        let mut s = SeriesState::default();
        s.add(
            Side::A,
            line(1, &[0, 1, 2], &[0.9, 0.5, 0.4]),
            Tolerance::EXACT,
        );
        s.add(Side::B, line(7, &[0, 1], &[0.9, 0.5]), Tolerance::EXACT);
        s.add(Side::B, line(8, &[2, 3], &[0.4, 0.3]), Tolerance::EXACT);
        s.finish();
        let d = s.difference.expect("B has one more point");
        assert_eq!(
            (d.index, d.step, d.line_a, d.line_b),
            (3, Some(3), None, Some(8))
        );
        assert_eq!((s.a, s.b), (3, 4));
    }

    #[test]
    fn step_order_lines_up_the_same_points_recorded_in_other_orders() {
        let mut a = line(1, &[0, 1, 2, 3, 3], &[0.5, 0.4, 0.3, 0.2, 0.1]);
        a.extend(line(2, &[7], &[f64::NAN]));
        let mut b = line(5, &[3, 3, 7], &[0.1, 0.2, f64::NAN]);
        b.extend(line(6, &[0, 1, 2], &[0.5, 0.4, 0.3]));
        let mut s = SeriesState::default();
        s.add(Side::A, a, Tolerance::EXACT);
        s.add(Side::B, b, Tolerance::EXACT);
        s.finish();
        assert!(s.difference.is_some(), "recorded order differs");

        let mut a = line(1, &[0, 1, 2, 3, 3], &[0.5, 0.4, 0.3, 0.2, 0.1]);
        a.extend(line(2, &[7], &[f64::NAN]));
        let mut b = line(5, &[3, 3, 7], &[0.1, 0.2, f64::NAN]);
        b.extend(line(6, &[0, 1, 2], &[0.5, 0.4, 0.3]));
        in_step_order(&mut a);
        in_step_order(&mut b);
        let steps = |p: &[Point]| p.iter().map(|p| p.step.unwrap()).collect::<Vec<_>>();
        assert_eq!(steps(&a), [0, 1, 2, 3, 3, 7]);
        assert_eq!(steps(&a), steps(&b));
        let mut s = SeriesState::default();
        s.add(Side::A, a, Tolerance::EXACT);
        s.add(Side::B, b, Tolerance::EXACT);
        s.finish();
        assert!(s.difference.is_none(), "{:?}", s.difference);
    }

    #[test]
    fn the_first_differing_step_is_named() {
        let mut s = SeriesState::default();
        s.add(
            Side::B,
            line(2, &[0, 1, 2], &[0.9, 0.52, 0.4]),
            Tolerance::EXACT,
        );
        s.add(Side::A, line(1, &[0], &[0.9]), Tolerance::EXACT);
        s.add(Side::A, line(3, &[1, 2], &[0.5, 0.4]), Tolerance::EXACT);
        s.finish();
        let d = s.difference.expect("differs at step 1");
        assert_eq!(
            (d.index, d.step, d.path.as_deref()),
            (1, Some(1), Some("values"))
        );
        assert_eq!((d.a, d.b), (Some(0.5.into()), Some(0.52.into())));
        assert_eq!((d.line_a, d.line_b), (Some(3), Some(2)));
    }
}
