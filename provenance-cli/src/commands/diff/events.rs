//! `diff --events`: each event type's stream of A against B's, event by
//! event, to the first difference.
//!
//! A type's stream is compared run by run: the events of one `run_id` (or
//! of none) against the same run's in the other log, since the lines of
//! parallel runs interleave in whatever order their threads wrote them.
//! A run of B paired with a run of another id in A (see
//! [`super::pairing`]) is compared with that run. A type's report adds up
//! its runs and names the first difference (the one earliest in A, else
//! in B).
//!
//! Memory stays bounded however large the logs: both logs are read in
//! lockstep, one line from each in turn, and an event waits in its type's
//! queue only until the other log's event of the same type and index
//! arrives, so a queue holds at most as many events as the two streams are
//! out of step. A type stops queueing (it is only counted) once it
//! diverged. A queue that reaches [`MAX_PENDING`] events (one log writes
//! thousands of events of a type before the other writes its first) is
//! dropped, and that type is compared afterwards in a pass of its own that
//! reads both files again, one event of the type from each at a time.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::Path;

use serde_json::{Map, Value};

pub use super::event_report::{EventDifference, TypeReport};
use super::series::{self, SeriesKey, SeriesState};
use super::value::{Tolerance, first_delta};
use crate::error::CliError;
use crate::ops::line;
use crate::ops::non_finite;
use crate::ops::reader::LogReader;

/// Events one type's queue may hold before the type is compared in a pass
/// of its own.
pub const MAX_PENDING: usize = 4096;

/// Event types not compared: the `session.start` is compared field by
/// field already, and `event.schema` lines describe the writer.
const SKIPPED: [&str; 2] = ["session.start", "event.schema"];

/// An event type and the run its events belong to: one compared stream.
type StreamKey = (String, Option<String>);

/// One side being read: a log, filtered to a session.
struct Stream<'p> {
    reader: LogReader,
    session: String,
    /// Run ids read as another (B's runs as A's they are paired with).
    rename: Option<&'p HashMap<String, String>>,
    only: Option<StreamKey>,
    done: bool,
    /// The `contract_version` of the session's `session.start`, once read.
    contract: Option<u64>,
    /// Leave out `algorithm.init`'s `git_sha` and `git_dirty`
    /// ([`Sides::other_commit`]).
    other_commit: bool,
    /// Where this side ran in place of the other's folder
    /// ([`Sides::moved`]).
    moved: Option<&'p (String, String)>,
}

/// An event of the chosen session, without its envelope.
struct Item {
    line: u64,
    event_type: String,
    run: Option<String>,
    payload: Map<String, Value>,
}

impl<'p> Stream<'p> {
    fn open(
        path: &Path,
        session: &str,
        rename: Option<&'p HashMap<String, String>>,
        only: Option<&StreamKey>,
        max_line: usize,
    ) -> Result<Stream<'p>, CliError> {
        Ok(Stream {
            reader: LogReader::open(path, max_line)?,
            session: session.to_string(),
            rename,
            only: only.cloned(),
            done: false,
            contract: None,
            other_commit: false,
            moved: None,
        })
    }

    /// The next event of the session (and type), skipping lines that do
    /// not parse (`validate` reports them).
    fn next(&mut self) -> Result<Option<Item>, CliError> {
        while !self.done {
            let Some(raw) = self.reader.next_line()? else {
                self.done = true;
                break;
            };
            let Ok(event) = line::parse(&raw) else {
                continue;
            };
            let mut envelope = event.envelope;
            if envelope.session_id != self.session {
                continue;
            }
            if let (Some(rename), Some(run)) = (self.rename, &envelope.run_id)
                && let Some(other) = rename.get(run)
            {
                envelope.run_id = Some(other.clone());
            }
            if envelope.event_type == "session.start" {
                self.contract = event
                    .payload
                    .get("contract_version")
                    .and_then(Value::as_u64);
            }
            if SKIPPED.contains(&envelope.event_type.as_str())
                || self.only.as_ref().is_some_and(|(event_type, run)| {
                    *event_type != envelope.event_type || *run != envelope.run_id
                })
            {
                continue;
            }
            let mut payload = event.payload;
            same_form(&envelope.event_type, &mut payload, self.contract);
            if envelope.event_type == "algorithm.result" {
                payload.remove("duration_ms");
            }
            if self.other_commit && envelope.event_type == "algorithm.init" {
                payload.remove("git_sha");
                payload.remove("git_dirty");
            }
            if let Some((from, to)) = self.moved {
                for value in payload.values_mut() {
                    move_paths(value, from, to);
                }
            }
            return Ok(Some(Item {
                line: raw.number,
                event_type: envelope.event_type,
                run: envelope.run_id,
                payload,
            }));
        }
        Ok(None)
    }
}

