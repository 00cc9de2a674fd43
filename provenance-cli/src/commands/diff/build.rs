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
use crate::ops::scan::Session;

/// Compares what both contexts record; silent on fields an older writer
/// did not write.
pub(super) fn compare(c: &mut Comparison, a: &Session, b: &Session) {
    let (ca, cb) = (context(a), context(b));
    let (Some(ca), Some(cb)) = (ca, cb) else {
        return;
    };
    match (ca.get("build"), cb.get("build")) {
        (Some(ba), Some(bb)) => build(c, ba, bb),
        (None, None) => {}
        (ba, bb) => {
            let side = if ba.is_some() { "A" } else { "B" };
            let d = line(
                "build",
                "build",
                ba.map(|_| json!("recorded")),
                bb.map(|_| json!("recorded")),
                format!("build: only {side} records how the program was built (an older writer?)"),
            );
            c.notes.push(d);
        }
    }
    machine(c, ca.get("host"), cb.get("host"));
    env(c, ca.get("env"), cb.get("env"));
}

fn context(s: &Session) -> Option<&serde_json::Map<String, Value>> {
    s.context.as_ref()?.as_object()
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

fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "(unset)".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

fn build(c: &mut Comparison, a: &Value, b: &Value) {
    let deps_changed = dependencies(c, &a["dependencies"], &b["dependencies"]);
    let lock = |v: &Value| v["cargo_lock"]["sha256"].clone();
    if !deps_changed && lock(a) != lock(b) && !lock(a).is_null() && !lock(b).is_null() {
        c.notes.push(line(
            "build",
            "build.cargo_lock.sha256",
            Some(lock(a)),
            Some(lock(b)),
            "Cargo.lock changed, same resolved dependencies".to_string(),
        ));
    }

    let profile = |v: &Value| {
        let assertions = match v["debug_assertions"].as_bool() {
            Some(true) => ", debug assertions on",
            Some(false) => ", debug assertions off",
            None => "",
        };
        format!(
            "{} (opt-level {}{assertions})",
            text(v.get("profile")),
            text(v.get("opt_level"))
        )
    };
    let keys = |v: &Value| json!([v["profile"], v["opt_level"], v["debug_assertions"]]);
    if keys(a) != keys(b) {
        c.differences.push(line(
            "build",
            "build.profile",
            Some(keys(a)),
            Some(keys(b)),
            format!("build profile {} → {}", profile(a), profile(b)),
        ));
    }
    for (key, label) in [("target", "build target"), ("panic", "panic strategy")] {
        if a[key] != b[key] {
            c.differences.push(line(
                "build",
                &format!("build.{key}"),
                Some(a[key].clone()),
                Some(b[key].clone()),
                format!("{label} {} → {}", text(a.get(key)), text(b.get(key))),
            ));
        }
    }
    features(
        c,
        "build",
        "build.target_features",
        "target features",
        &a["target_features"],
        &b["target_features"],
    );
}

/// One difference per package whose versions (or sources) differ; whether
/// any did.
fn dependencies(c: &mut Comparison, a: &Value, b: &Value) -> bool {
    type Versions = BTreeMap<String, BTreeSet<(String, String)>>;
    let index = |v: &Value| -> Versions {
        let mut map = Versions::new();
        for d in v.as_array().into_iter().flatten() {
            let name = text(d.get("name"));
            let version = text(d.get("version"));
            let source = d["source"].as_str().unwrap_or("path").to_string();
            map.entry(name).or_default().insert((version, source));
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
fn features(c: &mut Comparison, what: &'static str, path: &str, label: &str, a: &Value, b: &Value) {
    let set = |v: &Value| -> BTreeSet<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect()
    };
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
        Some(a.clone()),
        Some(b.clone()),
        format!("{label}: {}", changes.join(", ")),
    ));
}

fn machine(c: &mut Comparison, a: Option<&Value>, b: Option<&Value>) {
    let (Some(a), Some(b)) = (a, b) else {
        return;
    };
    let recorded = |v: &Value, key: &str| v.get(key).is_some();
    if recorded(a, "cpu_model") && recorded(b, "cpu_model") && a["cpu_model"] != b["cpu_model"] {
        c.notes.push(line(
            "machine",
            "host.cpu_model",
            Some(a["cpu_model"].clone()),
            Some(b["cpu_model"].clone()),
            format!(
                "cpu {} → {}",
                text(a.get("cpu_model")),
                text(b.get("cpu_model"))
            ),
        ));
    }
    if recorded(a, "cpu_features") && recorded(b, "cpu_features") {
        features(
            c,
            "machine",
            "host.cpu_features",
            "cpu features",
            &a["cpu_features"],
            &b["cpu_features"],
        );
    }
    let threads = "available_parallelism";
    if recorded(a, threads) && recorded(b, threads) && a[threads] != b[threads] {
        c.differences.push(line(
            "machine",
            "host.available_parallelism",
            Some(a[threads].clone()),
            Some(b[threads].clone()),
            format!(
                "threads {} → {} (available parallelism)",
                text(a.get(threads)),
                text(b.get(threads))
            ),
        ));
    }
}

fn env(c: &mut Comparison, a: Option<&Value>, b: Option<&Value>) {
    let (Some(a), Some(b)) = (a.and_then(Value::as_object), b.and_then(Value::as_object)) else {
        return;
    };
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for name in names {
        let (va, vb) = (
            a.get(name).filter(|v| !v.is_null()),
            b.get(name).filter(|v| !v.is_null()),
        );
        if va != vb {
            c.differences.push(line(
                "env",
                &format!("env.{name}"),
                Some(va.cloned().unwrap_or(Value::Null)),
                Some(vb.cloned().unwrap_or(Value::Null)),
                format!("env {name} {} → {}", text(va), text(vb)),
            ));
        }
    }
}
