//! `provenance runs` on metric series (issue 25): the columns read from
//! `algorithm.result`'s `metrics` summaries, and `--group-by` folding a
//! seed sweep into one row per configuration, checked against DuckDB's
//! `GROUP BY` over the same logs (`tests/runs_group_by/duckdb_group_by.py`).
//! DuckDB comes from `pip install -r .ci/requirements.txt`; without it the
//! cross-check says it skipped, except under `PROVENANCE_READERS_REQUIRED=1`
//! (CI), where a missing DuckDB fails it.

mod support;

use provenance_test_support::provenance;
use provenance_test_support::readers::{ReaderReport, readers_required, run_reader};
use serde_json::{Value, json};
use support::handmade::Session;

const SHA: &str = "aaaaaaa1111111111111111111111111111111111";

/// One session with three runs: `fit#1` (series `loss`, `acc`; a final
/// metric `acc` too), `fit#2` (series `loss` whose last point is NaN), and
/// `fit#3` without series.
fn three_runs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::new(
        "sess_1",
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
    s.series(
        "2026-12-06T10:00:01.100000Z",
        "loss",
        &[0, 1, 2],
        &[0.93, 0.5, 0.41],
    );
    s.series("2026-12-06T10:00:01.200000Z", "acc", &[0, 1], &[0.5, 0.7]);
    s.result_with_series(
        "2026-12-06T10:00:02.000000Z",
        json!({"acc": 0.75}),
        json!({"loss": {"last": 0.41, "min": 0.41, "max": 0.93, "count": 3},
               "acc": {"last": 0.7, "min": 0.5, "max": 0.7, "count": 2}}),
    );
    s.init(
        "2026-12-06T10:00:03.000000Z",
        "fit#2",
        "fit",
        json!({"lr": 0.2}),
    );
    s.series(
        "2026-12-06T10:00:03.100000Z",
        "loss",
        &[0, 1],
        &[0.8, f64::NAN],
    );
    s.result_with_series(
        "2026-12-06T10:00:04.000000Z",
        json!({}),
        json!({"loss": {"last": null, "min": 0.8, "max": 0.8, "count": 2}}),
    );
    // The NaN `last`, as the writer marks it.
    let last = s.text();
    let mut text = last.trim_end().to_string();
    text.pop();
    text.push_str(r#","non_finite":[{"pointer":"/metrics/loss/last","value":"NaN"}]}"#);
    let mut s3 = Session::new(
        "sess_2",
        Some("exp"),
        "2026-12-06T11:00:00.000000Z",
        SHA,
        false,
    );
    s3.init(
        "2026-12-06T11:00:01.000000Z",
        "fit#1",
        "fit",
        json!({"lr": 0.3}),
    );
    s3.result(
        "2026-12-06T11:00:02.000000Z",
        "ok",
        5.0,
        json!({"loss": 0.3}),
        json!([]),
    );
    std::fs::write(dir.path().join("a.ndjson"), format!("{text}\n")).unwrap();
    std::fs::write(dir.path().join("b.ndjson"), s3.text()).unwrap();
    dir
}

fn json_rows(dir: &std::path::Path, args: &[&str]) -> Vec<Value> {
    let out = provenance(dir, args);
    assert_eq!(out.code, 0, "{out:?}");
    serde_json::from_str::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn series_summaries_are_columns_and_final_metrics_keep_their_name() {
    let dir = three_runs();
    let rows = json_rows(dir.path(), &["runs", "a.ndjson", "b.ndjson", "--json"]);
    assert_eq!(rows.len(), 3);
    let fit1 = &rows[0];
    assert_eq!(fit1["metric.loss"], json!(0.41), "the series' last");
    assert_eq!(fit1["metric.loss.min"], json!(0.41));
    assert_eq!(fit1["metric.loss.max"], json!(0.93));
    assert_eq!(fit1["metric.loss.count"], json!(3));
    assert_eq!(
        fit1["metric.acc"],
        json!(0.75),
        "final_metrics keeps metric.acc"
    );
    assert_eq!(fit1["metric.acc.max"], json!(0.7), "the series' stats stay");
    assert_eq!(
        rows[1]["metric.loss"],
        json!("NaN"),
        "a NaN last is restored"
    );
    assert_eq!(rows[1]["metric.loss.count"], json!(2));
    assert_eq!(rows[2]["metric.loss"], json!(0.3), "a final metric alone");
    assert_eq!(rows[2]["metric.loss.count"], Value::Null);

    let rows = json_rows(
        dir.path(),
        &[
            "runs",
            "a.ndjson",
            "b.ndjson",
            "--json",
            "--where",
            "metric.loss.count>=2",
            "--sort",
            "-metric.loss.max",
        ],
    );
    let runs: Vec<_> = rows.iter().map(|r| r["config.lr"].clone()).collect();
    assert_eq!(runs, [json!(0.1), json!(0.2)]);

    let csv = provenance(dir.path(), &["runs", "a.ndjson", "--csv"]);
    let header = csv.stdout.lines().next().unwrap();
    assert!(
        header.ends_with(
            "config.lr,metric.acc,metric.acc.count,metric.acc.max,metric.acc.min,metric.loss,\
             metric.loss.count,metric.loss.max,metric.loss.min"
        ),
        "{header}"
    );
    let text = provenance(dir.path(), &["runs", "a.ndjson"]);
    assert!(text.stdout.contains("metric.loss.count"), "{text:?}");
}

/// Two of a run's values that would be one column (a series named
/// `loss.min` beside the series `loss`; a dotted configuration key beside
/// a nested one) are shown once, with a warning naming both; a final
/// metric named as a series is the documented case and draws none.
#[test]
fn two_values_of_one_column_are_named_in_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::new(
        "sess_1",
        Some("exp"),
        "2026-12-06T10:00:00.000000Z",
        SHA,
        false,
    );
    s.init(
        "2026-12-06T10:00:01.000000Z",
        "fit#1",
        "fit",
        json!({"opt.lr": 0.1, "opt": {"lr": 0.2}}),
    );
    s.series("2026-12-06T10:00:01.100000Z", "loss", &[0, 1], &[0.9, 0.4]);
    s.series("2026-12-06T10:00:01.200000Z", "loss.min", &[0], &[999.0]);
    s.result_with_series(
        "2026-12-06T10:00:02.000000Z",
        json!({"loss": 0.4}),
        json!({"loss": {"last": 0.4, "min": 0.4, "max": 0.9, "count": 2},
               "loss.min": {"last": 999.0, "min": 999.0, "max": 999.0, "count": 1}}),
    );
    std::fs::write(dir.path().join("a.ndjson"), s.text()).unwrap();
    let out = provenance(dir.path(), &["runs", "a.ndjson", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let rows: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        rows[0]["metric.loss.min"],
        json!(0.4),
        "the first in name order"
    );
    assert_eq!(rows[0]["metric.loss.min.count"], json!(1));
    assert_eq!(
        out.stderr,
        "provenance: warning: column config.opt.lr: run fit#1 has two values for it, \
         configuration key \"opt.lr\" written both as one dotted key and nested; it shows \
         the first (rename one to see both)\n\
         provenance: warning: column metric.loss.min: run fit#1 has two values for it, series \
         \"loss\"'s min and series \"loss.min\"'s last; it shows the first (rename one to see \
         both)\n"
    );

    let dir = three_runs();
    let out = provenance(dir.path(), &["runs", "a.ndjson", "b.ndjson"]);
    assert_eq!(
        out.stderr, "",
        "a final metric named as a series: documented"
    );
}

/// `1` and `1.0` are one value (the configuration hash and `diff` agree):
/// one group, shown as the first run wrote it.
#[test]
fn equal_numbers_written_differently_are_one_group() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::new(
        "sess_1",
        Some("exp"),
        "2026-12-06T10:00:00.000000Z",
        SHA,
        false,
    );
    for (i, num) in [json!(1), json!(1.0), json!(2)].into_iter().enumerate() {
        s.init(
            &format!("2026-12-06T10:00:0{}.000000Z", 2 * i + 1),
            &format!("fit#{}", i + 1),
            "fit",
            json!({ "num": num }),
        );
        s.result(
            &format!("2026-12-06T10:00:0{}.000000Z", 2 * i + 2),
            "ok",
            1.0,
            json!({"score": i}),
            json!([]),
        );
    }
    std::fs::write(dir.path().join("a.ndjson"), s.text()).unwrap();
    let rows = json_rows(
        dir.path(),
        &["runs", "a.ndjson", "--group-by", "config.num", "--json"],
    );
    let groups: Vec<(Value, Value)> = rows
        .iter()
        .map(|r| (r["config.num"].clone(), r["n"].clone()))
        .collect();
    assert_eq!(groups, [(json!(1), json!(2)), (json!(2), json!(1))]);
}

/// A sweep: `lr` × `window` (3 configurations, one of them with one seed
/// only), each run with its own `seed` in its configuration, a final
/// `sharpe` and a series `loss`. One log per configuration and seed.
fn sweep() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("logs")).unwrap();
    let configs = [(0.01, 20, 4), (0.01, 60, 4), (0.1, 20, 1), (0.1, 60, 3)];
    let mut n = 0;
    for (lr, window, seeds) in configs {
        for seed in 0..seeds {
            n += 1;
            let x = f64::from(n);
            let sharpe = lr * 10.0 + f64::from(window) / 100.0 + (x * 1.7).sin() / 3.0;
            let last = 1.0 / (1.0 + x) + lr;
            let id = format!("sess_{n:02}");
            let mut s = Session::new(
                &id,
                Some("sweep"),
                "2026-12-06T10:00:00.000000Z",
                SHA,
                false,
            );
            s.init(
                "2026-12-06T10:00:01.000000Z",
                "fit#1",
                "fit",
                json!({"lr": lr, "window": window, "seed": seed}),
            );
            s.series(
                "2026-12-06T10:00:01.500000Z",
                "loss",
                &[0, 1],
                &[2.0 * last, last],
            );
            s.result_with_series(
                "2026-12-06T10:00:02.000000Z",
                json!({"sharpe": sharpe}),
                json!({"loss": {"last": last, "min": last, "max": 2.0 * last, "count": 2}}),
            );
            std::fs::write(dir.path().join(format!("logs/{id}.ndjson")), s.text()).unwrap();
        }
    }
    dir
}

