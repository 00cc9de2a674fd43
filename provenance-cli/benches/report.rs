//! `provenance report` on 100 and on 10,000 runs (each with a
//! configuration, a seed, final metrics and a 200-point series), next to
//! `provenance runs --json` over the same logs, which reads them as the
//! report does and is what a user would otherwise turn into a page. The
//! run ends with a table of the page's size and the time to write it.
//!
//! `cargo bench -p ith-provenance-cli --bench report`.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group};
use provenance_test_support::logs;
use serde_json::json;

/// Points in each run's series.
const POINTS: i64 = 200;

/// Writes `runs` runs into logs of 100 runs each under `dir`: the example's
/// own `session.start` (a real context), then for each run its
/// `algorithm.init`, one `metrics` line and its `algorithm.result`.
fn write_logs(dir: &Path, runs: usize) {
    let start = logs::ith_epochs().lines().next().expect("a session.start");
    let session = logs::session_id();
    for file in 0..runs.div_ceil(100) {
        let own = format!("{}{file:04}", &session[..session.len() - 4]);
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(dir.join(format!("{own}.ndjson"))).expect("a log file"),
        );
        writeln!(out, "{}", start.replace(session, &own)).expect("write");
        let mut seq = 1;
        let mut line = |out: &mut dyn Write, value: serde_json::Value| {
            let mut value = value;
            value["session_id"] = json!(own);
            value["seq"] = json!(seq);
            value["ts"] = json!("2026-12-06T10:00:00.000000Z");
            seq += 1;
            writeln!(out, "{value}").expect("write");
        };
        for i in 0..100.min(runs - file * 100) {
            let run = format!("sweep#{}", i + 1);
            let hurdle = [0.03, 0.05, 0.08][i % 3];
            line(
                &mut out,
                json!({"event_type": "algorithm.init", "run_id": run, "algorithm_name": "sweep",
                       "version": "0.1.0", "config": {"hurdle": hurdle, "bars": 500},
                       "config_hash": null, "random_seed": format!("0x{:016x}", i), "input_hash": null}),
            );
            let steps: Vec<i64> = (0..POINTS).collect();
            let values: Vec<f64> = steps
                .iter()
                .map(|s| 1.0 + (*s as f64 * 0.1 + i as f64).sin() * 0.01)
                .collect();
            line(
                &mut out,
                json!({"event_type": "metrics", "run_id": run, "name": "nav", "steps": steps, "values": values}),
            );
            line(
                &mut out,
                json!({"event_type": "algorithm.result", "run_id": run, "status": "ok", "duration_ms": 1.5,
                       "output_hash": null, "final_metrics": {"sharpe": hurdle * 10.0 + i as f64 * 1e-3},
                       "error": null, "dropped_events": 0,
                       "metrics": {"nav": {"last": values[values.len() - 1], "min": 0.99, "max": 1.01, "count": POINTS}}}),
            );
        }
    }
}

fn cli(args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut all = vec![std::ffi::OsStr::new("provenance")];
    all.extend_from_slice(args);
    let code = ith_provenance_cli::cli::run(all, &mut out, &mut err);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    out
}

fn bench(c: &mut Criterion) {
    let mut table = Vec::new();
    let mut g = c.benchmark_group("report");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    for runs in [100usize, 10_000] {
        let dir = tempfile::tempdir().expect("a folder");
        let logs_dir = dir.path().join("logs");
        std::fs::create_dir(&logs_dir).expect("a folder");
        write_logs(&logs_dir, runs);
        let page = dir.path().join("report.html");
        let report = || {
            cli(&[
                "report".as_ref(),
                logs_dir.as_os_str(),
                "-o".as_ref(),
                page.as_os_str(),
            ])
        };
        let runs_json = || cli(&["runs".as_ref(), "--json".as_ref(), logs_dir.as_os_str()]);
        g.bench_function(BenchmarkId::new("report", runs), |b| b.iter(report));
        g.bench_function(BenchmarkId::new("runs_json", runs), |b| b.iter(runs_json));
        let time = |f: &dyn Fn() -> Vec<u8>| {
            let t = Instant::now();
            let out = f();
            (t.elapsed(), out)
        };
        let (page_time, _) = time(&report);
        let (json_time, json) = time(&runs_json);
        let size = std::fs::metadata(&page).expect("the page").len();
        table.push((runs, size, page_time, json.len(), json_time));
    }
    g.finish();
    println!("\nreport: page size and time to write it, next to runs --json");
    println!(
        "{:>7} {:>12} {:>12} {:>16} {:>14}",
        "runs", "page bytes", "page time", "runs --json bytes", "runs time"
    );
    for (runs, size, page_time, json_len, json_time) in table {
        println!(
            "{runs:>7} {size:>12} {:>10.1}ms {json_len:>16} {:>12.1}ms",
            page_time.as_secs_f64() * 1e3,
            json_time.as_secs_f64() * 1e3
        );
    }
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