/// Puts a payload in one form whichever contract version wrote it, so a
/// version-1 and a version-2 log of the same run compare equal: a version-2
/// line's non-finite floats restored (the strings `"NaN"`, … of version 1),
/// and a `data.load`'s bool `value_range` (`[false, true]` in version 1) as
/// the numbers version 2 writes (`[0, 1]`). Seeds compare as `u64` in
/// either form ([`super::value`]).
fn same_form(event_type: &str, payload: &mut Map<String, Value>, contract: Option<u64>) {
    if contract.is_none_or(|v| v >= 2)
        && let Some(list) = payload.remove(non_finite::FIELD)
    {
        non_finite::restore(&list, payload);
    }
    if event_type == "data.load"
        && let Some(Value::Array(range)) = payload.get_mut("value_range")
    {
        for bound in range {
            if let Value::Bool(b) = bound {
                *bound = Value::from(u8::from(*b));
            }
        }
    }
}

/// Which log an event came from.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    A,
    B,
}

#[derive(Default)]
struct TypeState {
    a: u64,
    b: u64,
    pending: VecDeque<(u64, Map<String, Value>)>,
    pending_from_a: bool,
    difference: Option<EventDifference>,
    overflowed: bool,
}

impl TypeState {
    fn add(&mut self, side: Side, item: Item, tolerance: Tolerance) {
        let index = match side {
            Side::A => {
                self.a += 1;
                self.a - 1
            }
            Side::B => {
                self.b += 1;
                self.b - 1
            }
        };
        if self.difference.is_some() || self.overflowed {
            return;
        }
        let from_a = side == Side::A;
        if !self.pending.is_empty() && self.pending_from_a != from_a {
            let (line, payload) = self.pending.pop_front().expect("not empty");
            let (a, b) = if from_a {
                ((item.line, item.payload), (line, payload))
            } else {
                ((line, payload), (item.line, item.payload))
            };
            self.difference = compare(index, a, b, tolerance);
            if self.difference.is_some() {
                self.pending.clear();
            }
        } else if self.pending.len() >= MAX_PENDING {
            self.overflowed = true;
            self.pending = VecDeque::new();
        } else {
            self.pending_from_a = from_a;
            self.pending.push_back((item.line, item.payload));
        }
    }

    /// At the end of both logs: events left in the queue are the first
    /// that one side has and the other not.
    fn finish(&mut self) {
        if self.difference.is_none()
            && !self.overflowed
            && let Some((line, _)) = self.pending.front()
        {
            self.difference = Some(extra(self.a.min(self.b), *line, self.pending_from_a));
        }
        self.pending.clear();
    }
}

fn extra(index: u64, line: u64, in_a: bool) -> EventDifference {
    EventDifference {
        run: None,
        run_b: None,
        index,
        step: None,
        line_a: in_a.then_some(line),
        line_b: (!in_a).then_some(line),
        path: None,
        a: None,
        b: None,
    }
}

