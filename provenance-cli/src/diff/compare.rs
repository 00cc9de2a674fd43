//! The provenance comparison: what two sessions' `session.start`, runs,
//! inputs, seeds and event counts say, side by side.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{Value, json};

use super::value::{Tolerance, deltas, push_key};
use crate::scan::{Run, Scan, Session};

/// Deltas listed per configuration or metrics object (the rest are counted
/// in the verdict, not listed).
const MAX_DELTAS: usize = 200;

/// One difference (or note) between the two sides.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    /// Its kind: `git`, `version`, `experiment`, `config`, `run`, `input`,
    /// `seed`, `count` (differences); `host`, `command_line`, `git`,
    /// `input`, `seed`, `log` (notes).
    pub what: &'static str,
    /// Where: `git.diff_hash`, `run-1.config.hurdle`, `input.nav`,
    /// `seed.root`, `count.epoch_detected`, …
    pub path: String,
    /// The algorithm of the run the path is in, when it is in a run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// A's value; absent when A has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a: Option<Value>,
    /// B's value; absent when B has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<Value>,
}

/// Differences (which make the runs differ) and notes (which do not).
#[derive(Debug, Default)]
pub struct Comparison {
    /// What makes the runs differ.
    pub differences: Vec<Difference>,
    /// What differs between any two runs of the same code and data and is
    /// shown for information.
    pub notes: Vec<Difference>,
}

impl Comparison {
    fn push(
        &mut self,
        note: bool,
        what: &'static str,
        path: String,
        a: Option<Value>,
        b: Option<Value>,
    ) {
        if a != b {
            let d = Difference {
                what,
                path,
                algorithm: None,
                a,
                b,
            };
            if note {
                self.notes.push(d);
            } else {
                self.differences.push(d);
            }
        }
    }
}

/// Compares two sessions (each with the scan of its file), `final_metrics`
/// within `tolerance`.
pub fn compare(
    scan_a: &Scan,
    a: &Session,
    scan_b: &Scan,
    b: &Session,
    tolerance: Tolerance,
) -> Comparison {
    let mut c = Comparison::default();
    context(&mut c, a, b);
    runs(&mut c, a, b, tolerance);
    inputs(&mut c, a, b);
    seeds(&mut c, a, b);
    counts(&mut c, a, b);
    log_health(&mut c, scan_a, a, scan_b, b);
    c
}

/// A value in a session's context, by path; `None` when absent.
fn ctx(s: &Session, path: &[&str]) -> Option<Value> {
    let mut v = s.context.as_ref()?;
    for key in path {
        v = v.get(key)?;
    }
    Some(v.clone())
}

fn context(c: &mut Comparison, a: &Session, b: &Session) {
    let sha = |s: &Session| ctx(s, &["git_sha"]).or_else(|| ctx(s, &["git", "sha"]));
    c.push(false, "git", "git.sha".into(), sha(a), sha(b));
    for key in ["dirty", "diff_hash"] {
        let path = ["git", key];
        c.push(
            false,
            "git",
            format!("git.{key}"),
            ctx(a, &path),
            ctx(b, &path),
        );
    }
    c.push(
        true,
        "git",
        "git.branch".into(),
        ctx(a, &["git", "branch"]),
        ctx(b, &["git", "branch"]),
    );
    let contract = |s: &Session| s.contract_version.map(Value::from);
    c.push(
        false,
        "version",
        "contract_version".into(),
        contract(a),
        contract(b),
    );
    for key in ["name", "version"] {
        let path = ["crate", key];
        c.push(
            false,
            "version",
            format!("crate.{key}"),
            ctx(a, &path),
            ctx(b, &path),
        );
    }
    c.push(
        false,
        "version",
        "rustc_version".into(),
        ctx(a, &["rustc_version"]),
        ctx(b, &["rustc_version"]),
    );
    let experiment = |s: &Session| s.experiment_id.clone().map(Value::from);
    c.push(
        false,
        "experiment",
        "experiment_id".into(),
        experiment(a),
        experiment(b),
    );
    c.push(
        false,
        "config",
        "context.config_hash".into(),
        ctx(a, &["config_hash"]),
        ctx(b, &["config_hash"]),
    );
    for key in ["hostname", "os", "arch"] {
        let path = ["host", key];
        c.push(
            true,
            "host",
            format!("host.{key}"),
            ctx(a, &path),
            ctx(b, &path),
        );
    }
    c.push(
        true,
        "command_line",
        "command_line".into(),
        ctx(a, &["command_line"]),
        ctx(b, &["command_line"]),
    );
}

