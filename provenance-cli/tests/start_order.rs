//! Identical parallel siblings, as a user meets them: a rayon worker whose
//! distinguishing argument was not marked `#[config]` gets its run id, and
//! so its seed, from the order threads start it. Each run of the real built
//! experiment says so once on stderr, its log marks the runs, `summary`
//! lists them, and `diff` never calls two such logs plainly "same"
//! (`--strict-identity` makes it exit 1). Sequential calls and properly
//! marked parallel calls never do any of that.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use serde_json::Value;

mod support;

use provenance_test_support::experiment::{self, Experiment, Git};
use support::events as lines;

/// The stderr line's start, naming the function.
const WARNING: &str = "provenance: parallel calls of `unmarked_worker` have equal identities";

/// The experiment crate in a fresh repository, built once per test binary.
fn repo() -> &'static Experiment {
    static REPO: OnceLock<Experiment> = OnceLock::new();
    REPO.get_or_init(|| experiment::build(Git::Repository))
}

/// Runs the experiment in `mode` with `PROVENANCE_SEED=7` and four rayon
/// threads, its log written to `logs/<name>.ndjson` (outside the
/// repository, which stays clean); returns the log and the process output.
fn run(logs: &Path, name: &str, mode: &str, env: &[(&str, &str)]) -> (PathBuf, Output) {
    let log = logs.join(format!("{name}.ndjson"));
    let mut vars = vec![("RAYON_NUM_THREADS", "4")];
    vars.extend_from_slice(env);
    let out = repo().run_with(&[mode], Some(&log), &vars);
    (log, out)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs the CLI on `args` then `logs`: its exit status and stdout.
fn cli(args: &[&str], logs: &[&Path]) -> (i32, String) {
    let mut all: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    all.extend(logs.iter().map(|l| l.as_os_str()));
    let out = provenance_test_support::provenance(Path::new("."), &all);
    (out.code, out.stdout)
}

/// The run ids of `event_type` lines marked `identity_from_start_order`.
fn marked(lines: &[Value], event_type: &str) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l["event_type"] == event_type && l["identity_from_start_order"] == true)
        .map(|l| l["run_id"].as_str().unwrap().to_string())
        .collect()
}

/// The workers' group: `sweep_twins#1/unmarked_worker@<key>`.
fn twins_group(lines: &[Value]) -> String {
    let id = lines
        .iter()
        .find_map(|l| {
            l["run_id"]
                .as_str()
                .filter(|id| id.contains("unmarked_worker@"))
        })
        .expect("a worker run");
    id.rsplit_once('#').unwrap().0.to_string()
}

