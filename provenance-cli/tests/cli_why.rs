//! `provenance why` on handcrafted two-stage logs: stage 1 reads raw.csv
//! and writes features.csv (recorded only in its `algorithm.result`'s
//! `outputs`, as when the data.save line was lost); stage 2 reads
//! features.csv and writes result.csv (a `data.save` line).

mod support;

use std::path::{Path, PathBuf};

use provenance_test_support::provenance;
use serde_json::json;
use support::handmade::Session;

const SHA_1: &str = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const SHA_2: &str = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

fn sha(path: &Path) -> String {
    ith_provenance_runtime::fingerprint_file(path)
        .unwrap()
        .sha256
        .to_string()
}

struct Stages {
    dir: tempfile::TempDir,
    root: PathBuf,
}

impl Stages {
    fn p(&self, name: &str) -> String {
        self.root.join(name).display().to_string()
    }
}

fn stages() -> Stages {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::create_dir_all(root.join("logs")).unwrap();
    for (name, text) in [
        ("raw.csv", "x\n1\n2\n"),
        ("features.csv", "f\n3\n"),
        ("result.csv", "r\n4\n"),
    ] {
        std::fs::write(root.join(name), text).unwrap();
    }
    let s = Stages { dir, root };
    let wd = s.root.display().to_string();
    let (raw, features, result) = (
        sha(&s.root.join("raw.csv")),
        sha(&s.root.join("features.csv")),
        sha(&s.root.join("result.csv")),
    );

    let mut s1 = Session::new(
        "sess_s1",
        Some("pipeline"),
        "2026-11-24T09:00:00.000000Z",
        SHA_1,
        false,
    );
    s1.init(
        "2026-11-24T09:00:01.000000Z",
        "featurize#1",
        "featurize",
        json!({"lag": 3}),
    )
    .load(
        "2026-11-24T09:00:02.000000Z",
        "raw",
        &s.p("raw.csv"),
        &raw,
        &wd,
    )
    .result(
        "2026-11-24T09:00:03.000000Z",
        "ok",
        5.0,
        json!({}),
        json!([{"target_path": s.p("features.csv"), "sha256_hash": features}]),
    );
    std::fs::write(s.root.join("logs/stage1.ndjson"), s1.text()).unwrap();

    let mut s2 = Session::new(
        "sess_s2",
        Some("pipeline"),
        "2026-11-25T09:00:00.000000Z",
        SHA_2,
        true,
    );
    s2.init(
        "2026-11-25T09:00:01.000000Z",
        "model#1",
        "model",
        json!({"alpha": 0.5}),
    )
    .load(
        "2026-11-25T09:00:02.000000Z",
        "features",
        &s.p("features.csv"),
        &features,
        &wd,
    )
    .save(
        "2026-11-25T09:00:03.000000Z",
        &s.p("result.csv"),
        &result,
        &wd,
    )
    .result(
        "2026-11-25T09:00:04.000000Z",
        "ok",
        7.0,
        json!({}),
        json!([{"target_path": s.p("result.csv"), "sha256_hash": result}]),
    );
    std::fs::write(s.root.join("logs/stage2.ndjson"), s2.text()).unwrap();
    s
}

fn why(cwd: &Path, args: &[&str]) -> provenance_test_support::Outcome {
    let mut all = vec!["why"];
    all.extend_from_slice(args);
    provenance(cwd, &all)
}

