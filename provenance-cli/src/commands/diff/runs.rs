//! The runs of two sessions, pair by pair ([`super::pairing`]): each field
//! that differs, each configuration key and metric.

use serde_json::{Value, json};

use super::difference::{Comparison, Difference};
use super::pairing::{How, Pairing};
use super::value::{Tolerance, deltas, push_key};
use crate::ops::scan::Run;
use crate::seed::seeds_equal;

/// Deltas listed per configuration or metrics object (the rest are counted
/// in the verdict, not listed).
const MAX_DELTAS: usize = 200;

/// Compares each pair of runs, `final_metrics` within `tolerance`.
pub(super) fn compare(c: &mut Comparison, pairing: &Pairing<'_>, tolerance: Tolerance) {
    for pair in &pairing.pairs {
        match (pair.a, pair.b) {
            (Some(x), Some(y)) => both(c, x, y, pair.how, tolerance),
            (x, y) => {
                let Some(run) = x.or(y) else { continue };
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
                let on = On { run, run_b: None };
                on.push(c, "run", run.id.clone(), sa, sb, None);
            }
        }
    }
}

/// Where a pair's differences are reported: in A's run, naming B's when
/// its id differs.
struct On<'r> {
    run: &'r Run,
    run_b: Option<&'r str>,
}

impl On<'_> {
    fn push(
        &self,
        c: &mut Comparison,
        what: &'static str,
        path: String,
        a: Option<Value>,
        b: Option<Value>,
        follows: Option<&'static str>,
    ) {
        c.differences.push(Difference {
            what,
            path,
            run: Some(self.run.id.clone()),
            run_b: self.run_b.map(String::from),
            algorithm: self.run.algorithm_name.clone(),
            a,
            b,
            follows,
            text: None,
        });
    }
}

/// `<id>.<field>` plus a delta's path.
fn delta_path(id: &str, field: &str, delta: &str) -> String {
    let mut path = format!("{id}.{field}");
    if !delta.is_empty() {
        if !delta.starts_with('[') {
            path.push('.');
        }
        path.push_str(delta);
    }
    path
}

fn both(c: &mut Comparison, x: &Run, y: &Run, how: Option<How>, tolerance: Tolerance) {
    let id = &x.id;
    let on = On {
        run: x,
        run_b: (x.id != y.id).then_some(y.id.as_str()),
    };
    let null = Value::Null;
    let config = deltas(
        x.config.as_ref().unwrap_or(&null),
        y.config.as_ref().unwrap_or(&null),
        Tolerance::EXACT,
        MAX_DELTAS,
    );
    let config_changed = (!config.is_empty()).then_some("config");
    if x.id != y.id {
        // A carried run's id carries a key of its configuration (else of
        // its inputs), and a nested run's id its parent's.
        let follows = config_changed
            .or((x.input_hash != y.input_hash).then_some("input"))
            .or((how == Some(How::Place)).then_some("parent"));
        let (a, b) = (Some(x.id.clone().into()), Some(y.id.clone().into()));
        on.push(c, "run", format!("{id}.id"), a, b, follows);
    }
    for d in config {
        on.push(
            c,
            "config",
            delta_path(id, "config", &d.path),
            d.a,
            d.b,
            None,
        );
    }
    let s = |v: &Option<String>| v.clone().map(Value::from);
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
    for (field, what, va, vb) in fields {
        // A seed is the same seed whichever form it is written in.
        let same = match (field, &va, &vb) {
            ("random_seed", Some(x), Some(y)) => seeds_equal(x, y),
            _ => va == vb,
        };
        if same {
            continue;
        }
        let follows = match field {
            "config_hash" => config_changed,
            // Paired parents of other ids: the parents' own lines name
            // the change.
            "parent" if how != Some(How::Id) => Some("parent"),
            _ => None,
        };
        let mut path = id.clone();
        push_key(&mut path, field);
        on.push(c, what, path, va, vb, follows);
    }
    for d in deltas(
        x.final_metrics.as_ref().unwrap_or(&null),
        y.final_metrics.as_ref().unwrap_or(&null),
        tolerance,
        MAX_DELTAS,
    ) {
        let path = delta_path(id, "final_metrics", &d.path);
        on.push(c, "run", path, d.a, d.b, None);
    }
}
