//! One row of `runs`: a run's columns, named as the user filters and sorts
//! by them, and how two cells compare.
//!
//! Rows are kept until every file is read (the header names every column
//! any row has, and `--sort` needs them all), so a row is stored compactly:
//! its cells' text one after another in one string, each cell a column
//! number, a kind and where its text ends; column names are stored once,
//! in [`Columns`]. A row takes about as much memory as its CSV line, not a
//! `serde_json::Value` per cell.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::ops::scan::{Run, Session};

/// The columns every row has, in the order they are shown; then come
/// `config.*` and `metric.*`, each sorted by name.
pub(crate) const FIXED: [&str; 9] = [
    "session",
    "run",
    "experiment",
    "algorithm",
    "start",
    "commit",
    "dirty",
    "status",
    "duration_ms",
];

/// Every column name seen, each once, numbered in the order first seen
/// (the [`FIXED`] ones first).
#[derive(Debug)]
pub(crate) struct Columns {
    names: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
    /// How many of the first columns every table shows, in their order
    /// (the rest are shown when a row has them, sorted by name).
    fixed: usize,
    /// Columns to which one run gave two values, each with the first such
    /// run and what the two values were, the one shown first.
    pub(crate) shared: BTreeMap<String, (String, String, String)>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns::fixed(&FIXED)
    }
}

impl Columns {
    /// The columns `names`, every table showing them in this order.
    pub(crate) fn fixed<S: AsRef<str>>(names: &[S]) -> Columns {
        let mut columns = Columns {
            names: Vec::new(),
            index: HashMap::new(),
            fixed: 0,
            shared: BTreeMap::new(),
        };
        for name in names {
            columns.id(name.as_ref());
        }
        columns.fixed = columns.names.len();
        columns
    }

    /// How many of the first columns every table shows (in their order).
    pub(crate) fn fixed_len(&self) -> usize {
        self.fixed
    }

    /// The number of `name`, numbering it if new.
    pub(crate) fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 columns");
        self.names.push(name.into());
        self.index.insert(name.into(), id);
        id
    }

    /// The number of `name`, if some row has had it.
    pub(crate) fn find(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// The name of column `id`.
    pub(crate) fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Every column name, in the order numbered.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|n| &**n)
    }

    /// How many columns are numbered.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }
}

/// What a cell's text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// A JSON string's value, unescaped.
    Text,
    /// Any other value (a number, `true`/`false`, an array) as JSON.
    Json,
}

/// A cell: its kind and text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cell<'r> {
    pub(crate) kind: Kind,
    pub(crate) text: &'r str,
}