#[test]
fn six_same_seed_runs_of_unmarked_rayon_workers_warn_mark_and_are_named() {
    let logs = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    for i in 0..6 {
        let (log, out) = run(logs.path(), &format!("twins-{i}"), "twins", &[]);
        let warnings: Vec<String> = stderr(&out)
            .lines()
            .filter(|l| l.contains("parallel calls of"))
            .map(String::from)
            .collect();
        assert_eq!(warnings.len(), 1, "once per function: {warnings:?}");
        assert!(warnings[0].starts_with(WARNING), "{}", warnings[0]);
        assert!(
            warnings[0].contains("#[config] or #[fingerprint]")
                && warnings[0].contains("PROVENANCE_QUIET=1"),
            "names the fix and how to silence it: {}",
            warnings[0]
        );
        let lines = lines(&log);
        let results = marked(&lines, "algorithm.result");
        assert!(
            results.len() >= 2,
            "the two that met are marked: {results:?}"
        );
        // A run that knew at its start says so in its init, and again in
        // its result; the one already running learns it by its result.
        let inits = marked(&lines, "algorithm.init");
        assert!(!inits.is_empty(), "the later of the two knew at its start");
        assert!(
            inits.iter().all(|id| results.contains(id)),
            "{inits:?} ⊆ {results:?}"
        );
        assert!(results.iter().all(|id| id.contains("/unmarked_worker@")));
        let (code, _) = cli(&["validate"], &[&log]);
        assert_eq!(code, 0, "the marked lines follow the runtime's schemas");
        runs.push((log, lines));
    }

    let (log, lines) = &runs[0];
    let group = twins_group(lines);
    let (code, summary) = cli(&["summary"], &[log]);
    assert_eq!(code, 0);
    let listed: Vec<&str> = summary
        .lines()
        .filter(|l| l.starts_with("start order"))
        .collect();
    assert_eq!(listed.len(), 1, "{summary}");
    assert!(
        listed[0].starts_with(&format!(
            "start order 8 run(s) {group}#… (unmarked_worker, "
        )) && listed[0].contains("ids and seeds follow thread scheduling"),
        "{}",
        listed[0]
    );
    let (_, json) = cli(&["summary", "--json"], &[log]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let flagged = json["sessions"][0]["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["identity_from_start_order"] == true)
        .count();
    assert_eq!(flagged, marked(lines, "algorithm.result").len());

    // Same seed, same everything the log can compare: ids, and so seeds,
    // pair up whatever the order. The verdict names the runs anyway.
    let (a, b) = (&runs[0].0, &runs[1].0);
    let (code, text) = cli(&["diff"], &[a, b]);
    assert_eq!(code, 0, "{text}");
    let verdict = text.lines().next().unwrap();
    assert!(
        verdict.starts_with("same except start order: ")
            && verdict.contains("8 run(s) in A and 8 in B are numbered by start order")
            && verdict.contains("--strict-identity"),
        "{verdict}"
    );
    assert!(
        text.contains(&format!("  A: 8 run(s) {group}#… (unmarked_worker")),
        "{text}"
    );
    assert!(
        text.contains(&format!("  B: 8 run(s) {group}#… (unmarked_worker")),
        "{text}"
    );

    let (code, text) = cli(&["diff", "--strict-identity"], &[a, b]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.starts_with(
            "differ: 0 difference(s), 8 run(s) in A and 8 in B numbered by start order \
             (--strict-identity) between "
        ),
        "{text}"
    );

    for (strict, same) in [(false, true), (true, false)] {
        let mut args = vec!["diff", "--json"];
        if strict {
            args.push("--strict-identity");
        }
        let (_, json) = cli(&args, &[a, b]);
        let json: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["same"], same, "strict {strict}");
        assert_eq!(json["strict_identity"], strict);
        for side in ["a", "b"] {
            let groups = json["start_order"][side].as_array().unwrap();
            assert_eq!(groups.len(), 1, "{json}");
            assert_eq!(groups[0]["group"], group.as_str());
            assert_eq!(groups[0]["algorithm"], "unmarked_worker");
            assert_eq!(groups[0]["runs"], 8);
            assert!(groups[0]["seen_racing"].as_u64().unwrap() >= 2);
        }
    }
}

#[test]
fn quiet_silences_the_warning_but_not_the_record() {
    let logs = tempfile::tempdir().unwrap();
    let (log, out) = run(logs.path(), "quiet", "twins", &[("PROVENANCE_QUIET", "1")]);
    assert!(
        !stderr(&out).contains("parallel calls of"),
        "{}",
        stderr(&out)
    );
    assert!(marked(&lines(&log), "algorithm.result").len() >= 2);
}

#[test]
fn sequential_and_marked_parallel_calls_never_warn_nor_are_marked() {
    let logs = tempfile::tempdir().unwrap();
    for mode in ["loop", "threads", "rayon"] {
        let (a, out) = run(logs.path(), &format!("{mode}-a"), mode, &[]);
        assert!(
            !stderr(&out).contains("parallel calls of"),
            "{mode}: {}",
            stderr(&out)
        );
        let (b, _) = run(logs.path(), &format!("{mode}-b"), mode, &[]);
        for log in [&a, &b] {
            let lines = lines(log);
            assert!(
                lines
                    .iter()
                    .all(|l| l.get("identity_from_start_order").is_none()),
                "{mode}"
            );
        }
        let (_, summary) = cli(&["summary"], &[&a]);
        assert!(!summary.contains("start order"), "{mode}: {summary}");
        let (code, text) = cli(&["diff", "--strict-identity"], &[&a, &b]);
        assert_eq!(code, 0, "{mode}: {text}");
        assert!(text.starts_with("same: "), "{mode}: {text}");
        assert!(!text.contains("start order"), "{mode}: {text}");
    }
}
