//! What `#[provenance]` functions write, read back from the log file.
//!
//! The session is process-global (the first annotated call opens it), so
//! each scenario runs in a child process: the parent re-runs this test
//! binary with one `#[ignore]`d `child_*` test selected, `PROVENANCE_LOG`
//! pointing at a temporary file and `PROVENANCE_ATTR_CHILD` set, then reads
//! the file. Without that variable a child test returns at once.

mod provenance_support;

use ith_provenance::{
    Fingerprint, current_run, fingerprint_array, provenance,
    seed::{Seed, derive_run_seed, rng_from_seed},
};
use provenance_support::*;
use rand_core::Rng;
use serde::Serialize;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// Entry, recording and a normal exit

#[derive(Serialize)]
struct Params {
    window: usize,
    hurdle: f64,
}

/// The experiment function of the first scenarios.
#[provenance(
    experiment = "exp001",
    seed = 42,
    name = "mean_price",
    version = "2.1.0",
    fingerprint_output
)]
fn mean_price(
    #[fingerprint] prices: &[f64],
    #[fingerprint] label: String,
    #[config] params: Params,
    unrecorded: u8,
) -> Result<f64, String> {
    let _ = (label, unrecorded);
    body_event("inside");
    let window = &prices[..params.window];
    Ok(window.iter().sum::<f64>() / window.len() as f64)
}

#[test]
#[ignore = "a child process of `entry_records_inputs_config_and_result`"]
fn child_entry() {
    if !is_child() {
        return;
    }
    let params = Params {
        window: 2,
        hurdle: 0.05,
    };
    assert_eq!(
        mean_price(&[1.0, 2.0, 4.0], "spx".into(), params, 7),
        Ok(1.5)
    );
    assert!(current_run().is_none(), "the run ends with the call");
    body_event("outside");
    // Each run's lines are flushed when it ends; later ones wait for the
    // log's next flush.
    ith_provenance::EventLog::current()
        .unwrap()
        .flush()
        .unwrap();
}