#[test]
fn a_file_is_traced_back_through_both_stages() {
    let s = stages();
    let out = why(&s.root, &["result.csv", "logs"]);
    assert_eq!(out.code, 0, "{out:?}");
    let (raw, features, result) = (
        sha(&s.root.join("raw.csv")),
        sha(&s.root.join("features.csv")),
        sha(&s.root.join("result.csv")),
    );
    let expected = format!(
        "{result_path}  {result}
└─ written by run model#1 model of session sess_s2 (logs/stage2.ndjson:4)
   start    2026-11-25T09:00:01.000000Z
   commit   {SHA_2} (dirty: uncommitted changes)
   config   {{\"alpha\":0.5}}
   seeds    root=0x000000000000002a, random_seed=0x0000000000000007
   input    features  {features_path}  {features}
    └─ written by run featurize#1 featurize of session sess_s1 (logs/stage1.ndjson:4)
       start    2026-11-24T09:00:01.000000Z
       commit   {SHA_1} (clean)
       config   {{\"lag\":3}}
       seeds    root=0x000000000000002a, random_seed=0x0000000000000007
       input    raw  {raw_path}  {raw}
           └─ no log read says a run wrote it
",
        result_path = s.p("result.csv"),
        features_path = s.p("features.csv"),
        raw_path = s.p("raw.csv"),
    );
    assert_eq!(out.stdout, expected);
}

/// A `provenance rerun` of both stages writes the same bytes later, in its
/// worktree: the file's own writers (at the paths asked about, and at the
/// path each input was read from) stay the ones shown.
#[test]
fn the_writer_at_the_files_own_path_is_shown_before_a_later_copy() {
    let s = stages();
    let (features, result) = (
        sha(&s.root.join("features.csv")),
        sha(&s.root.join("result.csv")),
    );
    let wt = "/tmp/provenance-rerun-x/repo";
    let mut r = Session::new(
        "sess_rerun",
        Some("pipeline"),
        "2026-11-26T09:00:00.000000Z",
        SHA_2,
        false,
    );
    r.init(
        "2026-11-26T09:00:01.000000Z",
        "featurize#1",
        "featurize",
        json!({"lag": 3}),
    )
    .result(
        "2026-11-26T09:00:02.000000Z",
        "ok",
        5.0,
        json!({}),
        json!([{"target_path": format!("{wt}/features.csv"), "sha256_hash": features}]),
    );
    r.init(
        "2026-11-26T09:00:03.000000Z",
        "model#1",
        "model",
        json!({"alpha": 0.5}),
    )
    .save(
        "2026-11-26T09:00:04.000000Z",
        &format!("{wt}/result.csv"),
        &result,
        wt,
    )
    .result(
        "2026-11-26T09:00:05.000000Z",
        "ok",
        7.0,
        json!({}),
        json!([{"target_path": format!("{wt}/result.csv"), "sha256_hash": result}]),
    );
    std::fs::write(s.root.join("logs/rerun.ndjson"), r.text()).unwrap();
    let out = why(&s.root, &["result.csv", "logs"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains(
            "└─ written by run model#1 model of session sess_s2 (logs/stage2.ndjson:4)\n   \
             (2 runs wrote it; shown: the latest, one that wrote it at this path first)"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("└─ written by run featurize#1 featurize of session sess_s1"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("sess_rerun"), "{}", out.stdout);
    // Asked by hash alone, the latest writer anywhere.
    let out = why(&s.root, &[&result, "logs"]);
    assert!(
        out.stdout.contains("of session sess_rerun"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_hash_in_json() {
    let s = stages();
    let features = sha(&s.root.join("features.csv"));
    let out = why(&s.root, &["--json", &features, "logs/*.ndjson"]);
    assert_eq!(out.code, 0, "{out:?}");
    let v = out.json();
    assert_eq!(v["found"], true);
    assert_eq!(v["file"], serde_json::Value::Null);
    let run = &v["run"];
    assert_eq!(run["session"], "sess_s1");
    assert_eq!(run["run"], "featurize#1");
    assert_eq!(run["commit"], SHA_1);
    assert_eq!(run["dirty"], false);
    assert_eq!(run["config"], json!({"lag": 3}));
    assert_eq!(
        run["output"],
        json!({"target_path": s.p("features.csv"), "sha256": features, "line": 4})
    );
    assert_eq!(
        run["seeds"],
        json!([{"component": "root", "seed": "0x000000000000002a", "run": null},
               {"component": "random_seed", "seed": "0x0000000000000007", "run": "featurize#1"}])
    );
    let input = &run["inputs"][0];
    assert_eq!(input["name"], "raw");
    assert_eq!(input["source_path"], s.p("raw.csv"));
    assert_eq!(input["working_dir"], s.root.display().to_string());
    assert_eq!(input["written_by"], serde_json::Value::Null);
    assert_eq!(input["cycle"], false);
    assert_eq!(input["in_memory"], serde_json::Value::Null);
}

#[test]
fn a_file_changed_since_a_run_wrote_it() {
    let s = stages();
    let recorded = sha(&s.root.join("result.csv"));
    std::fs::write(s.root.join("result.csv"), "r\n5\n").unwrap();
    let now = sha(&s.root.join("result.csv"));
    let out = why(&s.root, &["result.csv", "logs"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert_eq!(
        out.stdout,
        format!(
            "result.csv changed since run model#1 of session sess_s2 wrote it (recorded {recorded}, now {now})\n"
        )
    );
    let v = why(&s.root, &["--json", "result.csv", "logs"]).json();
    assert_eq!(v["found"], false);
    assert_eq!(v["changed"]["recorded"], recorded.as_str());
    assert_eq!(v["changed"]["now"], now.as_str());
}

#[test]
fn an_unknown_hash_exits_1_and_a_bad_one_2() {
    let s = stages();
    let unknown = format!("sha256:{}", "e".repeat(64));
    let out = why(&s.root, &[&unknown, "logs"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.starts_with(&format!("no log knows {unknown}")),
        "{}",
        out.stdout
    );
    let out = why(&s.root, &["raw.csv", "logs"]);
    assert_eq!(out.code, 1, "{out:?}");
    let out = why(&s.root, &["sha256:abc", "logs"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("is not a hash"), "{}", out.stderr);
    let out = why(&s.root, &["missing.csv", "logs"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("cannot open missing.csv"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_cycle_ends() {
    let s = stages();
    // A run that reads a file and writes the same bytes back (a copy in
    // place): its input's writer is itself.
    let copy = s.root.join("copy.csv");
    std::fs::write(&copy, "c\n").unwrap();
    let h = sha(&copy);
    let wd = s.root.display().to_string();
    let mut s3 = Session::new("sess_s3", None, "2026-11-26T09:00:00.000000Z", SHA_1, false);
    s3.init("2026-11-26T09:00:01.000000Z", "copy#1", "copy", json!(null))
        .load(
            "2026-11-26T09:00:02.000000Z",
            "copy",
            &s.p("copy.csv"),
            &h,
            &wd,
        )
        .save("2026-11-26T09:00:03.000000Z", &s.p("copy.csv"), &h, &wd)
        .result(
            "2026-11-26T09:00:04.000000Z",
            "ok",
            1.0,
            json!({}),
            json!([]),
        );
    std::fs::write(s.root.join("logs/stage3.jsonl"), s3.text()).unwrap();
    let out = why(&s.root, &["copy.csv", "logs"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("└─ (a cycle: written by a run above)"),
        "{}",
        out.stdout
    );
    let _ = &s.dir;
}

#[test]
fn in_memory_inputs_fold_into_one_line_and_derived_seeds_name_their_run() {
    let s = stages();
    let wd = s.root.display().to_string();
    let features = sha(&s.root.join("features.csv"));
    let out_csv = s.root.join("sweep.csv");
    std::fs::write(&out_csv, "s\n1\n").unwrap();
    let written = sha(&out_csv);
    let in_memory = |name: &str, dtype: Option<&str>, shape: Option<&[u64]>, hash: char| {
        json!({"source_path": "argument", "sha256_hash": format!("sha256:{}", hash.to_string().repeat(64)),
               "row_count": 0, "column_count": 0, "columns": [], "value_range": null,
               "input_name": name, "dtype": dtype, "shape": shape, "n_nans": null,
               "size_bytes": null, "working_dir": null})
    };
    let derived = |component: &str, seed: &str| {
        json!({"component": component, "seed": seed, "root_seed": "0x000000000000002a",
               "root_seed_source": "explicit"})
    };
    let mut s4 = Session::new("sess_s4", None, "2026-11-27T09:00:00.000000Z", SHA_1, false);
    s4.init("2026-11-27T09:00:01.000000Z", "sweep#1", "sweep", json!({}))
        .load(
            "2026-11-27T09:00:02.000000Z",
            "features",
            &s.p("features.csv"),
            &features,
            &wd,
        )
        .line(
            "2026-11-27T09:00:02.000000Z",
            "data.load",
            in_memory("prices", Some("float64"), Some(&[2000]), 'a'),
        )
        .line(
            "2026-11-27T09:00:02.000000Z",
            "data.load",
            in_memory("lookback", None, None, 'b'),
        )
        .line(
            "2026-11-27T09:00:02.000000Z",
            "seed.derived",
            derived("grid", "0x0000000000000011"),
        )
        .enter(Some("sweep#1"), Some("sweep#1"))
        .init(
            "2026-11-27T09:00:03.000000Z",
            "sweep#1/rule#1",
            "rule",
            json!({}),
        )
        .line(
            "2026-11-27T09:00:03.000000Z",
            "seed.derived",
            derived("bootstrap", "0x0000000000000022"),
        )
        .result(
            "2026-11-27T09:00:04.000000Z",
            "ok",
            1.0,
            json!({}),
            json!([]),
        )
        .enter(Some("sweep#1"), None)
        .save(
            "2026-11-27T09:00:05.000000Z",
            &s.p("sweep.csv"),
            &written,
            &wd,
        )
        .result(
            "2026-11-27T09:00:06.000000Z",
            "ok",
            5.0,
            json!({}),
            json!([]),
        );
    std::fs::write(s.root.join("logs/stage4.ndjson"), s4.text()).unwrap();

    let out = why(&s.root, &["sweep.csv", "logs"]);
    assert_eq!(out.code, 0, "{out:?}");
    let text = &out.stdout;
    for expected in [
        "   seeds    root=0x000000000000002a, random_seed=0x0000000000000007\n",
        "   derived  grid=0x0000000000000011 in sweep#1\n",
        "   derived  bootstrap=0x0000000000000022 in sweep#1/rule#1\n",
        "   in memory 2 inputs: prices (array float64 [2000]), lookback (value)\n",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}:\n{text}");
    }
    // The file input is still followed to the run that wrote it, and only
    // the raw file (no writer) ends a branch.
    assert!(
        text.contains("└─ written by run featurize#1 featurize of session sess_s1"),
        "{text}"
    );
    assert_eq!(
        text.matches("no log read says a run wrote it").count(),
        1,
        "{text}"
    );
    assert!(!text.contains("input    prices"), "{text}");

    let v = why(&s.root, &["--json", "sweep.csv", "logs"]).json();
    let inputs = v["run"]["inputs"].as_array().unwrap();
    let kinds: Vec<_> = inputs.iter().map(|i| i["in_memory"].clone()).collect();
    assert_eq!(
        kinds,
        [json!(null), json!("array float64 [2000]"), json!("value")]
    );
    let seeds = &v["run"]["seeds"];
    assert_eq!(seeds[2]["run"], "sweep#1");
    assert_eq!(seeds[3]["run"], "sweep#1/rule#1");
    assert_eq!(seeds[0]["run"], serde_json::Value::Null);
}
