//! `validate` on `metrics` lines: the main example's series pass, and
//! hand-broken batches get a finding naming the line and the point.

mod support;

use provenance_test_support::provenance;
use support::{Workspace, edit_lines, events};

#[test]
fn validate_names_each_broken_point_of_a_metrics_line() {
    let ws = Workspace::new();
    let log = ws.run_example("a", "7", &[]);
    let lines = events(&log);
    let batches: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l["event_type"] == "metrics")
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(
        batches.len(),
        2,
        "the example's nav series: 1,024 + 976 points"
    );
    let out = provenance(ws.path(), &["validate".as_ref(), log.as_os_str()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);

    let mut n = 0;
    let broken = edit_lines(&ws, &log, "broken.ndjson", |line| {
        if !line.contains(r#""event_type":"metrics""#) {
            return line.to_string();
        }
        n += 1;
        if n == 1 {
            line.replacen(r#""steps":[0,"#, r#""steps":[0.5,"#, 1)
        } else {
            line.replacen(r#""name":"nav""#, r#""name":"""#, 1)
                .replacen(r#""values":["#, r#""values":[null,"x","#, 1)
        }
    });
    let out = provenance(ws.path(), &["validate".as_ref(), broken.as_os_str()]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let (first, second) = (batches[0], batches[1]);
    for expected in [
        format!("broken.ndjson:{first}: metrics: `steps[0]` is 0.5: not an integer"),
        format!("broken.ndjson:{second}: metrics: `name` is empty"),
        format!(
            "broken.ndjson:{second}: metrics: `values[0]` is null but `non_finite` does not name /values/0"
        ),
        format!("broken.ndjson:{second}: metrics: `values[1]` is not a number (found string)"),
        format!("broken.ndjson:{second}: metrics: 976 step(s) but 978 value(s)"),
    ] {
        assert!(
            out.stdout.contains(&expected),
            "no {expected:?} in:\n{}",
            out.stdout
        );
    }
}

/// A run that panicked mid-series, as the runtime writes it: the series'
/// batches, then the `panic` result summarizing them. `validate` passes it
/// and `summary` says the run panicked.
#[test]
fn a_run_that_panicked_mid_series_validates_and_reads_as_panicked() {
    use ith_provenance_runtime::{Event, EventSchemaLine, Metrics};
    use serde_json::json;
    use support::handmade::Session;

    let ws = Workspace::new();
    let mut s = Session::new(
        "sess_panicked",
        Some("exp"),
        "2026-12-01T10:00:00.000000Z",
        &"5".repeat(40),
        false,
    );
    s.init(
        "2026-12-01T10:00:01.000000Z",
        "fit#1",
        "fit",
        json!({"k": 1}),
    );
    let schema = EventSchemaLine::of::<Metrics<'_>>();
    s.line(
        "2026-12-01T10:00:01.500000Z",
        "event.schema",
        serde_json::to_value(&schema).unwrap(),
    );
    s.line(
        "2026-12-01T10:00:01.500000Z",
        Metrics::EVENT_TYPE,
        json!({"name": "loss", "steps": [-1, 0, 1], "values": [2.0, null, 0.5],
               "non_finite": [{"pointer": "/values/1", "value": "Infinity"}]}),
    );
    s.line(
        "2026-12-01T10:00:01.900000Z",
        Metrics::EVENT_TYPE,
        json!({"name": "loss", "steps": [2], "values": [0.25]}),
    );
    s.line(
        "2026-12-01T10:00:02.000000Z",
        "algorithm.result",
        json!({"status": "panic", "duration_ms": 1000.0, "output_hash": null,
               "final_metrics": {}, "error": "the loss diverged at src/fit.rs:9",
               "dropped_events": 0, "outputs": [],
               "metrics": {"loss": {"last": 0.25, "min": 0.25, "max": null, "count": 4}},
               "non_finite": [{"pointer": "/metrics/loss/max", "value": "Infinity"}]}),
    );
    let log = ws.write("panicked.ndjson", &s.text());
    let out = provenance(ws.path(), &["validate".as_ref(), log.as_os_str()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let out = provenance(ws.path(), &["summary".as_ref(), log.as_os_str()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for expected in ["run        fit#1 fit 1.0.0: panic in", "metrics 2"] {
        assert!(
            out.stdout.contains(expected),
            "no {expected:?} in:\n{}",
            out.stdout
        );
    }
}
