//! The log, read by the readers our users use: pandas' `read_json`, DuckDB's
//! `read_json_auto`, jq (1.6 where the machine has it) and Node's
//! `JSON.parse`. The main example runs with root seeds near 2^64; every
//! seed each reader reads must be the one the program used, every built-in
//! field must have one JSON type, and DuckDB's `DESCRIBE` must show no
//! union or JSON column beyond the free-form payloads (docs/CONTRACT.md,
//! *Reading with pandas, DuckDB and JavaScript*).
//!
//! `tests/readers/read_log.py` does the reading. pandas and DuckDB come
//! from `pip install -r .ci/requirements.txt`; without them the test says
//! it skipped them, except under `PROVENANCE_READERS_REQUIRED=1` (CI),
//! where a missing reader fails it.

use std::collections::BTreeMap;
use std::process::Command;

use ith_provenance::{
    EventLog, ProvenanceContext, crate_info,
    events::DataSave,
    fingerprint_file,
    ith::{EpochDetected, HypothesisResult, PositionType},
    seed::{Seed, derive_run_seed, derive_seed},
};
use provenance_test_support::example::{Example, events_of};
use provenance_test_support::readers::readers_required;
use serde_json::{Value, json};

/// Root seeds near 2^64, the two, and a small one.
const ROOTS: [u64; 4] = [
    u64::MAX - 1,
    18_000_000_000_000_000_001,
    9_828_276_969_180_527_212,
    42,
];

/// One seed of the log: where it is and what the program used.
fn expect(expected: &mut Vec<Value>, line: &Value, path: &[&str], seed: u64) {
    let written = path.iter().fold(line, |v, key| &v[*key]);
    assert_eq!(
        serde_json::from_value::<Seed>(written.clone()).ok(),
        Some(Seed(seed)),
        "{path:?} of {line}"
    );
    expected.push(json!({
        "session_id": line["session_id"],
        "seq": line["seq"],
        "path": path,
        "seed": seed.to_string(),
    }));
}

/// Every seed of `lines`, with the value the program used: the root seed
/// it was given, and the seeds derived from it by the documented formulas
/// (computed here, not read from the log).
fn seeds_used(lines: &[Value], root: u64, expected: &mut Vec<Value>) {
    for line in lines {
        match line["event_type"].as_str().unwrap() {
            "session.start" => {
                expect(expected, line, &["context", "root_seed", "seed"], root);
                let seeds = line["context"]["random_seeds"].as_object().unwrap();
                for name in seeds.keys() {
                    let path = ["context", "random_seeds", name.as_str()];
                    expect(expected, line, &path, derive_seed(root, name));
                }
            }
            // The annotated runs take the root seed.
            "algorithm.init" => expect(expected, line, &["random_seed"], root),
            "seed.derived" => {
                let run = line["run_id"].as_str().unwrap();
                let component = line["component"].as_str().unwrap();
                let seed = derive_run_seed(root, run, component);
                expect(expected, line, &["seed"], seed);
                expect(expected, line, &["root_seed"], root);
            }
            _ => {}
        }
    }
}

/// A session of NaN and infinite floats, written by the real writer, so
/// the float columns are seen holding them.
fn non_finite_session(path: &std::path::Path) -> Vec<String> {
    let ctx = ProvenanceContext::builder(crate_info!())
        .seed(u64::MAX)
        .build()
        .unwrap();
    let log = EventLog::builder().file(path).open(&ctx).unwrap();
    log.emit(&EpochDetected {
        epoch_index: 1,
        bar_index: 3,
        timestamp: None,
        excess_gain: f64::INFINITY,
        excess_loss: f64::NAN,
        endorsing_crest: 1.0,
        candidate_nadir: 0.5,
        tmaeg_threshold: 0.05,
        position_type: PositionType::Bull,
        nav_at_epoch: Some(f64::NEG_INFINITY),
    })
    .unwrap();
    log.emit(&HypothesisResult {
        hypothesis_id: "H1".into(),
        test_name: "welch_t".into(),
        statistic: f64::NAN,
        p_value: 0.5,
        effect_size: None,
        decision: "inconclusive".into(),
        alpha: 0.05,
        context: BTreeMap::new(),
    })
    .unwrap();
    log.close().unwrap();
    lines_of(path)
}

/// The lines of the log file at `path`.
fn lines_of(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// A session whose run writes a file, so `outputs` is seen holding one
/// (a log where no run wrote a file has only `[]` there, which DuckDB types
/// `JSON[]`; docs/CONTRACT.md says so).
fn output_session(path: &std::path::Path, output: &std::path::Path) -> Vec<String> {
    std::fs::write(output, "epoch\n1\n").unwrap();
    let ctx = ProvenanceContext::builder(crate_info!())
        .seed(7)
        .build()
        .unwrap();
    let log = EventLog::builder().file(path).open(&ctx).unwrap();
    let init = log.algorithm_init("writer", "1", &(), None, None).unwrap();
    let run = log.start_algorithm(init).unwrap();
    let save = DataSave::from_file(&fingerprint_file(output).unwrap());
    log.emit(&save).unwrap();
    run.add_output(save.output());
    run.finish_ok(BTreeMap::new(), None).unwrap();
    log.close().unwrap();
    lines_of(path)
}

#[test]
fn every_reader_reads_every_seed_exactly_and_one_type_per_column() {
    let example = Example::build("ith_epochs");
    let dir = tempfile::tempdir().unwrap();
    let mut log = String::new();
    let mut expected = Vec::new();
    for (i, root) in ROOTS.iter().enumerate() {
        let seed = Seed(*root).to_string();
        // Decimal and hex: PROVENANCE_SEED takes both.
        let env = if i % 2 == 0 { seed } else { root.to_string() };
        let run = example.run_logged(&format!("run{i}"), &[("PROVENANCE_SEED", &env)], &[]);
        assert!(run.status.success(), "{}", run.stderr);
        seeds_used(&events_of(&run.log), *root, &mut expected);
        log.push_str(&run.log);
    }
    let output_log = dir.path().join("output.ndjson");
    for line in output_session(&output_log, &dir.path().join("epochs.csv")) {
        log.push_str(&line);
        log.push('\n');
    }
    let nan_log = dir.path().join("nan.ndjson");
    for line in non_finite_session(&nan_log) {
        let value: Value = serde_json::from_str(&line).unwrap();
        seeds_used(std::slice::from_ref(&value), u64::MAX, &mut expected);
        log.push_str(&line);
        log.push('\n');
    }
    assert!(expected.len() > 20, "{} seeds", expected.len());

    let log_path = dir.path().join("all.ndjson");
    std::fs::write(&log_path, &log).unwrap();
    let expected_path = dir.path().join("expected.json");
    std::fs::write(&expected_path, serde_json::to_string(&expected).unwrap()).unwrap();

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/readers/read_log.py");
    let out = match Command::new("python3")
        .arg(script)
        .arg(&log_path)
        .arg(&expected_path)
        .output()
    {
        Ok(out) => out,
        Err(e) if !readers_required() => {
            eprintln!("readers: skipped, python3 cannot run ({e})");
            return;
        }
        Err(e) => panic!("python3 cannot run: {e}"),
    };
    let report = String::from_utf8_lossy(&out.stdout);
    // What was read, and what was skipped, for the test's log.
    eprintln!("{report}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "a reader misread the log:\n{report}");
    assert!(report.contains("one JSON type each"), "{report}");
}
