//! `provenance export openlineage`: runs as OpenLineage RunEvents.
//!
//! The events are checked twice. Here, against what the logs say: run ids,
//! parents, event types, datasets. And by `tests/openlineage/validate.py`,
//! against OpenLineage itself: the spec's published JSON Schemas and the
//! `openlineage-python` client library (from `pip install -r
//! .ci/requirements.txt`). Without those packages the Python half says it
//! skipped, except under `PROVENANCE_READERS_REQUIRED=1` (CI), where it
//! fails. `--url` is driven against a small HTTP server on loopback.

mod support;

use std::collections::HashMap;
use std::path::Path;

use provenance_test_support::provenance;
use serde_json::{Value, json};
use support::handmade::Session;
use support::openlineage::{assert_valid, validate};
use support::{Workspace, session_id};

/// The events printed by `export openlineage args…`, run from `cwd`.
fn export(cwd: &Path, args: &[&str]) -> (Vec<Value>, String) {
    let mut all = vec!["export", "openlineage"];
    all.extend_from_slice(args);
    let out = provenance(cwd, &all);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let events = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (events, out.stderr)
}

fn facet<'e>(event: &'e Value, name: &str) -> &'e Value {
    &event["run"]["facets"][name]
}

/// The events of each run id, in order.
fn by_run(events: &[Value]) -> HashMap<String, Vec<&Value>> {
    let mut runs: HashMap<String, Vec<&Value>> = HashMap::new();
    for e in events {
        let id = e["run"]["runId"].as_str().unwrap().to_string();
        runs.entry(id).or_default().push(e);
    }
    runs
}