fn compare(
    index: u64,
    (line_a, a): (u64, Map<String, Value>),
    (line_b, b): (u64, Map<String, Value>),
    tolerance: Tolerance,
) -> Option<EventDifference> {
    let delta = first_delta(&Value::Object(a), &Value::Object(b), tolerance)?;
    Some(EventDifference {
        run: None,
        run_b: None,
        index,
        step: None,
        line_a: Some(line_a),
        line_b: Some(line_b),
        path: Some(delta.path),
        a: delta.a,
        b: delta.b,
    })
}

/// What to compare: each log with its chosen session.
pub struct Sides<'a> {
    /// A's path.
    pub a: &'a Path,
    /// A's session.
    pub session_a: &'a str,
    /// B's path.
    pub b: &'a Path,
    /// B's session.
    pub session_b: &'a str,
    /// B's run ids paired with runs of other ids in A: B's id → A's.
    pub b_to_a: &'a HashMap<String, String>,
    /// The same pairs, A's id → B's.
    pub a_to_b: &'a HashMap<String, String>,
    /// The line limit.
    pub max_line: usize,
    /// The two sides were built from different commits on purpose (`rerun
    /// --at`): the commit each run records is not compared.
    pub other_commit: bool,
    /// B ran in a copy of A's folder (`rerun`'s worktree): `(copy, original)`.
    /// B's paths under the copy are compared as the same paths under the
    /// original.
    pub moved: Option<&'a (String, String)>,
}

/// The two streams `sides` names (of one type, with `only`).
fn open_pair<'a>(
    sides: &Sides<'a>,
    only: Option<&StreamKey>,
) -> Result<(Stream<'a>, Stream<'a>), CliError> {
    let mut a = Stream::open(sides.a, sides.session_a, None, only, sides.max_line)?;
    let mut b = Stream::open(
        sides.b,
        sides.session_b,
        Some(sides.b_to_a),
        only,
        sides.max_line,
    )?;
    a.other_commit = sides.other_commit;
    b.other_commit = sides.other_commit;
    b.moved = sides.moved;
    Ok((a, b))
}

/// Rewrites each string of `value` that is the path `from` or lies under
/// it to the same path under `to`.
fn move_paths(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::String(s) => {
            if let Some(rest) = s.strip_prefix(from)
                && (rest.is_empty() || rest.starts_with('/'))
            {
                *s = format!("{to}{rest}");
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| move_paths(v, from, to)),
        Value::Object(map) => map.values_mut().for_each(|v| move_paths(v, from, to)),
        _ => {}
    }
}

/// Compares the event streams of two sessions, type by type, in the order
/// of the types' names.
///
/// # Errors
/// A log that cannot be opened or read.
pub fn compare_streams(
    sides: &Sides<'_>,
    tolerance: Tolerance,
) -> Result<Vec<TypeReport>, CliError> {
    let (mut a, mut b) = open_pair(sides, None)?;
    let mut streams: BTreeMap<StreamKey, TypeState> = BTreeMap::new();
    let mut all_series: BTreeMap<SeriesKey, SeriesState> = BTreeMap::new();
    while !(a.done && b.done) {
        for (side, stream) in [(Side::A, &mut a), (Side::B, &mut b)] {
            if let Some(item) = stream.next()? {
                if item.event_type == series::EVENT_TYPE {
                    let key = (series::name(&item.payload), item.run.clone());
                    let side = match side {
                        Side::A => series::Side::A,
                        Side::B => series::Side::B,
                    };
                    let points = series::points(item.line, &item.payload);
                    all_series
                        .entry(key)
                        .or_default()
                        .add(side, points, tolerance);
                    continue;
                }
                // Look up without allocating; a new stream's key is built once.
                let key = (item.event_type.clone(), item.run.clone());
                streams.entry(key).or_default().add(side, item, tolerance);
            }
        }
    }
    let mut reports: Vec<TypeReport> = Vec::new();
    for ((event_type, run), mut state) in streams {
        state.finish();
        if state.overflowed {
            let key = (event_type.clone(), run.clone());
            state.difference = compare_one_stream(sides, &key, tolerance)?;
        }
        if let Some(d) = &mut state.difference {
            d.run_b = run.as_ref().and_then(|r| sides.a_to_b.get(r)).cloned();
            d.run = run;
        }
        match reports.last_mut().filter(|r| r.event_type == event_type) {
            Some(report) => report.add(state.a, state.b, state.difference),
            None => {
                let mut report = TypeReport::new(event_type, None);
                report.add(state.a, state.b, state.difference);
                reports.push(report);
            }
        }
    }
    // One report per series name, over its runs, where `metrics` would be.
    for ((name, run), mut state) in all_series {
        state.finish();
        let key = (name.clone(), run.clone());
        if state.overflowed {
            state.difference = compare_one_series(sides, &key, tolerance)?;
        }
        if state.difference.is_some() {
            // Perhaps only recorded in another order (worker threads).
            state.difference = compare_series_in_step_order(sides, &key, tolerance)?;
        }
        if let Some(d) = &mut state.difference {
            d.run_b = run.as_ref().and_then(|r| sides.a_to_b.get(r)).cloned();
            d.run = run;
        }
        match reports
            .last_mut()
            .filter(|r| r.series.as_deref() == Some(name.as_str()))
        {
            Some(report) => report.add(state.a, state.b, state.difference),
            None => {
                let mut report = TypeReport::new(series::EVENT_TYPE.to_string(), Some(name));
                report.add(state.a, state.b, state.difference);
                reports.push(report);
            }
        }
    }
    // Stable: the types stay in name order, each series at its type's place.
    reports.sort_by(|x, y| x.event_type.cmp(&y.event_type));
    Ok(reports)
}