#[test]
fn group_by_folds_the_seeds_of_each_configuration() {
    let dir = sweep();
    let rows = json_rows(
        dir.path(),
        &[
            "runs",
            "logs",
            "--group-by",
            "config.lr,config.window",
            "--json",
            "--sort",
            "-metric.sharpe.mean",
        ],
    );
    assert_eq!(rows.len(), 4, "{rows:?}");
    // The runs' own column, grouped: the error names its groups' columns.
    let out = provenance(
        dir.path(),
        &[
            "runs",
            "logs",
            "--group-by",
            "config.lr",
            "--sort",
            "-metric.sharpe",
        ],
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.stderr,
        "provenance: --sort -metric.sharpe: the runs are grouped (--group-by), and metric.sharpe \
         is folded into metric.sharpe.mean, metric.sharpe.std, metric.sharpe.min, \
         metric.sharpe.max; sort by one of them, e.g. --sort -metric.sharpe.mean\n"
    );
    let csv = provenance(
        dir.path(),
        &[
            "runs",
            "logs",
            "--group-by",
            "config.lr,config.window",
            "--csv",
        ],
    );
    let header: Vec<&str> = csv.stdout.lines().next().unwrap().split(',').collect();
    assert_eq!(
        header,
        [
            "config.lr",
            "config.window",
            "n",
            "metric.loss.mean",
            "metric.loss.std",
            "metric.loss.min",
            "metric.loss.max",
            "metric.loss.count.mean",
            "metric.loss.count.std",
            "metric.loss.count.min",
            "metric.loss.count.max",
            "metric.loss.max.mean",
            "metric.loss.max.std",
            "metric.loss.max.min",
            "metric.loss.max.max",
            "metric.loss.min.mean",
            "metric.loss.min.std",
            "metric.loss.min.min",
            "metric.loss.min.max",
            "metric.sharpe.mean",
            "metric.sharpe.std",
            "metric.sharpe.min",
            "metric.sharpe.max",
        ]
    );
    let means: Vec<f64> = rows
        .iter()
        .map(|r| r["metric.sharpe.mean"].as_f64().unwrap())
        .collect();
    assert!(means.windows(2).all(|w| w[0] >= w[1]), "sorted: {means:?}");
    let single = rows.iter().find(|r| r["n"] == json!(1)).unwrap();
    assert_eq!(
        single["metric.sharpe.std"],
        Value::Null,
        "n = 1 has no sample std"
    );
    assert_eq!(single["metric.sharpe.min"], single["metric.sharpe.max"]);

    // --where filters runs before grouping.
    let rows = json_rows(
        dir.path(),
        &[
            "runs",
            "logs",
            "--group-by",
            "config.window",
            "--where",
            "config.lr=0.01",
            "--json",
        ],
    );
    let n: Vec<_> = rows
        .iter()
        .map(|r| (r["config.window"].clone(), r["n"].clone()))
        .collect();
    assert_eq!(n, [(json!(20), json!(4)), (json!(60), json!(4))]);

    let text = provenance(dir.path(), &["runs", "logs", "--group-by", "config.lr"]);
    assert_eq!(text.code, 0, "{text:?}");
    assert!(
        text.stdout.starts_with("config.lr  n  metric.loss.mean"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_configuration_of_one_value_groups_by_config_itself() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("logs")).unwrap();
    for (n, hurdle, epochs) in [(1, 0.05, 2.0), (2, 0.05, 4.0), (3, 0.07, 1.0)] {
        let id = format!("sess_{n:02}");
        let mut s = Session::new(&id, None, "2026-12-06T10:00:00.000000Z", SHA, false);
        s.init(
            "2026-12-06T10:00:01.000000Z",
            "bull_ith#1",
            "bull_ith",
            json!(hurdle),
        );
        s.result_with_series(
            "2026-12-06T10:00:02.000000Z",
            json!({"epochs": epochs}),
            json!({}),
        );
        std::fs::write(dir.path().join(format!("logs/{id}.ndjson")), s.text()).unwrap();
    }
    let rows = json_rows(
        dir.path(),
        &["runs", "logs", "--group-by", "config", "--json"],
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["config"], json!(0.05), "{rows:?}");
    assert_eq!(rows[0]["n"], json!(2), "{rows:?}");
    assert_eq!(rows[0]["metric.epochs.mean"], json!(3.0), "{rows:?}");
    assert_eq!(rows[1]["config"], json!(0.07), "{rows:?}");
    assert_eq!(rows[1]["n"], json!(1), "{rows:?}");
}

#[test]
fn bad_group_by_keys_are_named_with_the_nearest_column() {
    let dir = sweep();
    let out = provenance(
        dir.path(),
        &["runs", "logs", "--group-by", "config.lr,config.windw"],
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.starts_with(
            "provenance: no run read has a column \"config.windw\" (--group-by \
             config.lr,config.windw); nearest: config.window"
        ),
        "{out:?}"
    );
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
    let out = provenance(dir.path(), &["runs", "logs", "--group-by", "metric.sharpe"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("bad --group-by \"metric.sharpe\""),
        "{out:?}"
    );
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
    let out = provenance(
        dir.path(),
        &[
            "runs",
            "logs",
            "--group-by",
            "config.lr",
            "--sort",
            "metric.sharpe.mea",
        ],
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("nearest: metric.sharpe.mean"),
        "{out:?}"
    );
}

#[test]
fn group_by_agrees_with_duckdb() {
    let dir = sweep();
    let csv = provenance(
        dir.path(),
        &[
            "runs",
            "logs",
            "--group-by",
            "config.lr,config.window",
            "--csv",
        ],
    );
    assert_eq!(csv.code, 0, "{csv:?}");
    std::fs::write(dir.path().join("groups.csv"), &csv.stdout).unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/runs_group_by/duckdb_group_by.py"
    );
    let Some(ReaderReport { success, report }) = run_reader("cli_runs_series", script, dir.path())
    else {
        return;
    };
    assert!(success, "DuckDB disagrees:\n{report}");
    assert!(
        report.contains("duckdb: 4 groups agree")
            || (!readers_required() && report.contains("duckdb: not installed")),
        "{report}"
    );
}