#[test]
fn real_runs_become_valid_openlineage_with_lineage_through_a_file() {
    let ws = Workspace::new();
    // Run 1 writes nav.csv; run 2 reads it: a dataset both events name.
    let first = ws.run_example("first", "7", &["--save-data", "nav.csv"]);
    let second = ws.run_example("second", "8", &["--data", "nav.csv", "--hurdle", "0.1"]);
    let logs = [first.to_str().unwrap(), second.to_str().unwrap()];
    let (events, stderr) = export(ws.path(), &logs);
    let (again, _) = export(ws.path(), &logs);
    assert_eq!(events, again, "exporting twice gives the same events");
    assert!(
        stderr.contains("for 4 run(s) from 2 log(s)"),
        "two runs a process (the experiment and bull_ith inside it): {stderr}"
    );

    // Each run: START, then COMPLETE, with one runId.
    let runs = by_run(&events);
    assert_eq!(runs.len(), 4);
    for (id, evs) in &runs {
        let types: Vec<&str> = evs
            .iter()
            .map(|e| e["eventType"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["START", "COMPLETE"], "run {id}");
        assert!(evs[0]["eventTime"].as_str() <= evs[1]["eventTime"].as_str());
    }
    // The nested run names its parent, which is the top-level run.
    let session = session_id(&first);
    for e in events
        .iter()
        .filter(|e| facet(e, "provenance")["session_id"] == session.as_str())
    {
        let ours = facet(e, "provenance");
        assert_eq!(e["job"]["namespace"], "ith-bull-demo", "experiment_id");
        assert_eq!(e["job"]["name"], ours["algorithm_name"]);
        let parent = &facet(e, "parent");
        match ours["parent_run_id"].as_str() {
            None => assert!(parent.is_null(), "a top-level run has no parent facet"),
            Some(p) => {
                let top = events
                    .iter()
                    .find(|t| {
                        facet(t, "provenance")["run_id"] == p
                            && facet(t, "provenance")["session_id"] == session.as_str()
                    })
                    .expect("the parent run is exported too");
                assert_eq!(parent["run"]["runId"], top["run"]["runId"]);
                assert_eq!(parent["job"]["name"], top["job"]["name"]);
                assert_eq!(parent["root"]["run"]["runId"], top["run"]["runId"]);
            }
        }
    }
    // The top-level run of process 1 outputs nav.csv, process 2's reads it:
    // the same dataset (namespace file, the absolute path), the same hash.
    let nav = std::fs::canonicalize(ws.path().join("nav.csv")).unwrap();
    let written: Vec<&Value> = events
        .iter()
        .flat_map(|e| e["outputs"].as_array().unwrap())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(written[0]["namespace"], "file");
    assert_eq!(written[0]["name"], nav.to_str().unwrap());
    let read = events
        .iter()
        .flat_map(|e| e["inputs"].as_array().unwrap())
        .find(|d| d["namespace"] == "file")
        .expect("run 2 reads nav.csv as a file");
    assert_eq!(read["name"], written[0]["name"]);
    assert_eq!(
        read["facets"]["version"]["datasetVersion"],
        written[0]["facets"]["version"]["datasetVersion"]
    );
    // Config, seeds and the commit travel in the facets.
    let start = events
        .iter()
        .find(|e| {
            e["eventType"] == "START"
                && facet(e, "provenance")["session_id"] == session.as_str()
                && facet(e, "parent").is_null()
        })
        .unwrap();
    let ctx = support::context(&first);
    assert_eq!(facet(start, "provenance")["git_sha"], ctx["git_sha"]);
    assert_eq!(
        facet(start, "provenance")["root_seed"],
        ctx["root_seed"]["seed"]
    );
    assert_eq!(facet(start, "provenance")["config"]["hurdle"], 0.05);
    assert_eq!(
        start["job"]["facets"]["sourceCodeLocation"]["version"],
        ctx["git_sha"]
    );

    if let Some(summary) = assert_valid(ws.path(), &events) {
        assert_eq!(summary["events"], 8);
        assert_eq!(summary["facets"]["ParentRunFacet"], 4);
        assert_eq!(
            summary["facets"]["ProvenanceFingerprintDatasetFacet"]
                .as_u64()
                .map(|n| n >= 2),
            Some(true)
        );
    }
}

/// Two sessions written by hand: one with a failed run, a panicked one,
/// a nested worker and an unfinished run; one without an experiment id.
fn handmade_logs(dir: &Path) -> std::path::PathBuf {
    let sha = "85d3b4ee9368fb736297f20f75f76b41958c233f";
    let hash = |c: char| format!("sha256:{}", c.to_string().repeat(64));
    let mut a = Session::new(
        "sess_a",
        Some("sweep"),
        "2026-12-01T10:00:00.000000Z",
        sha,
        true,
    );
    a.init(
        "2026-12-01T10:00:01.000000Z",
        "fit",
        "fit",
        json!({"lr": 0.1}),
    )
    .load(
        "2026-12-01T10:00:01.100000Z",
        "prices",
        "/data/prices.csv",
        &hash('a'),
        "/work",
    )
    .enter(None, Some("fit"))
    .init(
        "2026-12-01T10:00:01.200000Z",
        "fit/chunk@0#1",
        "chunk",
        json!({"k": 0}),
    )
    .result(
        "2026-12-01T10:00:01.300000Z",
        "ok",
        100.0,
        json!({}),
        json!([]),
    )
    .enter(Some("fit"), None)
    .save(
        "2026-12-01T10:00:01.400000Z",
        "/out/model.bin",
        &hash('b'),
        "/work",
    )
    .result(
        "2026-12-01T10:00:02.000000Z",
        "ok",
        1000.0,
        json!({"loss": 0.5}),
        json!([{"target_path": "/out/model.bin", "sha256_hash": hash('b')}]),
    )
    .init("2026-12-01T10:00:03.000000Z", "score", "score", json!({}))
    .line(
        "2026-12-01T10:00:03.500000Z",
        "algorithm.result",
        json!({"status": "error", "duration_ms": 500.0, "output_hash": null,
                   "error": "no such column: sharpe", "final_metrics": {}, "dropped_events": 0,
                   "outputs": []}),
    )
    .enter(None, None)
    .init("2026-12-01T10:00:04.000000Z", "boom", "boom", json!({}))
    .line(
        "2026-12-01T10:00:04.100000Z",
        "algorithm.result",
        json!({"status": "panic", "duration_ms": 100.0, "output_hash": null,
                   "error": "index out of bounds", "final_metrics": {}, "dropped_events": 0,
                   "outputs": []}),
    )
    .enter(None, None)
    .init(
        "2026-12-01T10:00:05.000000Z",
        "killed",
        "fit",
        json!({"lr": 0.2}),
    );
    let mut b = Session::new("sess_b", None, "2026-12-01T11:00:00.000000Z", sha, false);
    b.init("2026-12-01T11:00:01.000000Z", "main", "report", json!({}))
        .load(
            "2026-12-01T11:00:01.100000Z",
            "model",
            "s3://models/run-7/model.bin",
            &hash('b'),
            "/work",
        )
        .result(
            "2026-12-01T11:00:02.000000Z",
            "ok",
            1000.0,
            json!({}),
            json!([]),
        );
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(logs.join("a.ndjson"), a.text()).unwrap();
    std::fs::write(logs.join("b.ndjson"), b.text()).unwrap();
    logs
}

#[test]
fn failures_nesting_files_and_unfinished_runs_map_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    handmade_logs(dir.path());
    let (events, stderr) = export(dir.path(), &["logs"]);
    assert!(
        stderr.contains("exported 11 OpenLineage event(s) for 6 run(s) from 2 log(s); 1 run(s) have no algorithm.result"),
        "{stderr}"
    );
    let kinds: Vec<(String, &str)> = events
        .iter()
        .map(|e| {
            (
                facet(e, "provenance")["run_id"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                e["eventType"].as_str().unwrap(),
            )
        })
        .collect();
    let kind = |run: &str| -> Vec<&str> {
        kinds
            .iter()
            .filter(|(r, _)| r == run)
            .map(|(_, k)| *k)
            .collect()
    };
    assert_eq!(kind("fit"), ["START", "COMPLETE"]);
    assert_eq!(kind("fit/chunk@0#1"), ["START", "COMPLETE"]);
    assert_eq!(kind("score"), ["START", "FAIL"]);
    assert_eq!(kind("boom"), ["START", "FAIL"]);
    assert_eq!(kind("killed"), ["START"], "no result: START only");
    // Time order: the worker's START and COMPLETE fall inside its parent's.
    let order: Vec<&(String, &str)> = kinds.iter().take(4).collect();
    assert_eq!(
        order,
        [
            &("fit".to_string(), "START"),
            &("fit/chunk@0#1".to_string(), "START"),
            &("fit/chunk@0#1".to_string(), "COMPLETE"),
            &("fit".to_string(), "COMPLETE")
        ]
    );

    let end = |run: &str| {
        events
            .iter()
            .find(|e| facet(e, "provenance")["run_id"] == run && e["eventType"] != "START")
            .unwrap()
    };
    assert_eq!(
        facet(end("score"), "errorMessage")["message"],
        "no such column: sharpe"
    );
    assert_eq!(
        facet(end("score"), "errorMessage")["programmingLanguage"],
        "Rust"
    );
    assert_eq!(
        facet(end("boom"), "errorMessage")["message"],
        "panic: index out of bounds"
    );
    assert_eq!(
        facet(end("fit"), "provenance")["final_metrics"],
        json!({"loss": 0.5})
    );
    assert_eq!(facet(end("fit"), "provenance")["git_dirty"], true);
    assert_eq!(facet(end("fit"), "provenance")["status"], "ok");
    // The worker's parent facet points at fit's runId.
    let fit_id = &end("fit")["run"]["runId"];
    assert_eq!(
        facet(end("fit/chunk@0#1"), "parent")["run"]["runId"],
        *fit_id
    );
    assert_eq!(
        facet(end("fit/chunk@0#1"), "parent")["job"],
        json!({"namespace": "sweep", "name": "fit"})
    );
    // fit reads a local file and writes one; the report reads from S3.
    let fit = end("fit");
    assert_eq!(fit["inputs"][0]["namespace"], "file");
    assert_eq!(fit["inputs"][0]["name"], "/data/prices.csv");
    assert_eq!(
        fit["inputs"][0]["facets"]["provenance_fingerprint"]["sha256"],
        format!("sha256:{}", "a".repeat(64))
    );
    assert_eq!(
        fit["outputs"].as_array().unwrap().len(),
        1,
        "data.save and outputs name one file"
    );
    assert_eq!(fit["outputs"][0]["name"], "/out/model.bin");
    let report = end("main");
    assert_eq!(report["job"]["namespace"], "provenance", "no experiment_id");
    assert_eq!(report["inputs"][0]["namespace"], "s3://models");
    assert_eq!(report["inputs"][0]["name"], "run-7/model.bin");

    assert_valid(dir.path(), &events);
}

#[test]
fn the_validator_rejects_what_openlineage_rejects() {
    let dir = tempfile::tempdir().unwrap();
    handmade_logs(dir.path());
    let (events, _) = export(dir.path(), &["logs"]);
    let good = events[0].clone();
    let mut broken = Vec::new();
    let mut edit = |f: &dyn Fn(&mut Value)| {
        let mut e = good.clone();
        f(&mut e);
        broken.push(e);
    };
    edit(&|e| e["run"]["runId"] = json!("run-1"));
    edit(&|e| e["eventType"] = json!("DONE"));
    edit(&|e| e["eventTime"] = json!("yesterday"));
    edit(&|e| {
        e["run"]["facets"]["processing_engine"]
            .as_object_mut()
            .unwrap()
            .remove("version");
    });
    edit(&|e| e["job"]["facets"]["sourceCodeLocation"]["url"] = json!("not a uri"));
    edit(&|e| e["run"]["facets"]["provenance"]["random_seed"] = json!("0x12"));
    edit(&|e| e["run"]["facets"]["provenance"]["run_id"] = json!("another"));
    let file = dir.path().join("broken.ndjson");
    let text: String = broken.iter().map(|e| format!("{e}\n")).collect();
    std::fs::write(&file, text).unwrap();
    let Some((code, _, stderr)) = validate(&file) else {
        return;
    };
    assert_eq!(code, 1, "{stderr}");
    for line in 1..=broken.len() {
        assert!(
            stderr.contains(&format!("broken.ndjson:{line}: ")),
            "event {line} passed: {stderr}"
        );
    }
}

#[test]
fn logs_without_runs_exit_1_and_bad_options_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::new(
        "sess_c",
        Some("e"),
        "2026-12-01T10:00:00.000000Z",
        &"1".repeat(40),
        false,
    );
    std::fs::write(dir.path().join("c.ndjson"), s.text()).unwrap();
    let out = provenance(dir.path(), &["export", "openlineage", "c.ndjson"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .contains("exported 0 OpenLineage event(s) for 0 run(s)"),
        "{}",
        out.stderr
    );

    let out = provenance(
        dir.path(),
        &["export", "openlineage", "--url", "ftp://x/y", "c.ndjson"],
    );
    assert_eq!(out.code, 2);
    // With the `http` feature the URL is checked; without it the flag is
    // refused, naming the feature, before any log is read.
    let expected = if cfg!(feature = "http") {
        "bad --url \"ftp://x/y\""
    } else {
        "built without its HTTP client; install it with `cargo install ith-provenance-cli --features http`"
    };
    assert!(out.stderr.contains(expected), "{}", out.stderr);
    assert_eq!(out.stdout, "");
    let out = provenance(
        dir.path(),
        &["export", "openlineage", "--timeout", "0", "c.ndjson"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("bad --timeout 0"), "{}", out.stderr);
    let out = provenance(dir.path(), &["export", "openlineage", "missing.ndjson"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("missing.ndjson"), "{}", out.stderr);
}

/// `--url`, in a build with the `http` feature (`.ci/run` runs these with
/// it; without it, `--url` is refused, checked above).
#[cfg(feature = "http")]
mod url {
    use std::net::TcpListener;
    use std::process::Command;

    use serde_json::Value;
    use support::openlineage::server;

    use super::{export, handmade_logs, provenance, support};

    #[test]
    fn url_posts_every_event_retrying_a_server_error() {
        let dir = tempfile::tempdir().unwrap();
        handmade_logs(dir.path());
        let (printed, _) = export(dir.path(), &["logs"]);
        // The first attempt meets a 503, the retry a 201.
        let (url, got) = server(vec![503, 201]);
        let out = Command::new(provenance_test_support::provenance_binary())
            .args(["export", "openlineage", "--url", &url, "logs"])
            .current_dir(dir.path())
            .env("OPENLINEAGE_API_KEY", "k-123")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains(&format!(
                "exported 11 OpenLineage event(s) for 6 run(s) from 2 log(s) to {url}"
            )),
            "{stdout}"
        );
        let got = got.lock().unwrap().clone();
        assert_eq!(got.len(), printed.len() + 1, "one retry");
        assert_eq!(got[0].body, got[1].body, "the retry sends the same event");
        for r in &got {
            assert_eq!(r.line, "POST /api/v1/lineage HTTP/1.1");
            assert_eq!(r.headers["content-type"], "application/json");
            assert_eq!(r.headers["authorization"], "Bearer k-123");
        }
        let sent: Vec<Value> = got[1..]
            .iter()
            .map(|r| serde_json::from_str(&r.body).unwrap())
            .collect();
        assert_eq!(
            sent, printed,
            "the same events as printed, in the same order"
        );
    }

    #[test]
    fn url_names_the_endpoint_and_status_when_refused() {
        let dir = tempfile::tempdir().unwrap();
        handmade_logs(dir.path());
        // A 400 is not retried: the endpoint said no.
        let (url, got) = server(vec![201, 400]);
        let out = provenance(
            dir.path(),
            &["export", "openlineage", "--url", &url, "logs"],
        );
        assert_eq!(out.code, 2);
        assert!(
            out.stderr.contains(&format!("export openlineage: POST {url}: HTTP 400 Bad Request: {{\"error\":\"no such namespace\"}}")),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("1 event(s) sent before it"),
            "{}",
            out.stderr
        );
        assert_eq!(got.lock().unwrap().len(), 2);

        // Nothing listens: retried, then named.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}/api/v1/lineage");
        let out = provenance(
            dir.path(),
            &[
                "export",
                "openlineage",
                "--retries",
                "1",
                "--url",
                &url,
                "logs",
            ],
        );
        assert_eq!(out.code, 2);
        assert!(
            out.stderr.contains(&format!("POST {url}: ")),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("after 2 attempts"), "{}", out.stderr);
        assert!(
            out.stderr.contains("0 event(s) sent before it"),
            "{}",
            out.stderr
        );
    }
}
