//! The README's "many machines" block, run as written by bash in a fresh
//! folder: 50 processes of the example write 50 logs into one folder, then
//! `validate`, `runs` and both exports read them. The `cargo build` lines
//! are skipped; the example and the CLI this test was built with stand in
//! at the paths the block names. `/shared/sweep` becomes a folder of the
//! test, and `OPENLINEAGE_URL` a loopback server standing in for Marquez.
//! Then every claim the README makes below the block is checked.
//!
//! `export parquet` and `export openlineage --url` need the CLI's
//! `parquet` and `http` features, so this test runs with them: `cargo test
//! -p ith-provenance-cli --features parquet,http --test many_machines` (as
//! `.ci/run` does).
#![cfg(all(feature = "parquet", feature = "http"))]

mod support;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;

use provenance_test_support::readers::readers_required;
use serde_json::Value;
use support::openlineage::{assert_valid, server};

/// The block's lines, with the builds left out and the shared folder
/// replaced by `sweep`.
fn script(sweep: &Path) -> String {
    let block = support::readme_block("many-machines");
    assert!(
        block.contains("/shared/sweep"),
        "the block names /shared/sweep"
    );
    block
        .lines()
        .filter(|l| !l.starts_with("cargo build"))
        .map(|l| l.replace("/shared/sweep", sweep.to_str().unwrap()) + "\n")
        .collect()
}

fn link(target: &Path, at: &Path) {
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, at).unwrap();
}

fn python(dir: &Path, code: &str) -> Option<String> {
    let required = readers_required();
    let out = Command::new("python3")
        .arg("-c")
        .arg(code)
        .current_dir(dir)
        .output()
        .expect("python3 runs");
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!required, "python3 failed: {err}");
        eprintln!(
            "many_machines: Python check skipped ({})",
            err.lines().last().unwrap_or("")
        );
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_sweep_of_50_processes_then_both_exports_as_the_readme_says() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let sweep = root.join("sweep");
    link(
        support::ith_epochs(),
        &root.join("target/release/examples/ith_epochs"),
    );
    link(
        &provenance_test_support::provenance_binary(),
        &root.join("target/release/provenance"),
    );
    let (url, received) = server(vec![201]);
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script(&sweep)])
        .current_dir(root)
        .env("OPENLINEAGE_URL", &url)
        .env_remove("PROVENANCE_LOG")
        .env_remove("PROVENANCE_SEED")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the block failed:\n{stdout}\n{stderr}"
    );

    // 50 logs, nothing lost: validate (exit 0, or bash -e stops) read them all.
    let logs: Vec<_> = std::fs::read_dir(&sweep)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(logs.len(), 50);
    let lines: usize = logs
        .iter()
        .map(|l| std::fs::read_to_string(l).unwrap().lines().count())
        .sum();
    assert!(
        stdout.contains(&format!(
            "valid: {lines} line(s), 50 session(s) in 50 file(s)"
        )),
        "{stdout}"
    );

    // 100 runs; the table printed is the top 5 by epochs, all ok. Its
    // columns are aligned: a cell starts where its header does.
    let table: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("session "))
        .take(6)
        .collect();
    assert_eq!(table.len(), 6, "a header and 5 rows: {stdout}");
    let cell = |row: &str, column: &str| -> String {
        let at = table[0].find(column).expect("the column is shown");
        row.get(at..)
            .unwrap_or("")
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string()
    };
    let epochs: Vec<f64> = table[1..]
        .iter()
        .map(|r| {
            cell(r, "metric.epochs")
                .parse()
                .expect("the top 5 have epochs")
        })
        .collect();
    assert!(
        epochs.windows(2).all(|w| w[0] >= w[1]),
        "sorted by epochs: {epochs:?}"
    );
    assert!(table[1..].iter().all(|r| cell(r, "status") == "ok"));
    let runs = Command::new(root.join("target/release/provenance"))
        .args(["runs", "--csv"])
        .arg(&sweep)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&runs.stdout).lines().count(),
        1 + 100
    );

    // 200 OpenLineage events: START and COMPLETE for each of 100 runs.
    let text = std::fs::read_to_string(root.join("lineage.ndjson")).unwrap();
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 200);
    let mut kinds: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in &events {
        kinds
            .entry(e["run"]["runId"].as_str().unwrap())
            .or_default()
            .push(e["eventType"].as_str().unwrap());
    }
    assert_eq!(kinds.len(), 100);
    assert!(kinds.values().all(|k| k == &["START", "COMPLETE"]));
    let by_name = |name: &'static str| events.iter().filter(move |e| e["job"]["name"] == name);
    let experiments: HashSet<&str> = by_name("ith_experiment")
        .map(|e| e["run"]["runId"].as_str().unwrap())
        .collect();
    assert_eq!(experiments.len(), 50);
    for e in by_name("bull_ith") {
        let parent = e["run"]["facets"]["parent"]["run"]["runId"]
            .as_str()
            .unwrap();
        assert!(
            experiments.contains(parent),
            "bull_ith names its ith_experiment"
        );
    }
    // Stable ids: exporting again gives the same events.
    let again = Command::new(root.join("target/release/provenance"))
        .args(["export", "openlineage"])
        .arg(&sweep)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&again.stdout), text);
    assert_valid(root, &events);
    // --url POSTed the same 200 events.
    let posted: Vec<Value> = received
        .lock()
        .unwrap()
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    assert_eq!(posted.len(), 200);
    let mut posted_sorted: Vec<String> = posted.iter().map(Value::to_string).collect();
    let mut printed_sorted: Vec<String> = events.iter().map(Value::to_string).collect();
    posted_sorted.sort();
    printed_sorted.sort();
    assert_eq!(posted_sorted, printed_sorted);
    assert!(
        stdout.contains(&format!(
            "exported 200 OpenLineage event(s) for 100 run(s) from 50 log(s) to {url}"
        )),
        "{stdout}"
    );

    // Two Parquet tables: runs (100 rows, typed) and events (a row a line).
    let check = "import pyarrow.parquet as pq, json\n\
         runs = pq.read_table('tables/runs.parquet')\n\
         events = pq.read_table('tables/events.parquet')\n\
         print(json.dumps({'runs': runs.num_rows, 'events': events.num_rows,\n\
           'start': str(runs.schema.field('start').type),\n\
           'seq': str(events.schema.field('seq').type),\n\
           'ts': str(events.schema.field('ts').type)}))";
    if let Some(seen) = python(root, check) {
        let seen: Value = serde_json::from_str(&seen).unwrap();
        assert_eq!(seen["runs"], 100);
        assert_eq!(seen["events"], lines as u64);
        assert!(
            seen["start"].as_str().unwrap().starts_with("timestamp"),
            "{seen}"
        );
        assert!(
            seen["ts"].as_str().unwrap().starts_with("timestamp"),
            "{seen}"
        );
        assert_eq!(seen["seq"], "uint64");
    }
    // DuckDB's answer: 50 runs of each algorithm.
    for algorithm in ["bull_ith", "ith_experiment"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.contains(algorithm) && l.split_whitespace().any(|w| w == "50")),
            "DuckDB shows 50 runs of {algorithm}: {stdout}"
        );
    }
}
