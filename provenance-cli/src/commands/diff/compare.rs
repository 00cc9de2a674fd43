//! The provenance comparison: what two sessions' `session.start`, runs,
//! inputs, seeds and event counts say, side by side.

use std::collections::BTreeSet;

use serde_json::Value;

use super::pairing::Pairing;
use super::value::{Tolerance, push_key};
use crate::ops::scan::{Scan, Session};

pub use super::difference::{Comparison, Difference};

/// Compares two sessions (each with the scan of its file), their runs as
/// `pairing` pairs them, `final_metrics` within `tolerance`.
pub fn compare(
    scan_a: &Scan,
    a: &Session,
    scan_b: &Scan,
    b: &Session,
    pairing: &Pairing<'_>,
    tolerance: Tolerance,
) -> Comparison {
    let mut c = Comparison::default();
    context(&mut c, a, b);
    super::git::compare(&mut c, a, b);
    super::build::compare(&mut c, a, b);
    super::runs::compare(&mut c, pairing, tolerance);
    let sides = super::scoped::Sides { a, b, pairing };
    super::scoped::inputs(&mut c, &sides);
    super::scoped::seeds(&mut c, &sides);
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
            a: Some(la.into()),
            b: Some(lb.into()),
            ..Difference::default()
        });
    }
    let (ia, ib) = (scan_a.invalid_lines, scan_b.invalid_lines);
    if ia > 0 || ib > 0 {
        c.notes.push(Difference {
            what: "log",
            path: "invalid_lines".into(),
            a: Some(ia.into()),
            b: Some(ib.into()),
            ..Difference::default()
        });
    }
}
