//! The build, machine and environment parts of two contexts (`build`,
//! `host.cpu_*`, `host.available_parallelism`, `env`): what makes one
//! commit and seed give other numbers. Each change is one line of its own.
//!
//! Differences (exit status 1): dependencies, profile, target, target
//! features, panic strategy, run-time CPU features, available parallelism,
//! environment variables. Notes: CPU model, a changed `Cargo.lock` with the
//! same resolved dependencies, one side recording no build at all.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::difference::{Comparison, Difference};
use crate::ops::scan::{Build, Dependency, Host, Session};

/// Compares what both contexts record; silent on fields an older writer
/// did not write.
pub(super) fn compare(c: &mut Comparison, a: &Session, b: &Session) {
    let (Some(ca), Some(cb)) = (a.context.as_ref(), b.context.as_ref()) else {
        return;
    };
    match (&ca.build, &cb.build) {
        (Some(ba), Some(bb)) => build(c, ba, bb),
        (None, None) => {}
        (ba, bb) => {
            let side = if ba.is_some() { "A" } else { "B" };
            let d = line(
                "build",
                "build",
                ba.as_ref().map(|_| json!("recorded")),
                bb.as_ref().map(|_| json!("recorded")),
                format!("build: only {side} records how the program was built (an older writer?)"),
            );
            c.notes.push(d);
        }
    }
    machine(c, ca.host.as_ref(), cb.host.as_ref());
    env(c, ca.env.as_deref(), cb.env.as_deref());
}

fn line(
    what: &'static str,
    path: &str,
    a: Option<Value>,
    b: Option<Value>,
    text: String,
) -> Difference {
    Difference {
        what,
        path: path.to_string(),
        a,
        b,
        text: Some(text),
        ..Difference::default()
    }
}

fn text<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "(unset)".to_string(), |v| v.to_string())
}

fn build(c: &mut Comparison, a: &Build, b: &Build) {
    let deps_changed = dependencies(c, &a.dependencies, &b.dependencies);
    let (lock_a, lock_b) = (&a.cargo_lock_sha256, &b.cargo_lock_sha256);
    if let (false, Some(la), Some(lb)) = (deps_changed, lock_a, lock_b)
        && la != lb
    {
        c.notes.push(line(
            "build",
            "build.cargo_lock.sha256",
            Some(la.as_str().into()),
            Some(lb.as_str().into()),
            "Cargo.lock changed, same resolved dependencies".to_string(),
        ));
    }

    let profile = |v: &Build| {
        let assertions = match v.debug_assertions {
            Some(true) => ", debug assertions on",
            Some(false) => ", debug assertions off",
            None => "",
        };
        format!(
            "{} (opt-level {}{assertions})",
            text(v.profile.as_ref()),
            text(v.opt_level.as_ref())
        )
    };
    let keys = |v: &Build| json!([v.profile, v.opt_level, v.debug_assertions]);
    if keys(a) != keys(b) {
        c.differences.push(line(
            "build",
            "build.profile",
            Some(keys(a)),
            Some(keys(b)),
            format!("build profile {} → {}", profile(a), profile(b)),
        ));
    }
    for (key, label, va, vb) in [
        ("target", "build target", &a.target, &b.target),
        ("panic", "panic strategy", &a.panic, &b.panic),
    ] {
        if va != vb {
            c.differences.push(line(
                "build",
                &format!("build.{key}"),
                Some(json!(va)),
                Some(json!(vb)),
                format!("{label} {} → {}", text(va.as_ref()), text(vb.as_ref())),
            ));
        }
    }
    features(
        c,
        "build",
        "build.target_features",
        "target features",
        a.target_features.as_deref(),
        b.target_features.as_deref(),
    );
}