impl TypeReport {
    fn new(event_type: String, series: Option<String>) -> TypeReport {
        TypeReport {
            event_type,
            a: 0,
            b: 0,
            series,
            same: true,
            first_difference: None,
        }
    }

    /// Adds one run's stream of the type (events, or a series' points);
    /// the first difference kept is the one earliest in A (else in B).
    fn add(&mut self, a: u64, b: u64, difference: Option<EventDifference>) {
        self.a += a;
        self.b += b;
        self.same &= difference.is_none() && a == b;
        let position =
            |d: &EventDifference| (d.line_a.unwrap_or(u64::MAX), d.line_b.unwrap_or(u64::MAX));
        if let Some(d) = difference {
            let earlier = self
                .first_difference
                .as_ref()
                .is_none_or(|kept| position(&d) < position(kept));
            if earlier {
                self.first_difference = Some(d);
            }
        }
    }
}

/// One run's stream of a type, read again: one event from each side at a
/// time.
fn compare_one_stream(
    sides: &Sides<'_>,
    key: &StreamKey,
    tolerance: Tolerance,
) -> Result<Option<EventDifference>, CliError> {
    let (mut a, mut b) = open_pair(sides, Some(key))?;
    let mut index = 0;
    loop {
        match (a.next()?, b.next()?) {
            (Some(x), Some(y)) => {
                if let Some(d) = compare(index, (x.line, x.payload), (y.line, y.payload), tolerance)
                {
                    return Ok(Some(d));
                }
            }
            (Some(x), None) => return Ok(Some(extra(index, x.line, true))),
            (None, Some(y)) => return Ok(Some(extra(index, y.line, false))),
            (None, None) => return Ok(None),
        }
        index += 1;
    }
}

/// One series (its run's `metrics` lines of its name), read again: one
/// point from each side at a time.
fn compare_one_series(
    sides: &Sides<'_>,
    (name, run): &SeriesKey,
    tolerance: Tolerance,
) -> Result<Option<EventDifference>, CliError> {
    let key = (series::EVENT_TYPE.to_string(), run.clone());
    let (mut a, mut b) = open_pair(sides, Some(&key))?;
    let (mut queue_a, mut queue_b) = (VecDeque::new(), VecDeque::new());
    let mut index = 0;
    loop {
        let x = next_point(&mut a, name, &mut queue_a)?;
        let y = next_point(&mut b, name, &mut queue_b)?;
        if let Some(verdict) = series::step(index, x.as_ref(), y.as_ref(), tolerance) {
            return Ok(verdict);
        }
        index += 1;
    }
}

