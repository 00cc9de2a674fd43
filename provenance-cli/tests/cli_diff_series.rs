//! `provenance diff --events` on metric series (issue 25): `metrics` lines
//! compared point by point per (run, series), whatever batches each log
//! cut the series into, naming the first step that differs.

mod support;

use provenance_test_support::provenance;
use serde_json::{Value, json};
use support::handmade::Session;

const SHA: &str = "aaaaaaa1111111111111111111111111111111111";

/// A session whose run `fit#1` records the series `loss` (3000 points,
/// `loss(step)`, one NaN) in batches of the sizes given, and `acc` when
/// `acc` is set.
fn log(id: &str, batches: &[usize], loss: impl Fn(i64) -> f64, acc: bool) -> String {
    let mut s = Session::new(id, Some("exp"), "2026-12-06T10:00:00.000000Z", SHA, false);
    s.init(
        "2026-12-06T10:00:01.000000Z",
        "fit#1",
        "fit",
        json!({"lr": 0.1}),
    );
    let mut start = 0i64;
    for &size in batches {
        let steps: Vec<i64> = (start..start + size as i64).collect();
        let values: Vec<f64> = steps.iter().map(|&i| loss(i)).collect();
        s.series("2026-12-06T10:00:01.500000Z", "loss", &steps, &values);
        start += size as i64;
    }
    if acc {
        s.series("2026-12-06T10:00:01.600000Z", "acc", &[0, 1], &[0.5, 0.6]);
    }
    s.result_with_series("2026-12-06T10:00:02.000000Z", json!({}), json!({}));
    s.text()
}

fn loss(step: i64) -> f64 {
    if step == 100 {
        f64::NAN
    } else {
        1.0 / (1.0 + step as f64)
    }
}

fn diff(a: &str, b: &str, extra: &[&str]) -> provenance_test_support::Outcome {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.ndjson"), a).unwrap();
    std::fs::write(dir.path().join("b.ndjson"), b).unwrap();
    let mut args = vec!["diff", "a.ndjson", "b.ndjson", "--events"];
    args.extend_from_slice(extra);
    provenance(dir.path(), &args)
}

