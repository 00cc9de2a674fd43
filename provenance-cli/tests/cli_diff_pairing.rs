//! How `provenance diff` pairs runs whose ids differ: a rayon grid sweep of
//! a user's own crate, built in a fresh git repository, run on one grid and
//! then on the same grid with one value changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod support;

use provenance_test_support::experiment::{self, Experiment, Git};
use serde_json::Value;

/// Runs the grid sweep with seed 7, its log at `<dir>/<label>.ndjson`.
fn sweep(exp: &Experiment, label: &str, lookbacks: &str, thresholds: &str) -> PathBuf {
    let log = exp.dir.path().join(format!("{label}.ndjson"));
    exp.run(&["grid", lookbacks, thresholds], Some(&log));
    log
}

fn diff(cwd: &Path, args: &[&str]) -> (i32, String) {
    let out = provenance_test_support::provenance(cwd, &[&["diff"], args].concat());
    (out.code, out.stdout)
}

/// Each `rule` run of a log: its id → (lookback, threshold).
fn rules(log: &Path) -> BTreeMap<String, (u64, f64)> {
    std::fs::read_to_string(log)
        .expect("read the log")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .filter(|e| e["event_type"] == "algorithm.init" && e["algorithm_name"] == "rule")
        .map(|e| {
            let config = &e["config"];
            let id = e["run_id"].as_str().expect("a run id").to_string();
            let lookback = config["lookback"].as_u64().expect("a lookback");
            (
                id,
                (lookback, config["threshold"].as_f64().expect("a threshold")),
            )
        })
        .collect()
}

#[test]
fn one_grid_value_changed_names_exactly_the_changed_workers() {
    let exp = experiment::build(Git::Repository);
    let dir = exp.dir.path();
    let thresholds = "0.25,0.5,0.75,1.0";
    let a = sweep(&exp, "a", "20,60", thresholds);
    let b = sweep(&exp, "b", "20,40", thresholds);
    let (rules_a, rules_b) = (rules(&a), rules(&b));
    assert_eq!((rules_a.len(), rules_b.len()), (8, 8));
    // The run of B a person pairs with each changed run of A: the same
    // threshold, lookback 40 instead of 60.
    let expected: BTreeMap<&str, &str> = rules_a
        .iter()
        .filter(|(_, (lookback, _))| *lookback == 60)
        .map(|(id, (_, threshold))| {
            let (partner, _) = rules_b
                .iter()
                .find(|(_, config)| **config == (40, *threshold))
                .expect("a lookback-40 run of that threshold");
            (id.as_str(), partner.as_str())
        })
        .collect();
    assert_eq!(expected.len(), 4);
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());

    let (code, text) = diff(dir, &[a, b]);
    assert_eq!(code, 1, "{text}");
    let config: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "config")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    let mut wanted: Vec<String> = expected
        .iter()
        .map(|(x, y)| format!("  {x} rule config.lookback: 60 → 40 (paired with B's {y})"))
        .collect();
    let mut config: Vec<String> = config.into_iter().map(String::from).collect();
    wanted.sort();
    config.sort();
    assert_eq!(config, wanted, "{text}");
    for wrong in ["threshold", "only in", "inputs\n", "seeds\n", ".id:"] {
        assert!(!text.contains(wrong), "{wrong:?} in:\n{text}");
    }
    assert!(
        text.contains("\nalso differ as a consequence: 8 with changed configurations"),
        "{text}"
    );

    let (code, json) = diff(dir, &["--json", a, b]);
    assert_eq!(code, 1, "{json}");
    let report: Value = serde_json::from_str(&json).expect("JSON");
    let differences = report["differences"].as_array().expect("differences");
    for d in differences {
        let run = d["run"].as_str().unwrap_or_default();
        let partner = expected.get(run);
        assert!(
            partner.is_some(),
            "a difference outside the changed runs: {d}"
        );
        assert_eq!(d["run_b"].as_str(), partner.copied(), "{d}");
        assert_ne!(d["what"], "input", "{d}");
        let path = d["path"].as_str().expect("a path");
        assert!(!path.contains("threshold"), "{d}");
        if d["what"] == "config" && d["follows"].is_null() {
            assert_eq!(path, format!("{run}.config.lookback"));
            assert_eq!((d["a"].as_u64(), d["b"].as_u64()), (Some(60), Some(40)));
        }
    }
    let listed = |what: &str| {
        differences
            .iter()
            .filter(|d| d["what"] == what && d["follows"].is_null())
            .count()
    };
    assert_eq!((listed("config"), listed("seed")), (4, 0), "{json}");

    let (code, events) = diff(dir, &["--events", a, b]);
    assert_eq!(code, 1, "{events}");
    assert!(
        events.contains("\n  data.load: same (8 event(s))"),
        "{events}"
    );
    assert!(
        events.contains("): config.lookback: 60 → 40 (9 event(s))"),
        "{events}"
    );

    // The same grid again: every run pairs by id, nothing differs.
    let again = sweep(&exp, "again", "20,60", thresholds);
    let (code, same) = diff(dir, &["--events", a, again.to_str().unwrap()]);
    assert_eq!(code, 0, "{same}");
}
