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