impl Cell<'_> {
    /// The cell as JSON.
    pub(crate) fn to_json(self) -> String {
        match self.kind {
            Kind::Text => Value::String(self.text.to_string()).to_string(),
            Kind::Json => self.text.to_string(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    column: u32,
    /// Where the cell's text ends in [`Row::text`] (it starts where the
    /// previous one ends).
    end: u32,
    kind: Kind,
}

/// A run's cells (a `null` has none).
#[derive(Debug)]
pub(crate) struct Row {
    text: Box<str>,
    slots: Box<[Slot]>,
}

impl Row {
    /// The row of `run` of `session`, numbering new column names in
    /// `columns`.
    pub(crate) fn new(session: &Session, run: &Run, columns: &mut Columns) -> Row {
        let (sha, dirty) = session.git();
        let short = session
            .context
            .as_ref()
            .and_then(|c| c.git.as_ref()?.short_sha.as_deref())
            .or_else(|| sha.map(|s| &s[..s.len().min(7)]));
        let status = run.status.as_deref().unwrap_or("unfinished");
        let duration = run
            .duration_ms
            .map(duration_ms)
            .and_then(serde_json::Number::from_f64);
        let mut row = Builder::default();
        row.text(0, Some(&session.id));
        row.text(1, Some(&run.id));
        row.text(2, session.experiment_id.as_deref());
        row.text(3, run.algorithm_name.as_deref());
        row.text(4, run.start_ts.as_deref());
        row.text(5, short);
        if let Some(dirty) = dirty {
            row.json(6, if dirty { "true" } else { "false" });
        }
        row.text(7, Some(status));
        if let Some(duration) = duration {
            row.json(8, &duration.to_string());
        }
        for (prefix, value) in [("config", &run.config), ("metric", &run.final_metrics)] {
            let mut cells = Vec::new();
            if let Some(v) = value {
                flatten(prefix.to_string(), v, &mut cells);
            }
            let own = cells.len();
            let mut series = Vec::new();
            if prefix == "metric" {
                series_cells(run.metrics.as_ref(), &mut cells, &mut series);
            }
            // What a cell is, for the warning on two of one name.
            let origin = |i: usize, name: &str| -> String {
                if i < own {
                    let key = name.strip_prefix(prefix).unwrap_or(name);
                    let what = if prefix == "config" {
                        "configuration key"
                    } else {
                        "final metric"
                    };
                    format!("{what} {:?}", key.trim_start_matches('.'))
                } else {
                    let (series, stat) = &series[i - own];
                    format!("series {series:?}'s {stat}")
                }
            };
            let mut order: Vec<usize> = (0..cells.len()).collect();
            // Stable: of two cells of one name, the first is the one read.
            order.sort_by(|&a, &b| cells[a].0.cmp(&cells[b].0));
            for pair in order.windows(2) {
                let (first, later) = (pair[0], pair[1]);
                let name = &cells[first].0;
                // A final metric named as a series is documented: it is
                // the run's result, the series' last is not shown.
                let documented = first < own && later >= own && series[later - own].1 == "last";
                if *name == cells[later].0 && !documented && !columns.shared.contains_key(name) {
                    columns.shared.insert(
                        name.clone(),
                        (run.id.clone(), origin(first, name), origin(later, name)),
                    );
                }
            }
            let mut cells: Vec<_> = order.into_iter().map(|i| cells[i].clone()).collect();
            cells.dedup_by(|later, first| later.0 == first.0);
            for (name, value) in cells {
                let id = columns.id(&name);
                match value {
                    Value::String(s) => row.text(id, Some(s)),
                    other => row.json(id, &other.to_string()),
                }
            }
        }
        Row {
            text: row.text.into_boxed_str(),
            slots: row.slots.into_boxed_slice(),
        }
    }

    /// A row of the given cells (a grouped row of `runs --group-by`).
    pub(crate) fn from_cells(cells: &[(u32, Kind, &str)]) -> Row {
        let mut row = Builder::default();
        for &(column, kind, text) in cells {
            row.push(column, kind, text);
        }
        Row {
            text: row.text.into_boxed_str(),
            slots: row.slots.into_boxed_slice(),
        }
    }

    /// The cell of column `id`, if the row has it.
    pub(crate) fn get(&self, id: u32) -> Option<Cell<'_>> {
        let at = self.slots.iter().position(|s| s.column == id)?;
        let start = match at {
            0 => 0,
            _ => self.slots[at - 1].end as usize,
        };
        let slot = self.slots[at];
        Some(Cell {
            kind: slot.kind,
            text: &self.text[start..slot.end as usize],
        })
    }

    /// The columns the row has.
    pub(crate) fn columns(&self) -> impl Iterator<Item = u32> + '_ {
        self.slots.iter().map(|s| s.column)
    }
}

#[derive(Default)]
struct Builder {
    text: String,
    slots: Vec<Slot>,
}

impl Builder {
    fn push(&mut self, column: u32, kind: Kind, text: &str) {
        self.text.push_str(text);
        let end = u32::try_from(self.text.len()).expect("a row under 4 GiB");
        self.slots.push(Slot { column, end, kind });
    }

    fn text(&mut self, column: u32, text: Option<&str>) {
        if let Some(text) = text {
            self.push(column, Kind::Text, text);
        }
    }

    fn json(&mut self, column: u32, json: &str) {
        self.push(column, Kind::Json, json);
    }
}

/// Decimal places `duration_ms` keeps: 6, a nanosecond, the resolution of
/// the clock the runtime measures a run with (`std::time::Instant`, whose
/// `as_secs_f64() * 1e3` adds float noise: `112.52810600000001`).
const DURATION_DECIMALS: i32 = 6;

/// `ms` rounded to [`DURATION_DECIMALS`] places: the nearest `f64` to a
/// decimal of at most 6 places, which prints as that decimal (`112.528106`).
fn duration_ms(ms: f64) -> f64 {
    let scale = 10f64.powi(DURATION_DECIMALS);
    let rounded = (ms * scale).round() / scale;
    // Beyond 2^53 nanoseconds (104 days) the product is no longer exact:
    // the value as written is as good as any.
    if rounded.is_finite() && ms.abs() < 2f64.powi(53) / scale {
        rounded
    } else {
        ms
    }
}

/// `prefix.key` for every leaf of `value`: nested objects join their keys
/// with dots (`config.opt.lr`); an array of scalars stays one cell, shown
/// as JSON (`config.xs` = `[1,2]`); an array holding an object or an array
/// is flattened element by element (`config.rules[0].lookback`), so a list
/// of rule configurations reads as columns that can be filtered and sorted.
pub(crate) fn flatten<'v>(prefix: String, value: &'v Value, into: &mut Vec<(String, &'v Value)>) {
    match value {
        Value::Object(map) => {
            // An empty object (no metrics, no config) adds no column.
            for (key, v) in map {
                flatten(format!("{prefix}.{key}"), v, into);
            }
        }
        Value::Array(items) if items.iter().any(|v| v.is_object() || v.is_array()) => {
            for (i, v) in items.iter().enumerate() {
                flatten(format!("{prefix}[{i}]"), v, into);
            }
        }
        Value::Null => {}
        other => into.push((prefix, other)),
    }
}

