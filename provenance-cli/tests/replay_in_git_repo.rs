//! The replay promise, as a user meets it: a small experiment crate of their
//! own in a fresh git repository (with no `.gitignore` of ours), run again
//! and again with the same seed, its logs written into the repository.
//! Every run records a clean tree, and `provenance diff` says "same" for
//! every pair — also when the work is spread over threads or rayon — and
//! names exactly the worker whose input changed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use serde_json::Value;

use provenance_test_support::experiment::{self, Experiment, Git};
use provenance_test_support::{git, provenance_binary};

/// One test at a time drives the repository: a log another test is just
/// creating holds no line yet for a moment, and is then, rightly, an
/// untracked change.
fn exclusive() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The experiment crate in a fresh repository, built once per test binary.
fn repo() -> &'static Experiment {
    static REPO: OnceLock<Experiment> = OnceLock::new();
    REPO.get_or_init(|| experiment::build(Git::Repository))
}

/// Runs the experiment from the repository's root with `PROVENANCE_SEED=7`
/// and `PROVENANCE_LOG=log` (the default location when `None`).
fn run(log: Option<&str>, args: &[&str]) -> (PathBuf, Vec<f64>) {
    let repo = repo();
    let mut command = Command::new(&repo.binary);
    command
        .args(args)
        .current_dir(repo.dir.path())
        .env("PROVENANCE_SEED", "7")
        .env_remove("PROVENANCE_LOG");
    if let Some(log) = log {
        command.env("PROVENANCE_LOG", log);
    }
    let default_logs = repo.dir.path().join("logs/provenance");
    let before = list(&default_logs);
    let out = command.output().expect("the experiment runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let values = serde_json::from_slice(&out.stdout).expect("it prints its values");
    let path = match log {
        Some(log) => repo.dir.path().join(log),
        None => {
            let mut new: Vec<PathBuf> = list(&default_logs)
                .into_iter()
                .filter(|p| !before.contains(p))
                .collect();
            assert_eq!(new.len(), 1, "one new log in logs/provenance/");
            new.pop().unwrap()
        }
    };
    (path, values)
}

/// The logs in `dir` (its `.gitignore` aside).
fn list(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "ndjson"))
                .collect()
        })
        .unwrap_or_default()
}

fn lines(log: &Path) -> Vec<Value> {
    std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn git_state(log: &Path) -> Value {
    lines(log)[0]["context"]["git"].clone()
}

fn diff(a: &Path, b: &Path) -> Output {
    Command::new(provenance_binary())
        .arg("diff")
        .arg(a)
        .arg(b)
        .output()
        .unwrap()
}

fn assert_same(a: &Path, b: &Path) {
    let out = diff(a, b);
    assert_eq!(
        out.status.code(),
        Some(0),
        "diff {} {}:\n{}{}",
        a.display(),
        b.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn logs_in_the_repository_never_make_it_dirty_and_reruns_diff_the_same() {
    let _one = exclusive();
    let root = repo().dir.path();
    let (first, _) = run(None, &["threads"]);
    assert!(first.starts_with(root.join("logs/provenance")));
    let ignore = std::fs::read_to_string(root.join("logs/provenance/.gitignore"))
        .expect("the default log folder gets a .gitignore");
    assert!(ignore.lines().any(|l| l.trim() == "*"), "{ignore}");
    let (second, _) = run(Some("run-2.ndjson"), &["threads"]);
    let (third, _) = run(Some("run-3.ndjson"), &["threads"]);

    // git itself sees the two root-level logs as untracked files...
    let status = git(root, &["status", "--porcelain"]);
    assert!(
        status.contains("run-2.ndjson") && status.contains("run-3.ndjson"),
        "{status}"
    );
    // ...yet no run recorded a dirty tree: its own logs are not changes.
    let head = git(root, &["rev-parse", "HEAD"]);
    for log in [&first, &second, &third] {
        let state = git_state(log);
        assert_eq!(state["dirty"], false, "{}: {state}", log.display());
        assert_eq!(state["sha"], head.trim(), "{}: {state}", log.display());
    }
    for (a, b) in [(&first, &second), (&first, &third), (&second, &third)] {
        assert_same(a, b);
    }
}

#[test]
fn a_loop_of_five_calls_draws_five_values_and_replays_them() {
    let _one = exclusive();
    let (log_a, a) = run(Some("loop-a.ndjson"), &["loop"]);
    let (log_b, b) = run(Some("loop-b.ndjson"), &["loop"]);
    assert_eq!(a.len(), 5);
    for (i, x) in a.iter().enumerate() {
        assert!(a[i + 1..].iter().all(|y| y != x), "a repeated value: {a:?}");
    }
    assert_eq!(a, b, "the same seed gives the same 5 in the same order");
    assert_same(&log_a, &log_b);
}

/// The worker runs of a sweep log: (run id, parent, config) each.
fn workers(log: &Path) -> Vec<(String, String, Value)> {
    let mut out: Vec<_> = lines(log)
        .into_iter()
        .filter(|l| l["event_type"] == "algorithm.init" && l["algorithm_name"] == "worker")
        .map(|l| {
            (
                l["run_id"].as_str().unwrap().to_string(),
                l["parent_run_id"].as_str().unwrap_or("").to_string(),
                l["config"].clone(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn parallel_reruns_diff_the_same(mode: &str) {
    let _one = exclusive();
    let sweep = format!("sweep_{mode}#1");
    let (base, values) = run(Some(&format!("sweeps-{mode}-base.ndjson")), &[mode]);
    let base_workers = workers(&base);
    assert_eq!(base_workers.len(), 4);
    for (id, parent, _) in &base_workers {
        assert_eq!(parent, &sweep, "{id} is a child of the spawning run");
    }
    for i in 0..20 {
        let (again, again_values) = run(Some(&format!("sweeps-{mode}-{i}.ndjson")), &[mode]);
        assert_eq!(again_values, values, "rerun {i}");
        assert_same(&base, &again);
        if i == 0 {
            // Event by event too, though the workers' lines interleave
            // differently in each log.
            let events = Command::new(provenance_binary())
                .args(["diff", "--events"])
                .arg(&base)
                .arg(&again)
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&events.stdout);
            assert_eq!(events.status.code(), Some(0), "{text}");
            assert!(text.contains("seed.derived: same"), "{text}");
        }
    }

    // One chunk's prices change: diff names that worker's run and input.
    let (bumped, _) = run(
        Some(&format!("sweeps-{mode}-bump.ndjson")),
        &[mode, "--bump-chunk", "2"],
    );
    let out = diff(&base, &bumped);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let (worker_2, _, _) = base_workers
        .iter()
        .find(|(_, _, config)| config == &Value::from(2))
        .expect("the worker of chunk 2");
    assert!(
        text.contains(&format!("{worker_2} worker input.prices changed")),
        "diff names the worker and its input:\n{text}"
    );
    let json = Command::new(provenance_binary())
        .args(["diff", "--json"])
        .arg(&base)
        .arg(&bumped)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    let differences = report["differences"].as_array().unwrap();
    assert!(!differences.is_empty());
    for d in differences {
        assert_eq!(
            d["run"],
            worker_2.as_str(),
            "only chunk 2's worker differs: {d}"
        );
    }
}

#[test]
fn thread_workers_rerun_the_same_and_a_changed_chunk_is_named() {
    parallel_reruns_diff_the_same("threads");
}

#[test]
fn rayon_workers_rerun_the_same_and_a_changed_chunk_is_named() {
    parallel_reruns_diff_the_same("rayon");
}