#[test]
fn a_series_batched_differently_is_the_same() {
    let a = log("sess_a", &[1024, 1024, 952], loss, true);
    let b = log("sess_b", &[500, 2500], loss, true);
    let out = diff(&a, &b, &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("  metrics acc: same (2 point(s))"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("  metrics loss: same (3000 point(s))"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_first_differing_step_is_named_within_the_tolerances() {
    let a = log("sess_a", &[1024, 1024, 952], loss, false);
    let b = log(
        "sess_b",
        &[3000],
        |s| if s == 37 { loss(s) + 0.02 } else { loss(s) },
        false,
    );
    let out = diff(&a, &b, &[]);
    assert_eq!(out.code, 1, "{out:?}");
    let expected = format!(
        "  metrics loss in fit#1: first differs at step 37: {} → {} (3000 point(s))",
        loss(37),
        loss(37) + 0.02
    );
    assert!(out.stdout.contains(&expected), "{}", out.stdout);
    assert!(out.stdout.starts_with("differ: "), "{}", out.stdout);

    let out = diff(&a, &b, &["--atol", "0.05"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("  metrics loss: same (3000 point(s))"),
        "{}",
        out.stdout
    );

    let out = diff(&a, &b, &["--json"]);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let events = report["events"].as_array().unwrap();
    let loss_report = events.iter().find(|e| e["series"] == "loss").unwrap();
    assert_eq!(loss_report["event_type"], "metrics");
    assert_eq!(
        (loss_report["a"].clone(), loss_report["b"].clone()),
        (json!(3000), json!(3000))
    );
    assert_eq!(loss_report["same"], false);
    let d = &loss_report["first_difference"];
    assert_eq!(d["run"], "fit#1");
    assert_eq!(
        (d["step"].clone(), d["index"].clone()),
        (json!(37), json!(37))
    );
    assert_eq!(d["path"], "values");
    assert_eq!(
        (d["line_a"].clone(), d["line_b"].clone()),
        (json!(3), json!(3))
    );
}

#[test]
fn a_shorter_series_and_a_series_on_one_side_are_named() {
    let a = log("sess_a", &[1024, 1024, 952], loss, true);
    let b = log("sess_b", &[1024, 966], loss, false);
    let out = diff(&a, &b, &[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains(
            "  metrics loss in fit#1: only A has points from step 1990 on (3000 → 1990 point(s))"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("  metrics acc in fit#1: only in A (2 → 0 point(s))"),
        "{}",
        out.stdout
    );
    // Two series that differ are one event type that diverges.
    assert!(
        out.stdout.contains(", 1 event type(s) diverge between"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_different_step_is_named_by_its_point() {
    let a = log("sess_a", &[3000], loss, false);
    let mut s = Session::new(
        "sess_b",
        Some("exp"),
        "2026-12-06T10:00:00.000000Z",
        SHA,
        false,
    );
    s.init(
        "2026-12-06T10:00:01.000000Z",
        "fit#1",
        "fit",
        json!({"lr": 0.1}),
    );
    let steps: Vec<i64> = (0..3000).map(|i| if i >= 5 { i + 1 } else { i }).collect();
    let values: Vec<f64> = (0..3000).map(loss).collect();
    s.series("2026-12-06T10:00:01.500000Z", "loss", &steps, &values);
    s.result_with_series("2026-12-06T10:00:02.000000Z", json!({}), json!({}));
    let out = diff(&a, &s.text(), &[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains(
            "  metrics loss in fit#1: first differs at point #5: step 5 → 6 (3000 point(s))"
        ),
        "{}",
        out.stdout
    );
}

/// A session whose run `fit#1` records the series `w` from four workers
/// (`metric_at`, each its own block of 1500 steps, in two batches of at
/// most 1024), their batches written in the order given.
fn workers(id: &str, order: &[(usize, usize)], bump: Option<i64>) -> String {
    let mut s = Session::new(id, Some("exp"), "2026-12-06T10:00:00.000000Z", SHA, false);
    s.init(
        "2026-12-06T10:00:01.000000Z",
        "fit#1",
        "fit",
        json!({"lr": 0.1}),
    );
    for &(worker, batch) in order {
        let start = (worker * 1500 + batch * 1024) as i64;
        let end = (worker as i64 + 1) * 1500;
        let steps: Vec<i64> = (start..(start + 1024).min(end)).collect();
        let values: Vec<f64> = steps
            .iter()
            .map(|&i| i as f64 + if bump == Some(i) { 0.5 } else { 0.0 })
            .collect();
        s.series("2026-12-06T10:00:01.500000Z", "w", &steps, &values);
    }
    s.result_with_series("2026-12-06T10:00:02.000000Z", json!({}), json!({}));
    s.text()
}

#[test]
fn workers_batches_written_in_another_order_are_the_same_series() {
    let first = [
        (0, 0),
        (1, 0),
        (2, 0),
        (3, 0),
        (0, 1),
        (1, 1),
        (2, 1),
        (3, 1),
    ];
    let second = [
        (2, 0),
        (0, 0),
        (2, 1),
        (3, 0),
        (1, 0),
        (0, 1),
        (3, 1),
        (1, 1),
    ];
    let a = workers("sess_a", &first, None);
    let b = workers("sess_b", &second, None);
    let out = diff(&a, &b, &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("  metrics w: same (6000 point(s))"),
        "{}",
        out.stdout
    );

    // A real difference is still found, and named by its step.
    let b = workers("sess_b", &second, Some(4321));
    let out = diff(&a, &b, &[]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout
            .contains("  metrics w in fit#1: first differs at step 4321: 4321.0 → 4321.5"),
        "{}",
        out.stdout
    );
}