/// One run's series read again whole on both sides and compared in step
/// order ([`series::in_step_order`]): the verdict on a series found to
/// differ in recorded order. Holds both sides' points of this one series.
fn compare_series_in_step_order(
    sides: &Sides<'_>,
    (name, run): &SeriesKey,
    tolerance: Tolerance,
) -> Result<Option<EventDifference>, CliError> {
    let key = (series::EVENT_TYPE.to_string(), run.clone());
    let (mut a, mut b) = open_pair(sides, Some(&key))?;
    let all = |stream: &mut Stream<'_>| -> Result<Vec<series::Point>, CliError> {
        let mut points = Vec::new();
        while let Some(item) = stream.next()? {
            if series::name(&item.payload) == *name {
                points.extend(series::points(item.line, &item.payload));
            }
        }
        series::in_step_order(&mut points);
        Ok(points)
    };
    let (a, b) = (all(&mut a)?, all(&mut b)?);
    // Past the longer side both have ended: the last step always decides.
    Ok((0..=a.len().max(b.len()))
        .find_map(|i| series::step(i as u64, a.get(i), b.get(i), tolerance))
        .flatten())
}

/// The next point of series `name` in `stream` (whose lines are one run's
/// `metrics`), a line's points queued in `queue`.
fn next_point(
    stream: &mut Stream<'_>,
    name: &str,
    queue: &mut VecDeque<series::Point>,
) -> Result<Option<series::Point>, CliError> {
    while queue.is_empty() {
        let Some(item) = stream.next()? else {
            return Ok(None);
        };
        if series::name(&item.payload) == name {
            queue.extend(series::points(item.line, &item.payload));
        }
    }
    Ok(queue.pop_front())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_the_copy_read_as_the_originals() {
        let mut v = serde_json::json!({
            "source_path": "/tmp/wt/repo/data/nav.txt",
            "dir": "/tmp/wt/repo",
            "sibling": "/tmp/wt/repository/x",
            "nested": [{"p": "/tmp/wt/repo/out"}, 3],
        });
        for value in v.as_object_mut().unwrap().values_mut() {
            move_paths(value, "/tmp/wt/repo", "/home/ana/repo");
        }
        assert_eq!(
            v,
            serde_json::json!({
                "source_path": "/home/ana/repo/data/nav.txt",
                "dir": "/home/ana/repo",
                "sibling": "/tmp/wt/repository/x",
                "nested": [{"p": "/home/ana/repo/out"}, 3],
            })
        );
    }

    fn item(line: u64, x: f64) -> Item {
        let mut payload = Map::new();
        payload.insert("x".into(), x.into());
        Item {
            line,
            event_type: "t".into(),
            run: None,
            payload,
        }
    }

    #[test]
    fn queue_matches_by_index_and_reports_extras() {
        let mut s = TypeState::default();
        s.add(Side::A, item(1, 1.0), Tolerance::EXACT);
        s.add(Side::A, item(2, 2.0), Tolerance::EXACT);
        s.add(Side::B, item(5, 1.0), Tolerance::EXACT);
        assert_eq!(s.pending.len(), 1);
        s.add(Side::B, item(6, 2.0), Tolerance::EXACT);
        s.add(Side::B, item(7, 3.0), Tolerance::EXACT);
        s.finish();
        let d = s.difference.expect("B has one more");
        assert_eq!(
            (d.index, d.line_a, d.line_b, d.path),
            (2, None, Some(7), None)
        );
    }

    #[test]
    fn overflow_stops_queueing() {
        let mut s = TypeState::default();
        for i in 0..=MAX_PENDING as u64 {
            s.add(Side::A, item(i, 0.0), Tolerance::EXACT);
        }
        assert!(s.overflowed);
        assert!(s.pending.is_empty());
        assert_eq!(s.a, MAX_PENDING as u64 + 1);
    }
}
