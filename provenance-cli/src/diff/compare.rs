//! The provenance comparison: what two sessions' `session.start`, runs,
//! inputs, seeds and event counts say, side by side.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};

use super::value::{Tolerance, deltas, push_key};
use crate::scan::{Run, Scan, Session};
use crate::seed::seeds_equal;

pub use super::difference::{Comparison, Difference};

/// Deltas listed per configuration or metrics object (the rest are counted
/// in the verdict, not listed).
const MAX_DELTAS: usize = 200;

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
    super::git::compare(&mut c, a, b);
    super::build::compare(&mut c, a, b);
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

/// Pairs runs by id (a run's deterministic identity). Runs whose id is on
/// one side only are paired with the other side's unpaired runs of the same
/// parent and algorithm, in id order (a carried worker whose configuration
/// changed, say); the rest are on one side only.
fn pair_runs<'s>(a: &'s [Run], b: &'s [Run]) -> Vec<(Option<&'s Run>, Option<&'s Run>)> {
    let by_id = |runs: &'s [Run]| -> HashMap<&'s str, &'s Run> {
        runs.iter().map(|r| (r.id.as_str(), r)).collect()
    };
    let (ids_a, ids_b) = (by_id(a), by_id(b));
    let unpaired = |runs: &'s [Run], other: &HashMap<&str, &Run>| -> Vec<&'s Run> {
        let mut left: Vec<&Run> = runs
            .iter()
            .filter(|r| !other.contains_key(r.id.as_str()))
            .collect();
        left.sort_by(|x, y| x.id.cmp(&y.id));
        left
    };
    let mut b_left = unpaired(b, &ids_a);
    let a_left = unpaired(a, &ids_b);
    let mut partner: HashMap<&str, &Run> = HashMap::new();
    for run in a_left {
        let same = |r: &&Run| r.parent == run.parent && r.algorithm_name == run.algorithm_name;
        if let Some(i) = b_left.iter().position(same) {
            partner.insert(run.id.as_str(), b_left.remove(i));
        }
    }
    let mut pairs = Vec::new();
    for run in a {
        let other = ids_b
            .get(run.id.as_str())
            .or_else(|| partner.get(run.id.as_str()));
        pairs.push((Some(run), other.copied()));
    }
    pairs.extend(b_left.into_iter().map(|run| (None, Some(run))));
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
            // A seed is the same seed whichever form it is written in.
            let same = match (field, &va, &vb) {
                ("random_seed", Some(x), Some(y)) => seeds_equal(x, y),
                _ => va == vb,
            };
            if !same {
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
        run: Some(run.id.clone()),
        algorithm: run.algorithm_name.clone(),
        a,
        b,
        text: None,
    });
}

/// Where a run-scoped item is reported: `<run_id>.<kind>.<name>`, in that
/// run; a session-level one at `<kind>.<name>`.
fn scoped_path(kind: &str, run: Option<&str>, name: &str) -> String {
    let mut path = match run {
        Some(run) => format!("{run}.{kind}"),
        None => kind.to_string(),
    };
    push_key(&mut path, name);
    path
}

/// Pushes a difference in `run` (named by either side's run) or in the
/// session.
#[allow(clippy::too_many_arguments)]
fn push_scoped(
    c: &mut Comparison,
    note: bool,
    what: &'static str,
    run: Option<&str>,
    sessions: (&Session, &Session),
    path: String,
    a: Option<Value>,
    b: Option<Value>,
) {
    if a == b {
        return;
    }
    let Some(id) = run else {
        return c.push(note, what, path, a, b);
    };
    let (sa, sb) = sessions;
    let algorithm = sa
        .runs
        .iter()
        .chain(&sb.runs)
        .find(|r| r.id == id)
        .and_then(|r| r.algorithm_name.clone());
    let d = Difference {
        what,
        path,
        run: Some(id.to_string()),
        algorithm,
        a,
        b,
        text: None,
    };
    if note {
        c.notes.push(d);
    } else {
        c.differences.push(d);
    }
}