#[test]
fn entry_records_inputs_config_and_result() {
    let Child { lines, raw, .. } = run_child("entry", &[]);
    assert_eq!(
        types(&lines),
        [
            "session.start",
            "algorithm.init",
            "data.load",
            "data.load",
            "hypothesis_result",
            "algorithm.result",
            "hypothesis_result",
        ]
    );
    let seqs: Vec<u64> = lines.iter().map(|l| l["seq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");

    // The session: opened by the first call, for the test's own crate.
    let start = &lines[0];
    assert_eq!(start["experiment_id"], "exp001");
    assert_eq!(start["context"]["crate"]["name"], env!("CARGO_PKG_NAME"));
    assert_eq!(
        start["context"]["crate"]["version"],
        env!("CARGO_PKG_VERSION")
    );
    assert!(start.get("run_id").is_none(), "the session is not a run");

    let init = &lines[1];
    assert_eq!(init["run_id"], "mean_price#1");
    assert!(init.get("parent_run_id").is_none());
    assert_eq!(init["experiment_id"], "exp001");
    assert_eq!(init["algorithm_name"], "mean_price");
    assert_eq!(init["version"], "2.1.0");
    assert_eq!(init["random_seed"], json!(Seed(42)));
    let config = json!({"window": 2, "hurdle": 0.05});
    assert_eq!(
        init["config"], config,
        "one #[config] argument is the config"
    );
    let expected_hash = ith_provenance::config_hash(&config).unwrap().to_string();
    assert_eq!(init["config_hash"], expected_hash);
    assert_eq!(init["git_sha"], start["context"]["git"]["sha"]);
    assert_eq!(init["git_dirty"], start["context"]["git"]["dirty"]);
    assert_eq!(
        init["input_hash"],
        Value::Null,
        "two inputs: no single input_hash"
    );

    // The envelope's run_id comes right after experiment_id.
    assert!(
        raw[1].contains(r#","experiment_id":"exp001","run_id":"mean_price#1","algorithm_name""#),
        "{}",
        raw[1]
    );

    let prices = &lines[2];
    let fp = fingerprint_array(&[1.0_f64, 2.0, 4.0]);
    assert_eq!(prices["run_id"], "mean_price#1");
    assert_eq!(prices["input_name"], "prices");
    assert_eq!(prices["sha256_hash"], fp.sha256.to_string());
    assert_eq!(
        (&prices["row_count"], &prices["column_count"]),
        (&json!(3), &json!(1))
    );
    assert_eq!(prices["dtype"], "float64");
    assert_eq!(prices["value_range"], json!([1.0, 4.0]));

    let label = &lines[3];
    assert_eq!(label["input_name"], "label");
    assert_eq!(
        label["sha256_hash"],
        "spx".to_string().fingerprint().to_string()
    );
    assert_eq!(
        (&label["row_count"], &label["column_count"]),
        (&json!(0), &json!(0))
    );
    assert_eq!(label["dtype"], Value::Null);

    assert_eq!(lines[4]["hypothesis_id"], "inside");
    assert_eq!(
        lines[4]["run_id"], "mean_price#1",
        "body events carry the run"
    );

    let result = &lines[5];
    assert_eq!(result["run_id"], "mean_price#1");
    assert_eq!(result["status"], "ok");
    assert_eq!(result["error"], Value::Null);
    assert_eq!(result["output_hash"], 1.5_f64.fingerprint().to_string());
    assert!(result["duration_ms"].as_f64().unwrap() >= 0.0);

    assert_eq!(lines[6]["hypothesis_id"], "outside");
    assert!(lines[6].get("run_id").is_none(), "outside a run: no run_id");
}

// ---------------------------------------------------------------------------
// Every way out

#[provenance]
fn early_return(#[config] n: u32) -> u32 {
    if n > 1 {
        return n * 10;
    }
    body_event("not reached");
    n
}

#[provenance]
fn question_mark(text: &str) -> Result<u32, std::num::ParseIntError> {
    let n: u32 = text.parse()?;
    Ok(n + 1)
}

#[provenance]
fn plain_err() -> Result<(), String> {
    Err("the data was empty".to_string())
}

struct Opaque;

#[provenance]
fn opaque_err() -> Result<u8, Opaque> {
    Err(Opaque)
}

#[provenance]
fn panics(#[config] message: &str) -> u32 {
    body_event("before the panic");
    panic!("{message}")
}

#[provenance]
fn unit_return() {
    body_event("unit");
}

#[test]
#[ignore = "a child process of `every_way_out_writes_one_result`"]
fn child_exits() {
    if !is_child() {
        return;
    }
    assert_eq!(early_return(3), 30);
    assert_eq!(question_mark("41"), Ok(42));
    assert!(question_mark("x").is_err());
    assert!(plain_err().is_err());
    assert!(opaque_err().is_err());
    let caught = std::panic::catch_unwind(|| panics("the model diverged"));
    assert!(caught.is_err());
    assert!(
        current_run().is_none(),
        "unwinding restored the previous run"
    );
    unit_return();
}

#[test]
fn every_way_out_writes_one_result() {
    let Child { lines, .. } = run_child("exits", &[]);
    let results = of_type(&lines, "algorithm.result");
    let inits = of_type(&lines, "algorithm.init");
    assert_eq!(inits.len(), 7);
    assert_eq!(results.len(), 7, "one result per run");
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["run_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "early_return#1",
            "question_mark#1",
            "question_mark#2",
            "plain_err#1",
            "opaque_err#1",
            "panics#1",
            "unit_return#1",
        ]
    );
    let outcome = |i: usize| {
        (
            results[i]["status"].as_str().unwrap(),
            results[i]["error"].as_str(),
        )
    };

    assert_eq!(outcome(0), ("ok", None), "early return");
    assert!(
        run(&lines, "early_return#1")
            .iter()
            .all(|l| l["hypothesis_id"] != "not reached")
    );
    assert_eq!(outcome(1), ("ok", None), "`?` on the happy path");
    assert_eq!(
        outcome(2),
        ("error", Some("invalid digit found in string")),
        "`?` on an Err"
    );
    assert_eq!(outcome(3), ("error", Some("the data was empty")));
    let (status, error) = outcome(4);
    assert_eq!(status, "error");
    assert!(
        error.unwrap().contains("Opaque") && error.unwrap().contains("Display"),
        "{error:?}"
    );

    let (status, error) = outcome(5);
    assert_eq!(status, "panic");
    assert!(
        error.unwrap().starts_with("the model diverged at "),
        "{error:?}"
    );
    assert_eq!(
        types(
            &run(&lines, "panics#1")
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        ),
        ["algorithm.init", "hypothesis_result", "algorithm.result"],
        "the panicking run's lines, in order"
    );
    assert_eq!(outcome(6), ("ok", None), "a unit function");
    assert_eq!(inits[6]["config"], json!({}), "no #[config]: {{}}");
}

// ---------------------------------------------------------------------------
// Nesting, repeated calls, several configs

#[derive(Serialize)]
struct Model {
    depth: u32,
}

#[provenance(experiment = "nested")]
fn outer(#[config] model: Model, #[config] rate: f64) -> u32 {
    body_event("outer before");
    let a = inner(1);
    let b = inner(2);
    body_event("outer after");
    a + b + model.depth + rate as u32
}

#[provenance]
fn inner(#[fingerprint] step: u32) -> u32 {
    body_event("inner");
    assert!(current_run().unwrap().parent_id().is_some());
    step * 10
}

#[test]
#[ignore = "a child process of `nested_runs_name_their_parent`"]
fn child_nested() {
    if !is_child() {
        return;
    }
    assert_eq!(outer(Model { depth: 3 }, 0.5), 33);
    assert_eq!(outer(Model { depth: 0 }, 0.0), 30);
}

#[test]
fn nested_runs_name_their_parent() {
    let Child { lines, .. } = run_child("nested", &[]);
    let inits = of_type(&lines, "algorithm.init");
    let ids: Vec<(&str, Option<&str>)> = inits
        .iter()
        .map(|l| (l["run_id"].as_str().unwrap(), l["parent_run_id"].as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("outer#1", None),
            ("outer#1/inner#1", Some("outer#1")),
            ("outer#1/inner#2", Some("outer#1")),
            ("outer#2", None),
            ("outer#2/inner#1", Some("outer#2")),
            ("outer#2/inner#2", Some("outer#2")),
        ],
        "repeated calls get new ids; nested ones name their parent"
    );
    assert_eq!(
        inits[0]["config"],
        json!({"model": {"depth": 3}, "rate": 0.5})
    );
    assert_eq!(
        inits[1]["input_hash"],
        1_u32.fingerprint().to_string(),
        "one input: input_hash"
    );

    // The body's lines carry the innermost current run.
    let body: Vec<(&str, &str, Option<&str>)> = of_type(&lines, "hypothesis_result")
        .iter()
        .take(4)
        .map(|l| {
            (
                l["hypothesis_id"].as_str().unwrap(),
                l["run_id"].as_str().unwrap(),
                l["parent_run_id"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        body,
        [
            ("outer before", "outer#1", None),
            ("inner", "outer#1/inner#1", Some("outer#1")),
            ("inner", "outer#1/inner#2", Some("outer#1")),
            ("outer after", "outer#1", None),
        ]
    );
    let results = of_type(&lines, "algorithm.result");
    let ended: Vec<&str> = results
        .iter()
        .map(|l| l["run_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ended,
        [
            "outer#1/inner#1",
            "outer#1/inner#2",
            "outer#1",
            "outer#2/inner#1",
            "outer#2/inner#2",
            "outer#2",
        ]
    );
}

// ---------------------------------------------------------------------------
// Seeds

#[provenance(seed = 7)]
fn draws() -> Vec<u64> {
    let mut rng = ith_provenance::rng("bootstrap");
    let again = ith_provenance::seed("bootstrap");
    let run_id = current_run().unwrap().id().to_string();
    assert_eq!(again, derive_run_seed(7, &run_id, "bootstrap"));
    (0..4).map(|_| rng.next_u64()).collect()
}

#[provenance]
fn unseeded() -> u64 {
    ith_provenance::seed("noise")
}

#[test]
#[ignore = "a child process of `seeds_are_derived_recorded_and_reproducible`"]
fn child_seeds() {
    if !is_child() {
        return;
    }
    let first = draws();
    let second = draws();
    assert_ne!(second, first, "each call of the same seed, its own stream");
    let stream_of = |run_id: &str| {
        let mut expected = rng_from_seed(derive_run_seed(7, run_id, "bootstrap"));
        (0..4).map(|_| expected.next_u64()).collect::<Vec<_>>()
    };
    assert_eq!(first, stream_of("draws#1"));
    assert_eq!(second, stream_of("draws#2"));
    println!("draws={first:?} {second:?} unseeded={}", unseeded());
}

fn draws_printed(stdout: &str) -> &str {
    let start = stdout.find("draws=").unwrap();
    stdout[start..]
        .lines()
        .next()
        .unwrap()
        .split(" unseeded=")
        .next()
        .unwrap()
}

#[test]
fn seeds_are_derived_recorded_and_reproducible() {
    let a = run_child("seeds", &[]);
    let b = run_child("seeds", &[]);
    assert_eq!(
        draws_printed(&a.stdout),
        draws_printed(&b.stdout),
        "same seed across processes"
    );

    let derived = of_type(&a.lines, "seed.derived");
    assert_eq!(derived.len(), 3, "once per component and run: {derived:?}");
    assert_eq!(derived[0]["run_id"], "draws#1");
    assert_eq!(derived[0]["component"], "bootstrap");
    assert_eq!(
        derived[0]["seed"],
        json!(Seed(derive_run_seed(7, "draws#1", "bootstrap")))
    );
    assert_eq!(
        (&derived[0]["root_seed"], &derived[0]["root_seed_source"]),
        (&json!(Seed(7)), &json!("explicit"))
    );
    assert_eq!(derived[1]["run_id"], "draws#2");
    assert_eq!(
        derived[1]["seed"],
        json!(Seed(derive_run_seed(7, "draws#2", "bootstrap")))
    );
    assert_eq!(derived[2]["run_id"], "unseeded#1");

    // Without `seed`, the session's root seed (drawn from entropy).
    let session_root = &a.lines[0]["context"]["root_seed"];
    assert_eq!(session_root["source"], "entropy");
    assert_eq!(derived[2]["root_seed"], session_root["seed"]);
    assert_eq!(derived[2]["root_seed_source"], "entropy");
    let inits = of_type(&a.lines, "algorithm.init");
    assert_eq!(inits[2]["random_seed"], session_root["seed"]);

    // PROVENANCE_SEED comes before the session's seed, after `seed = …`.
    let c = run_child("seeds", &[("PROVENANCE_SEED", "99")]);
    let derived = of_type(&c.lines, "seed.derived");
    assert_eq!(
        (&derived[0]["root_seed"], &derived[0]["root_seed_source"]),
        (&json!(Seed(7)), &json!("explicit"))
    );
    assert_eq!(
        (&derived[2]["root_seed"], &derived[2]["root_seed_source"]),
        (&json!(Seed(99)), &json!("environment"))
    );
    let noise = derive_run_seed(99, "unseeded#1", "noise");
    assert_eq!(derived[2]["seed"], json!(Seed(noise)));
    assert!(c.stdout.contains(&format!("unseeded={noise}")));
}