/// Pairs runs by id; runs whose id is on one side only are paired by
/// position among themselves; the rest are on one side only.
fn pair_runs<'s>(a: &'s [Run], b: &'s [Run]) -> Vec<(Option<&'s Run>, Option<&'s Run>)> {
    let mut pairs = Vec::new();
    let mut b_left: Vec<&Run> = b
        .iter()
        .filter(|r| !a.iter().any(|x| x.id == r.id))
        .collect();
    b_left.reverse();
    for run in a {
        match b.iter().find(|r| r.id == run.id) {
            Some(other) => pairs.push((Some(run), Some(other))),
            None => pairs.push((Some(run), b_left.pop())),
        }
    }
    while let Some(run) = b_left.pop() {
        pairs.push((None, Some(run)));
    }
    pairs
}

fn runs(c: &mut Comparison, a: &Session, b: &Session, tolerance: Tolerance) {
    for pair in pair_runs(&a.runs, &b.runs) {
        let (x, y) = match pair {
            (Some(x), Some(y)) => (x, y),
            (x, y) => {
                let run = x.or(y).expect("a pair has a side");
                let summary = json!({
                    "algorithm_name": run.algorithm_name,
                    "status": run.status,
                    "output_hash": run.output_hash,
                });
                let (sa, sb) = if x.is_some() {
                    (Some(summary), None)
                } else {
                    (None, Some(summary))
                };
                push_run(c, "run", run, run.id.clone(), sa, sb);
                continue;
            }
        };
        let id = &x.id;
        let s = |v: &Option<String>| v.clone().map(Value::from);
        if x.id != y.id {
            push_run(
                c,
                "run",
                x,
                format!("{id}.id"),
                Some(x.id.clone().into()),
                Some(y.id.clone().into()),
            );
        }
        let fields: [(&str, &'static str, Option<Value>, Option<Value>); 10] = [
            (
                "algorithm_name",
                "run",
                s(&x.algorithm_name),
                s(&y.algorithm_name),
            ),
            ("version", "run", s(&x.version), s(&y.version)),
            ("parent", "run", s(&x.parent), s(&y.parent)),
            (
                "config_hash",
                "config",
                s(&x.config_hash),
                s(&y.config_hash),
            ),
            (
                "random_seed",
                "run",
                x.random_seed.clone(),
                y.random_seed.clone(),
            ),
            ("input_hash", "run", s(&x.input_hash), s(&y.input_hash)),
            ("status", "run", s(&x.status), s(&y.status)),
            ("output_hash", "run", s(&x.output_hash), s(&y.output_hash)),
            ("error", "run", s(&x.error), s(&y.error)),
            (
                "dropped_events",
                "run",
                x.dropped_events.map(Value::from),
                y.dropped_events.map(Value::from),
            ),
        ];
        let null = Value::Null;
        let config_a = x.config.as_ref().unwrap_or(&null);
        let config_b = y.config.as_ref().unwrap_or(&null);
        for d in deltas(config_a, config_b, Tolerance::EXACT, MAX_DELTAS) {
            let mut path = format!("{id}.config");
            if !d.path.is_empty() {
                if !d.path.starts_with('[') {
                    path.push('.');
                }
                path.push_str(&d.path);
            }
            push_run(c, "config", x, path, d.a, d.b);
        }
        for (field, what, va, vb) in fields {
            if va != vb {
                let mut path = id.clone();
                push_key(&mut path, field);
                push_run(c, what, x, path, va, vb);
            }
        }
        let metrics_a = x.final_metrics.as_ref().unwrap_or(&null);
        let metrics_b = y.final_metrics.as_ref().unwrap_or(&null);
        for d in deltas(metrics_a, metrics_b, tolerance, MAX_DELTAS) {
            let mut path = format!("{id}.final_metrics");
            if !d.path.is_empty() {
                if !d.path.starts_with('[') {
                    path.push('.');
                }
                path.push_str(&d.path);
            }
            push_run(c, "run", x, path, d.a, d.b);
        }
    }
}

fn push_run(
    c: &mut Comparison,
    what: &'static str,
    run: &Run,
    path: String,
    a: Option<Value>,
    b: Option<Value>,
) {
    c.differences.push(Difference {
        what,
        path,
        algorithm: run.algorithm_name.clone(),
        a,
        b,
    });
}

fn inputs(c: &mut Comparison, a: &Session, b: &Session) {
    let mut names: Vec<&str> = Vec::new();
    for input in a.inputs.iter().chain(&b.inputs) {
        if !names.contains(&input.name.as_str()) {
            names.push(&input.name);
        }
    }
    for name in names {
        let x = a.inputs.iter().find(|i| i.name == name);
        let y = b.inputs.iter().find(|i| i.name == name);
        let mut path = String::from("input");
        push_key(&mut path, name);
        let hash = |i: Option<&crate::scan::Input>| i.map(|i| Value::from(i.sha256.clone()));
        c.push(false, "input", path.clone(), hash(x), hash(y));
        if let (Some(x), Some(y)) = (x, y)
            && x.sha256 == y.sha256
        {
            let source = |i: &crate::scan::Input| i.source_path.clone().map(Value::from);
            c.push(
                true,
                "input",
                format!("{path}.source_path"),
                source(x),
                source(y),
            );
        }
    }
}

fn seeds(c: &mut Comparison, a: &Session, b: &Session) {
    let mut components: Vec<&str> = Vec::new();
    for s in a.seeds.iter().chain(&b.seeds) {
        if !components.contains(&s.component.as_str()) {
            components.push(&s.component);
        }
    }
    for component in components {
        let x = a.seeds.iter().find(|s| s.component == component);
        let y = b.seeds.iter().find(|s| s.component == component);
        let mut path = String::from("seed");
        push_key(&mut path, component);
        c.push(
            false,
            "seed",
            path.clone(),
            x.map(|s| s.seed.clone()),
            y.map(|s| s.seed.clone()),
        );
        if let (Some(x), Some(y)) = (x, y) {
            let source = |s: &crate::scan::Seed| s.source.clone().map(Value::from);
            c.push(true, "seed", format!("{path}.source"), source(x), source(y));
        }
    }
}

fn counts(c: &mut Comparison, a: &Session, b: &Session) {
    let types: BTreeSet<&String> = a.counts.keys().chain(b.counts.keys()).collect();
    for t in types {
        let n = |s: &Session| Some(Value::from(s.counts.get(t).copied().unwrap_or(0)));
        let mut path = String::from("count");
        push_key(&mut path, t);
        c.push(false, "count", path, n(a), n(b));
    }
}

fn log_health(c: &mut Comparison, scan_a: &Scan, a: &Session, scan_b: &Scan, b: &Session) {
    let lost = |s: &Session| -> u64 {
        s.gaps.iter().fold(0u64, |n, (from, to)| {
            n.saturating_add(to.saturating_sub(*from).saturating_add(1))
        })
    };
    let (la, lb) = (lost(a), lost(b));
    if la > 0 || lb > 0 {
        c.notes.push(Difference {
            what: "log",
            path: "lost_lines".into(),
            algorithm: None,
            a: Some(la.into()),
            b: Some(lb.into()),
        });
    }
    let (ia, ib) = (scan_a.invalid_lines, scan_b.invalid_lines);
    if ia > 0 || ib > 0 {
        c.notes.push(Difference {
            what: "log",
            path: "invalid_lines".into(),
            algorithm: None,
            a: Some(ia.into()),
            b: Some(ib.into()),
        });
    }
}