/// How one kind of run-scoped item (inputs, seeds) is compared.
struct Scoped<T: 'static> {
    /// `input`, `seed`: the difference's `what` and the path's kind.
    kind: &'static str,
    items: fn(&Session) -> &[T],
    /// (run, name): what pairs an item with its counterpart.
    key: fn(&T) -> (Option<&str>, &str),
    /// What must be equal...
    value: fn(&T) -> Value,
    /// ...in this sense (seeds compare as `u64`, whatever their form).
    equal: fn(&Value, &Value) -> bool,
    /// A field compared as a note (`source_path`, `source`)...
    note_field: &'static str,
    note: fn(&T) -> Option<Value>,
    /// ...only when the values agree, or whenever both sides have the item.
    note_only_when_equal: bool,
}

/// Pairs the items of both sides by run and name: each value that differs
/// is a difference, its note field a note.
fn scoped<T>(c: &mut Comparison, a: &Session, b: &Session, how: &Scoped<T>) {
    let (index_a, index_b) = (
        by_key((how.items)(a), how.key),
        by_key((how.items)(b), how.key),
    );
    let mut seen = std::collections::HashSet::new();
    for item in (how.items)(a).iter().chain((how.items)(b)) {
        let (run, name) = (how.key)(item);
        if !seen.insert((run, name)) {
            continue;
        }
        let owned = (run.map(String::from), name.to_string());
        let (x, y) = (index_a.get(&owned), index_b.get(&owned));
        let path = scoped_path(how.kind, run, name);
        let value = |i: Option<&&T>| i.map(|i| (how.value)(i));
        let (va, vb) = (value(x), value(y));
        let equal = match (&va, &vb) {
            (Some(p), Some(q)) => (how.equal)(p, q),
            _ => va == vb,
        };
        if let (Some(x), Some(y)) = (x, y)
            && (equal || !how.note_only_when_equal)
        {
            let path = format!("{path}.{}", how.note_field);
            push_scoped(
                c,
                true,
                how.kind,
                run,
                (a, b),
                path,
                (how.note)(x),
                (how.note)(y),
            );
        }
        if !equal {
            push_scoped(c, false, how.kind, run, (a, b), path, va, vb);
        }
    }
}

/// Items by (run, name); the first of a key wins.
fn by_key<T>(
    items: &[T],
    key: fn(&T) -> (Option<&str>, &str),
) -> HashMap<(Option<String>, String), &T> {
    items
        .iter()
        .rev()
        .map(|item| {
            let (run, name) = key(item);
            ((run.map(String::from), name.to_string()), item)
        })
        .collect()
}

fn inputs(c: &mut Comparison, a: &Session, b: &Session) {
    scoped(
        c,
        a,
        b,
        &Scoped {
            kind: "input",
            items: |s| &s.inputs,
            key: |i| (i.run.as_deref(), i.name.as_str()),
            value: |i| i.sha256.clone().into(),
            equal: |a, b| a == b,
            note_field: "source_path",
            note: |i| i.source_path.clone().map(Value::from),
            note_only_when_equal: true,
        },
    );
}

fn seeds(c: &mut Comparison, a: &Session, b: &Session) {
    scoped(
        c,
        a,
        b,
        &Scoped {
            kind: "seed",
            items: |s| &s.seeds,
            key: |s| (s.run.as_deref(), s.component.as_str()),
            value: |s| s.seed.clone(),
            equal: seeds_equal,
            note_field: "source",
            note: |s| s.source.clone().map(Value::from),
            note_only_when_equal: false,
        },
    );
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
            run: None,
            algorithm: None,
            a: Some(la.into()),
            b: Some(lb.into()),
            text: None,
        });
    }
    let (ia, ib) = (scan_a.invalid_lines, scan_b.invalid_lines);
    if ia > 0 || ib > 0 {
        c.notes.push(Difference {
            what: "log",
            path: "invalid_lines".into(),
            run: None,
            algorithm: None,
            a: Some(ia.into()),
            b: Some(ib.into()),
            text: None,
        });
    }
}