/// The statistics of a series summary (`algorithm.result`'s `metrics`)
/// that become columns, after `metric.<name>` (its `last`).
pub(crate) const SERIES_STATS: [&str; 3] = ["min", "max", "count"];

/// The columns of the run's metric series, from the summaries its
/// `algorithm.result` holds (`metrics: {name: {last, min, max, count}}`):
/// `metric.<name>` (the last point), `metric.<name>.min`, `.max` and
/// `.count`. Appended after `final_metrics`' cells, so a final metric of
/// the same name keeps `metric.<name>` (the first cell of a name wins).
fn series_cells<'v>(
    metrics: Option<&'v Value>,
    into: &mut Vec<(String, &'v Value)>,
    origins: &mut Vec<(&'v str, &'static str)>,
) {
    let Some(Value::Object(series)) = metrics else {
        return;
    };
    for (name, summary) in series {
        let Value::Object(summary) = summary else {
            continue;
        };
        for (stat, column) in std::iter::once(("last", format!("metric.{name}"))).chain(
            SERIES_STATS
                .iter()
                .map(|stat| (*stat, format!("metric.{name}.{stat}"))),
        ) {
            if let Some(value) = summary.get(stat).filter(|v| !v.is_null()) {
                into.push((column, value));
                origins.push((name, stat));
            }
        }
    }
}

/// A cell as text: a string as it is, anything else as JSON.
pub(crate) fn text(cell: Option<Cell<'_>>) -> &str {
    cell.map_or("", |c| c.text)
}

/// The number a cell holds, or would read as (`"0.05"`).
pub(crate) fn number(cell: Cell<'_>) -> Option<f64> {
    match cell.kind {
        // serde_json wrote it, from a finite number: it reads back as the
        // same f64 (`true` and arrays read as none).
        Kind::Json => cell.text.parse().ok(),
        Kind::Text => cell
            .text
            .trim()
            .parse()
            .ok()
            .filter(|f: &f64| f.is_finite()),
    }
}

/// Two cells compared as numbers when both are numbers, else as text.
pub(crate) fn compare(a: Cell<'_>, b: Cell<'_>) -> Ordering {
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => a.text.cmp(b.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_back_as_written() {
        let mut session = Session::default();
        session.id = "s".into();
        session.experiment_id = Some("e".into());
        let mut run = Run::default();
        run.id = "r".into();
        run.status = Some("ok".into());
        run.duration_ms = Some(112.528_106_000_000_01);
        run.config = Some(
            serde_json::json!({"w": 20, "opt": {"lr": "0.1"}, "n": null, "xs": [1],
            "rules": [{"lookback": 60}, {"lookback": 40, "on": [true]}]}),
        );
        run.final_metrics = Some(serde_json::json!({}));
        let mut columns = Columns::default();
        let row = Row::new(&session, &run, &mut columns);
        let cell = |name: &str| row.get(columns.find(name)?);
        let json = |text| {
            Some(Cell {
                kind: Kind::Json,
                text,
            })
        };
        assert_eq!(text(cell("session")), "s");
        assert_eq!(cell("algorithm"), None);
        assert_eq!(cell("dirty"), None);
        assert_eq!(text(cell("status")), "ok");
        assert_eq!(cell("duration_ms"), json("112.528106"), "no float noise");
        assert_eq!(cell("config.rules[0].lookback"), json("60"));
        assert_eq!(cell("config.rules[1].lookback"), json("40"));
        assert_eq!(cell("config.rules[1].on"), json("[true]"));
        assert_eq!(cell("config.rules"), None, "flattened, not one cell");
        assert_eq!(cell("config.w"), json("20"));
        assert_eq!(cell("config.xs"), json("[1]"));
        assert_eq!(cell("config.n"), None, "a null adds no column");
        assert_eq!(cell("config.opt.lr").unwrap().to_json(), r#""0.1""#);
        assert_eq!(
            compare(cell("config.opt.lr").unwrap(), cell("duration_ms").unwrap()),
            Ordering::Less,
            "numbers, as written or as text, compare as numbers"
        );
    }

    #[test]
    fn durations_print_as_the_nanoseconds_measured() {
        for nanos in [
            112_528_106u64,
            1,
            999_999_999,
            3_541_000,
            86_400_123_456_789,
        ] {
            // As the runtime computes it.
            let ms = std::time::Duration::from_nanos(nanos).as_secs_f64() * 1e3;
            let text = serde_json::Number::from_f64(duration_ms(ms))
                .unwrap()
                .to_string();
            let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
            assert!(decimals <= 6, "{nanos} ns printed as {text}");
            assert_eq!(text.parse::<f64>().unwrap(), nanos as f64 / 1e6, "{text}");
        }
    }
}
