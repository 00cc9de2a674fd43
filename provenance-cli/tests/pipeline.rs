//! What produced this number, across processes: a two-stage pipeline of a
//! user's own crate, built in a fresh git repository and run as two
//! processes (stage 1 reads `raw.csv` and writes `features.csv`, stage 2
//! reads that and writes `result.csv`), each logging to the default
//! folder. `provenance why result.csv` walks back through both stages to
//! stage 1's input; editing `features.csv` makes `why` say so; and
//! `provenance runs` over many logs of varied configurations answers as
//! DuckDB does over the same files.

use std::process::{Command, Output};

use provenance_test_support::experiment::{self, Experiment, Git};
use provenance_test_support::readers::readers_required;
use provenance_test_support::{Outcome, git, provenance};

fn run(exp: &Experiment, args: &[&str]) -> Output {
    exp.run(args, None)
}

#[test]
fn why_walks_back_through_both_stages_and_notices_an_edit() {
    let exp = experiment::build(Git::Repository);
    let dir = exp.dir.path();
    std::fs::write(dir.join("raw.csv"), "1.0\n1.5\n2.5\n2.0\n3.5\n").unwrap();
    run(&exp, &["stage1", "raw.csv", "2"]);
    run(&exp, &["stage2", "features.csv", "2.0"]);
    let logs = "logs/provenance";

    let Outcome {
        code,
        stdout: out,
        stderr: err,
    } = provenance(dir, &["why", "result.csv", logs]);
    assert_eq!(code, 0, "{out}{err}");
    // Stage 2 wrote it, from features.csv, which stage 1 wrote from raw.csv.
    let at = |needle: &str| {
        out.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in:\n{out}"))
    };
    let (stage2, stage1) = (at("result#1"), at("features#1"));
    assert!(
        stage2 < stage1,
        "the chain goes back from the result:\n{out}"
    );
    let raw = std::fs::canonicalize(dir.join("raw.csv")).unwrap();
    assert!(at(&raw.display().to_string()) > stage1, "{out}");
    // The configurations (one `#[config]` value each) and the commit.
    assert!(
        out.contains("config   2.0\n") && out.contains("config   2\n"),
        "{out}"
    );
    let commit = git(dir, &["rev-parse", "--short", "HEAD"]);
    assert!(out.contains(commit.trim()), "{out}");

    // By hash too, the same answer.
    let hash = ith_provenance_runtime::fingerprint_file(dir.join("result.csv"))
        .unwrap()
        .sha256
        .to_string();
    let Outcome {
        code,
        stdout: by_hash,
        ..
    } = provenance(dir, &["why", &hash, logs]);
    assert_eq!(code, 0);
    assert!(by_hash.contains("features#1"), "{by_hash}");

    // Edit stage 1's output: why says it changed since stage 1 wrote it.
    std::fs::write(dir.join("features.csv"), "9.9\n").unwrap();
    let Outcome {
        code,
        stdout: out,
        stderr: err,
    } = provenance(dir, &["why", "features.csv", logs]);
    assert_eq!(code, 1, "{out}{err}");
    let all = format!("{out}{err}");
    assert!(all.contains("changed since run features#1"), "{all}");
    // An unknown file: no log knows it.
    std::fs::write(dir.join("other.csv"), "x\n").unwrap();
    let code = provenance(dir, &["why", "other.csv", logs]).code;
    assert_eq!(code, 1);
}

#[test]
fn runs_over_many_logs_filter_and_sort_as_duckdb_says() {
    let exp = experiment::build(Git::Repository);
    let dir = exp.dir.path();
    std::fs::write(dir.join("raw.csv"), "1.0\n1.5\n2.5\n2.0\n3.5\n4.0\n").unwrap();
    // 200 processes, 200 logs, windows 1..=5.
    for i in 0..200 {
        let window = (1 + i % 5).to_string();
        run(&exp, &["stage1", "raw.csv", &window]);
    }
    let logs = dir.join("logs/provenance");
    assert_eq!(
        std::fs::read_dir(&logs).unwrap().count(),
        200 + 1,
        "200 logs and the .gitignore"
    );

    let args = [
        "runs",
        "logs/provenance",
        "--where",
        "config>=3",
        "--where",
        "status=ok",
    ];
    let Outcome {
        code,
        stdout: out,
        stderr: err,
    } = provenance(dir, &[&args[..], &["--sort", "-config", "--json"]].concat());
    assert_eq!(code, 0, "{err}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let ours: Vec<(String, f64)> = rows
        .iter()
        .map(|r| {
            let config = r["config"]
                .as_f64()
                .or_else(|| r["config"].as_str()?.parse().ok());
            (r["session"].as_str().unwrap().to_string(), config.unwrap())
        })
        .collect();
    assert_eq!(ours.len(), 120, "windows 3, 4 and 5: 3 in 5 of 200 runs");
    assert!(
        ours.windows(2).all(|w| w[0].1 >= w[1].1),
        "sorted by config, descending"
    );

    // DuckDB over the same files: the same runs.
    let query = "SELECT i.session_id, CAST(i.config AS DOUBLE) AS config \
                 FROM read_json_auto('logs/provenance/*.ndjson', union_by_name = true) i \
                 JOIN read_json_auto('logs/provenance/*.ndjson', union_by_name = true) r \
                   ON i.session_id = r.session_id AND i.run_id = r.run_id \
                 WHERE i.event_type = 'algorithm.init' AND r.event_type = 'algorithm.result' \
                   AND r.status = 'ok' AND CAST(i.config AS DOUBLE) >= 3 \
                 ORDER BY config DESC, i.session_id";
    let script =
        format!("import duckdb, json\nprint(json.dumps(duckdb.sql({query:?}).fetchall()))");
    let duck = match Command::new("python3")
        .arg("-c")
        .arg(&script)
        .current_dir(dir)
        .output()
    {
        Ok(out) if out.status.success() => out,
        Ok(out) if !readers_required() => {
            eprintln!(
                "pipeline: DuckDB check skipped ({})",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            );
            return;
        }
        Ok(out) => panic!("duckdb: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => panic!("python3: {e}"),
    };
    let theirs: Vec<(String, f64)> = serde_json::from_slice(&duck.stdout).unwrap();
    let mut ours_sorted = ours.clone();
    ours_sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    assert_eq!(ours_sorted, theirs);
}