/// One difference per package whose versions (or sources) differ; whether
/// any did.
fn dependencies(c: &mut Comparison, a: &[Dependency], b: &[Dependency]) -> bool {
    type Versions = BTreeMap<String, BTreeSet<(String, String)>>;
    let index = |v: &[Dependency]| -> Versions {
        let mut map = Versions::new();
        for d in v {
            let version = text(d.version.as_ref());
            let source = d.source.as_deref().unwrap_or("path").to_string();
            map.entry(d.name.clone())
                .or_default()
                .insert((version, source));
        }
        map
    };
    let (ia, ib) = (index(a), index(b));
    let names: BTreeSet<&String> = ia.keys().chain(ib.keys()).collect();
    let mut changed = false;
    for name in names {
        let (va, vb) = (ia.get(name), ib.get(name));
        if va == vb {
            continue;
        }
        changed = true;
        let shown = |v: Option<&BTreeSet<(String, String)>>,
                     other: Option<&BTreeSet<(String, String)>>| {
            let Some(v) = v else {
                return "(none)".to_string();
            };
            // The source only when the versions alone do not tell the sides apart.
            let versions = |s: &BTreeSet<(String, String)>| -> BTreeSet<String> {
                s.iter().map(|(v, _)| v.clone()).collect()
            };
            let same_versions = other.is_some_and(|o| versions(o) == versions(v));
            v.iter()
                .map(|(version, source)| {
                    if same_versions {
                        format!("{version} ({source})")
                    } else {
                        version.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let value = |v: Option<&BTreeSet<(String, String)>>| {
            v.map(|v| {
                Value::from(
                    v.iter()
                        .map(|(version, _)| version.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })
        };
        c.differences.push(line(
            "dependency",
            &format!("build.dependencies.{name}"),
            value(va),
            value(vb),
            format!("dependency {name} {} → {}", shown(va, vb), shown(vb, va)),
        ));
    }
    changed
}

/// One line for a feature list: what was turned on and off.
fn features(
    c: &mut Comparison,
    what: &'static str,
    path: &str,
    label: &str,
    a: Option<&[String]>,
    b: Option<&[String]>,
) {
    let set =
        |v: Option<&[String]>| -> BTreeSet<String> { v.into_iter().flatten().cloned().collect() };
    let (sa, sb) = (set(a), set(b));
    if sa == sb {
        return;
    }
    let on = sb.difference(&sa).map(|f| format!("{f} off → on"));
    let off = sa.difference(&sb).map(|f| format!("{f} on → off"));
    let changes: Vec<String> = on.chain(off).collect();
    c.differences.push(line(
        what,
        path,
        Some(json!(a)),
        Some(json!(b)),
        format!("{label}: {}", changes.join(", ")),
    ));
}

fn machine(c: &mut Comparison, a: Option<&Host>, b: Option<&Host>) {
    let (Some(a), Some(b)) = (a, b) else {
        return;
    };
    // Each field is compared only when both sides recorded it (`null` for
    // unknown counts as recorded; an older writer wrote none).
    if let (Some(ma), Some(mb)) = (&a.cpu_model, &b.cpu_model)
        && ma != mb
    {
        c.notes.push(line(
            "machine",
            "host.cpu_model",
            Some(json!(ma)),
            Some(json!(mb)),
            format!("cpu {} → {}", text(ma.as_ref()), text(mb.as_ref())),
        ));
    }
    if let (Some(fa), Some(fb)) = (&a.cpu_features, &b.cpu_features) {
        features(
            c,
            "machine",
            "host.cpu_features",
            "cpu features",
            fa.as_deref(),
            fb.as_deref(),
        );
    }
    if let (Some(ta), Some(tb)) = (a.available_parallelism, b.available_parallelism)
        && ta != tb
    {
        c.differences.push(line(
            "machine",
            "host.available_parallelism",
            Some(json!(ta)),
            Some(json!(tb)),
            format!(
                "threads {} → {} (available parallelism)",
                text(ta),
                text(tb)
            ),
        ));
    }
}

fn env(
    c: &mut Comparison,
    a: Option<&[(String, Option<String>)]>,
    b: Option<&[(String, Option<String>)]>,
) {
    let (Some(a), Some(b)) = (a, b) else {
        return;
    };
    let value = |vars: &[(String, Option<String>)], name: &str| -> Option<String> {
        vars.iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.clone())
    };
    let names: BTreeSet<&String> = a.iter().chain(b).map(|(n, _)| n).collect();
    for name in names {
        let (va, vb) = (value(a, name), value(b, name));
        if va != vb {
            c.differences.push(line(
                "env",
                &format!("env.{name}"),
                Some(json!(va)),
                Some(json!(vb)),
                format!("env {name} {} → {}", text(va.as_ref()), text(vb.as_ref())),
            ));
        }
    }
}
