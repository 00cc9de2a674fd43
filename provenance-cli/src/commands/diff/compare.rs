//! The provenance comparison: what two sessions' `session.start`, runs,
//! inputs, seeds and event counts say, side by side.

use std::collections::BTreeSet;

use serde_json::Value;

use super::pairing::Pairing;
use super::value::{Tolerance, push_key};
use crate::ops::scan::{Context, CrateRecord, GitRecord, Host, Scan, Session};

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

fn context(c: &mut Comparison, a: &Session, b: &Session) {
    let (ca, cb) = (a.context.as_ref(), b.context.as_ref());
    let text = |v: Option<&String>| v.cloned().map(Value::from);
    fn git(c: Option<&Context>) -> Option<&GitRecord> {
        c?.git.as_ref()
    }
    let sha = |c: Option<&Context>| c?.sha().map(Value::from);
    c.push(false, "git", "git.sha".into(), sha(ca), sha(cb));
    let dirty = |c: Option<&Context>| git(c)?.dirty.map(Value::from);
    c.push(false, "git", "git.dirty".into(), dirty(ca), dirty(cb));
    let hash = |c: Option<&Context>| text(git(c)?.diff_hash.as_ref());
    c.push(false, "git", "git.diff_hash".into(), hash(ca), hash(cb));
    let branch = |c: Option<&Context>| text(git(c)?.branch.as_ref());
    c.push(true, "git", "git.branch".into(), branch(ca), branch(cb));
    let contract = |s: &Session| s.contract_version.map(Value::from);
    c.push(
        false,
        "version",
        "contract_version".into(),
        contract(a),
        contract(b),
    );
    fn krate(c: Option<&Context>) -> Option<&CrateRecord> {
        c?.krate.as_ref()
    }
    let name = |c: Option<&Context>| text(krate(c)?.name.as_ref());
    c.push(false, "version", "crate.name".into(), name(ca), name(cb));
    let version = |c: Option<&Context>| text(krate(c)?.version.as_ref());
    c.push(
        false,
        "version",
        "crate.version".into(),
        version(ca),
        version(cb),
    );
    let rustc = |c: Option<&Context>| text(c?.rustc_version.as_ref());
    c.push(
        false,
        "version",
        "rustc_version".into(),
        rustc(ca),
        rustc(cb),
    );
    let experiment = |s: &Session| s.experiment_id.clone().map(Value::from);
    c.push(
        false,
        "experiment",
        "experiment_id".into(),
        experiment(a),
        experiment(b),
    );
    let config = |c: Option<&Context>| text(c?.config_hash.as_ref());
    c.push(
        false,
        "config",
        "context.config_hash".into(),
        config(ca),
        config(cb),
    );
    fn host(c: Option<&Context>) -> Option<&Host> {
        c?.host.as_ref()
    }
    let hostname = |c: Option<&Context>| text(host(c)?.hostname.as_ref());
    c.push(
        true,
        "host",
        "host.hostname".into(),
        hostname(ca),
        hostname(cb),
    );
    let os = |c: Option<&Context>| text(host(c)?.os.as_ref());
    c.push(true, "host", "host.os".into(), os(ca), os(cb));
    let arch = |c: Option<&Context>| text(host(c)?.arch.as_ref());
    c.push(true, "host", "host.arch".into(), arch(ca), arch(cb));
    let command = |c: Option<&Context>| c?.command_line.clone().map(Value::from);
    c.push(
        true,
        "command_line",
        "command_line".into(),
        command(ca),
        command(cb),
    );
}

fn counts(c: &mut Comparison, a: &Session, b: &Session) {
    let types: BTreeSet<&String> = a.counts.keys().chain(b.counts.keys()).collect();
    // A series' lines count its batches, which two writers may cut
    // differently: `--events` compares its points.
    for t in types
        .into_iter()
        .filter(|t| *t != super::series::EVENT_TYPE)
    {
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
