//! Contract version 2 (issue 9) through the real binary, on handcrafted
//! logs: both versions read by every verb, seeds compared as `u64` whatever
//! their written form, `non_finite` lists checked and restored, the
//! contract's built-in schemas for logs without `event.schema` lines (a
//! Python writer's, the original module's), and a program's own output
//! mixed into the log.

use std::path::{Path, PathBuf};

use provenance_test_support::{Outcome, logs};
use serde_json::{Value, json};

/// `provenance args`, which must not panic.
fn provenance(args: &[&str]) -> Outcome {
    provenance_test_support::provenance(Path::new("."), args).no_panic(args)
}

/// A temporary folder for the logs.
struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().expect("a temporary folder"))
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path: PathBuf = self.0.path().join(name);
        std::fs::write(&path, text).expect("write a log");
        path.display().to_string()
    }
}

/// One line: the envelope, then `payload` (the fields' JSON text, without
/// braces), as a writer emits it.
fn line(session: &str, seq: u64, event_type: &str, payload: &str) -> String {
    format!(
        "{{\"ts\":\"2026-11-25T10:46:11.{:06}Z\",\"event_type\":\"{event_type}\",\
         \"session_id\":\"{session}\",\"seq\":{seq},\"experiment_id\":\"exp001\",{payload}}}\n",
        126_706 + seq
    )
}

const SHA_NAV: &str = "sha256:9b98e1d389b5995a490cd873aa00bd60040ed8331f1f982d45cec24f525f85c7";
const SHA_CONFIG: &str = "sha256:3d273ced0333db7f9b78f67e3ff913a89643663d08ea5332916d745425b6103d";
const GIT_SHA: &str = "85d3b4ee9368fb736297f20f75f76b41958c233f";

/// The root seed and the `bull_ith` seed, in each version's form.
const ROOT_V1: &str = "13962548219734605871";
const ROOT_V2: &str = "\"0xc1c4efa10c8b402f\"";
const BULL_V1: &str = "9797144744969746561";
const BULL_V2: &str = "\"0x87f6733cf101b881\"";

fn session_start(session: &str, version: u64, root: &str, bull: &str) -> String {
    let context = format!(
        "{{\"session_id\":\"{session}\",\"experiment_id\":\"exp001\",\
         \"start_time\":\"2026-11-25T10:46:11.123456Z\",\"input_hashes\":{{\"nav\":\"{SHA_NAV}\"}},\
         \"random_seeds\":{{\"bull_ith\":{bull}}},\"root_seed\":{{\"seed\":{root},\"source\":\"entropy\"}},\
         \"config_hash\":\"{SHA_CONFIG}\",\"git_sha\":\"{GIT_SHA}\",\"git\":{{\"sha\":\"{GIT_SHA}\",\
         \"short_sha\":\"85d3b4e\",\"dirty\":false,\"branch\":\"main\",\"diff_hash\":null}},\
         \"host\":{{\"hostname\":\"lab-07\",\"os\":\"linux\",\"arch\":\"x86_64\"}},\
         \"crate\":{{\"name\":\"ith-epochs\",\"version\":\"0.3.1\"}},\"rustc_version\":\"rustc 1.95.0\",\
         \"command_line\":[\"ith-epochs\"]}}"
    );
    line(
        session,
        0,
        "session.start",
        &format!("\"contract_version\":{version},\"context\":{context}"),
    )
}

/// One run, as the version-1 writer wrote it: seeds as integers, a bool
/// `value_range`, non-finite floats as strings in place.
fn run_v1(session: &str) -> String {
    [
        session_start(session, 1, ROOT_V1, BULL_V1),
        line(
            session,
            1,
            "event.schema",
            r#""name":"training.checkpoint","version":1,"schema":{"type":"object","properties":{"step":{"type":"integer","minimum":0},"loss":{"anyOf":[{"type":"number"},{"enum":["NaN","Infinity","-Infinity"]}]}},"required":["step","loss"],"additionalProperties":false}"#,
        ),
        line(session, 2, "training.checkpoint", r#""step":1,"loss":"Infinity""#),
        line(
            session,
            3,
            "data.load",
            &format!(
                r#""source_path":"data/mask.npy","sha256_hash":"{SHA_NAV}","row_count":6,"column_count":1,"columns":["mask"],"value_range":[false,true],"input_name":"mask","dtype":"bool","shape":[6],"n_nans":0"#
            ),
        ),
        line(
            session,
            4,
            "algorithm.init",
            &format!(
                r#""algorithm_name":"bull_ith","version":"1.0.0","random_seed":{BULL_V1},"config":{{"hurdle":0.05}},"config_hash":"{SHA_CONFIG}","input_hash":"{SHA_NAV}","git_sha":"{GIT_SHA}","git_dirty":false"#
            ),
        ),
        line(
            session,
            5,
            "seed.derived",
            &format!(
                r#""component":"bootstrap","seed":42,"root_seed":{ROOT_V1},"root_seed_source":"entropy""#
            ),
        ),
        line(
            session,
            6,
            "epoch_detected",
            r#""epoch_index":1,"bar_index":3,"timestamp":null,"excess_gain":0.0667,"excess_loss":"NaN","endorsing_crest":1.12,"candidate_nadir":1.05,"tmaeg_threshold":0.05,"position_type":"bull","nav_at_epoch":1.12"#,
        ),
        line(
            session,
            7,
            "algorithm.result",
            r#""status":"ok","duration_ms":3.5,"output_hash":null,"final_metrics":{"epochs":1.0,"worst":"-Infinity"},"error":null,"dropped_events":0"#,
        ),
    ]
    .concat()
}

/// The same run as the version-2 writer writes it: seeds as `0x` strings,
/// `event.schema` with its schema as JSON text, numbers in `value_range`,
/// and non-finite floats as `null`, named in `non_finite`. `excess_loss`
/// is the epoch's excess loss: `None` writes it as version 2 writes NaN.
fn run_v2(session: &str, excess_loss: Option<f64>, root: &str) -> String {
    let epoch = match excess_loss {
        Some(x) => format!(
            r#""epoch_index":1,"bar_index":3,"timestamp":null,"excess_gain":0.0667,"excess_loss":{x:?},"endorsing_crest":1.12,"candidate_nadir":1.05,"tmaeg_threshold":0.05,"position_type":"bull","nav_at_epoch":1.12"#
        ),
        None => r#""epoch_index":1,"bar_index":3,"timestamp":null,"excess_gain":0.0667,"excess_loss":null,"endorsing_crest":1.12,"candidate_nadir":1.05,"tmaeg_threshold":0.05,"position_type":"bull","nav_at_epoch":1.12,"non_finite":[{"pointer":"/excess_loss","value":"NaN"}]"#.to_string(),
    };
    [
        session_start(session, 2, root, BULL_V2),
        line(
            session,
            1,
            "event.schema",
            &format!(
                r#""describes":"training.checkpoint","event_version":1,"payload_schema":{}"#,
                Value::String(checkpoint_schema_v2().to_string())
            ),
        ),
        line(
            session,
            2,
            "training.checkpoint",
            r#""step":1,"loss":null,"non_finite":[{"pointer":"/loss","value":"Infinity"}]"#,
        ),
        line(
            session,
            3,
            "data.load",
            &format!(
                r#""source_path":"data/mask.npy","sha256_hash":"{SHA_NAV}","row_count":6,"column_count":1,"columns":["mask"],"value_range":[0,1],"input_name":"mask","dtype":"bool","shape":[6],"n_nans":0"#
            ),
        ),
        line(
            session,
            4,
            "algorithm.init",
            &format!(
                r#""algorithm_name":"bull_ith","version":"1.0.0","random_seed":{BULL_V2},"config":{{"hurdle":0.05}},"config_hash":"{SHA_CONFIG}","input_hash":"{SHA_NAV}","git_sha":"{GIT_SHA}","git_dirty":false"#
            ),
        ),
        line(
            session,
            5,
            "seed.derived",
            &format!(
                r#""component":"bootstrap","seed":"0x000000000000002a","root_seed":{root},"root_seed_source":"entropy""#
            ),
        ),
        line(session, 6, "epoch_detected", &epoch),
        line(
            session,
            7,
            "algorithm.result",
            r#""status":"ok","duration_ms":3.5,"output_hash":null,"final_metrics":{"epochs":1.0,"worst":null},"error":null,"dropped_events":0,"non_finite":[{"pointer":"/final_metrics/worst","value":"-Infinity"}]"#,
        ),
    ]
    .concat()
}

/// A user-defined type's payload schema in version 2's float form.
fn checkpoint_schema_v2() -> Value {
    json!({"type":"object","properties":{"step":{"type":"integer","minimum":0},"loss":{"type":["number","null"]}},"required":["step","loss"],"additionalProperties":false})
}

#[test]
fn both_versions_summarize_with_their_version_and_seeds_as_written() {
    let dir = Dir::new();
    let v1 = dir.write("v1.ndjson", &run_v1("sess_v1"));
    let v2 = dir.write("v2.ndjson", &run_v2("sess_v2", None, ROOT_V2));
    let s1 = provenance(&["summary", &v1]);
    let s2 = provenance(&["summary", &v2]);
    assert_eq!((s1.code, s2.code), (0, 0), "{}{}", s1.stderr, s2.stderr);
    for (out, expected) in [
        (&s1, "contract   version 1\n"),
        (&s1, "root = 13962548219734605871 (entropy)\n"),
        (&s1, "bull_ith = 9797144744969746561\n"),
        (&s1, "seed   9797144744969746561\n"),
        (&s2, "contract   version 2\n"),
        (&s2, "root = 0xc1c4efa10c8b402f (entropy)\n"),
        (&s2, "bull_ith = 0x87f6733cf101b881\n"),
        (&s2, "bootstrap = 0x000000000000002a (entropy)\n"),
        (&s2, "seed   0x87f6733cf101b881\n"),
        // The non-finite metric restored from its null.
        (&s2, r#"metrics {"epochs":1.0,"worst":"-Infinity"}"#),
        (&s1, r#"metrics {"epochs":1.0,"worst":"-Infinity"}"#),
    ] {
        assert!(
            out.stdout.contains(expected),
            "{expected:?} in\n{}",
            out.stdout
        );
    }
    for out in [&s1, &s2] {
        assert!(!out.stdout.contains("invalid"), "{}", out.stdout);
        assert!(!out.stdout.contains("skipped"), "{}", out.stdout);
    }
    let json = provenance(&["summary", "--json", &v2]).json();
    let session = &json["sessions"][0];
    assert_eq!(session["contract_version"], 2);
    assert_eq!(session["seeds"][0]["seed"], "0xc1c4efa10c8b402f");
    assert_eq!(session["runs"][0]["random_seed"], "0x87f6733cf101b881");
    assert_eq!(json["skipped_lines"], 0);

    // `schema` reads version 2's schema text into the schema it is.
    let schemas = provenance(&["schema", "--json", &v2]).json();
    assert_eq!(
        schemas,
        json!([{"name": "training.checkpoint", "version": 1, "schema": checkpoint_schema_v2()}])
    );
}

#[test]
fn a_v1_and_a_v2_log_of_the_same_run_differ_only_in_their_contract_version() {
    let dir = Dir::new();
    let v1 = dir.write("v1.ndjson", &run_v1("sess_v1"));
    let v2 = dir.write("v2.ndjson", &run_v2("sess_v2", None, ROOT_V2));
    let out = provenance(&["diff", "--json", "--events", &v1, &v2]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let report = out.json();
    assert_eq!(
        report["differences"],
        json!([{"what": "version", "path": "contract_version", "a": 1, "b": 2}]),
        "{report:#}"
    );
    assert_eq!(report["notes"], json!([]), "{report:#}");
    assert_eq!(
        (
            &report["a"]["contract_version"],
            &report["b"]["contract_version"]
        ),
        (&json!(1), &json!(2))
    );
    for t in report["events"].as_array().expect("--events") {
        assert_eq!(t["same"], true, "{t:#}");
    }
    assert_eq!(report["events"].as_array().unwrap().len(), 6, "{report:#}");

    let text = provenance(&["diff", "--events", &v1, &v2]);
    assert!(
        text.stdout
            .contains("read: contract version 1 (A), 2 (B)\n"),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("\nseeds\n"), "{}", text.stdout);
}

#[test]
fn a_seed_that_differs_is_a_difference_in_either_form_and_shown_as_written() {
    let dir = Dir::new();
    let v1 = dir.write("v1.ndjson", &run_v1("sess_v1"));
    let other_root = "\"0xc1c4efa10c8b4030\"";
    let v2 = dir.write("v2.ndjson", &run_v2("sess_v2", None, other_root));
    let report = provenance(&["diff", "--json", "--events", &v1, &v2]).json();
    let seeds: Vec<&Value> = report["differences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["what"] == "seed")
        .collect();
    assert_eq!(
        seeds,
        [
            &json!({"what": "seed", "path": "seed.root", "a": 13962548219734605871u64, "b": "0xc1c4efa10c8b4030"})
        ],
        "{report:#}"
    );
    let text = provenance(&["diff", &v1, &v2]);
    assert!(
        text.stdout
            .contains("\n  seed.root: 13962548219734605871 → 0xc1c4efa10c8b4030\n"),
        "{}",
        text.stdout
    );
    let derived = report["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["event_type"] == "seed.derived")
        .expect("seed.derived compared");
    assert_eq!(
        derived["first_difference"]["path"], "root_seed",
        "{derived:#}"
    );
}

#[test]
fn a_v2_nan_is_restored_so_events_see_nan_become_a_number() {
    let dir = Dir::new();
    let nan = dir.write("nan.ndjson", &run_v2("sess_a", None, ROOT_V2));
    let half = dir.write("half.ndjson", &run_v2("sess_b", Some(0.5), ROOT_V2));
    let v1 = dir.write("v1.ndjson", &run_v1("sess_v1"));
    for a in [&nan, &v1] {
        let report = provenance(&["diff", "--json", "--events", a, &half]).json();
        let epoch = report["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["event_type"] == "epoch_detected")
            .expect("epoch_detected compared");
        assert_eq!(epoch["same"], false, "{epoch:#}");
        let d = &epoch["first_difference"];
        assert_eq!(
            (&d["path"], &d["a"], &d["b"]),
            (&json!("excess_loss"), &json!("NaN"), &json!(0.5)),
            "{d:#}"
        );
        assert_eq!(d["line_a"], 7);
    }
    // The same NaN on both sides is no difference.
    let again = dir.write("again.ndjson", &run_v2("sess_c", None, ROOT_V2));
    let out = provenance(&["diff", "--events", &nan, &again]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn a_python_writers_v2_log_without_schema_lines_validates() {
    let s = "sess_py";
    // Every field of the contract's tables, as a Python writer following
    // version 2 writes them, and no event.schema line: the contract's
    // built-in schemas apply.
    let log = [
        session_start(s, 2, ROOT_V2, BULL_V2),
        line(
            s,
            1,
            "data.load",
            &format!(
                r#""source_path":"data/nav.csv","sha256_hash":"{SHA_NAV}","row_count":6,"column_count":1,"columns":["nav"],"value_range":[0.99,1.12],"input_name":"nav","dtype":"float64","shape":[6],"n_nans":0"#
            ),
        ),
        line(
            s,
            2,
            "algorithm.init",
            &format!(
                r#""algorithm_name":"bull_ith","version":"1.0.0","random_seed":null,"config":{{"hurdle":0.05}},"config_hash":"{SHA_CONFIG}","input_hash":"{SHA_NAV}","git_sha":"{GIT_SHA}","git_dirty":false"#
            ),
        ),
        line(
            s,
            3,
            "algorithm.result",
            r#""status":"ok","duration_ms":12.25,"output_hash":null,"final_metrics":{"epochs":2.0},"error":null,"dropped_events":0"#,
        ),
    ]
    .concat();
    let dir = Dir::new();
    let path = dir.write("python.ndjson", &log);
    let out = provenance(&["validate", &path]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        out.stdout,
        "contract version 2 (1 session)\nvalid: 4 line(s), 1 session(s) in 1 file(s)\n"
    );
    let json = provenance(&["validate", "--json", &path]).json();
    assert_eq!(
        json["contract_versions"],
        json!([{"version": 2, "sessions": 1}])
    );

    // Without its contract-new fields, only the original's required.
    let trimmed = log.replace(
        r#","input_name":"nav","dtype":"float64","shape":[6],"n_nans":0"#,
        "",
    );
    assert_ne!(trimmed, log);
    let path = dir.write("trimmed.ndjson", &trimmed);
    assert_eq!(provenance(&["validate", &path]).code, 0);
}

#[test]
fn the_original_modules_events_validate_as_version_1() {
    let s = "sess_orig";
    // The original Python module's fields only (and its trace_id, which
    // the contract dropped: readers ignore fields they do not know).
    let log = [
        session_start(s, 1, ROOT_V1, BULL_V1),
        line(
            s,
            1,
            "data.load",
            &format!(
                r#""trace_id":"t-1","source_path":"data/nav.csv","sha256_hash":"{SHA_NAV}","row_count":6,"column_count":1,"columns":["nav"],"value_range":[0.99,1.12]"#
            ),
        ),
        line(
            s,
            2,
            "algorithm.init",
            &format!(
                r#""trace_id":"t-1","algorithm_name":"bull_ith","version":"1.0.0","random_seed":{BULL_V1},"config":{{"hurdle":0.05}},"input_hash":"{SHA_NAV}""#
            ),
        ),
    ]
    .concat();
    let dir = Dir::new();
    let path = dir.write("original.ndjson", &log);
    let out = provenance(&["validate", &path]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.starts_with("contract version 1 (1 session)\n"),
        "{}",
        out.stdout
    );
    let summary = provenance(&["summary", &path]);
    assert!(
        summary.stdout.contains("seed   9797144744969746561\n"),
        "{}",
        summary.stdout
    );
}

#[test]
fn a_wrong_type_in_a_builtin_field_without_a_schema_line_is_named() {
    let dir = Dir::new();
    for version in [1, 2] {
        let s = format!("sess_bad{version}");
        let root = if version == 1 { ROOT_V1 } else { ROOT_V2 };
        let bull = if version == 1 { BULL_V1 } else { BULL_V2 };
        let log = [
            session_start(&s, version, root, bull),
            line(
                &s,
                1,
                "data.load",
                &format!(
                    r#""source_path":"data/nav.csv","sha256_hash":"{SHA_NAV}","row_count":"six","column_count":1,"columns":["nav"],"value_range":null"#
                ),
            ),
            // A contract-new field is optional, but checked when present.
            line(
                &s,
                2,
                "algorithm.init",
                r#""algorithm_name":"bull_ith","version":"1.0.0","random_seed":null,"config":{},"input_hash":null,"config_hash":12"#,
            ),
            line(&s, 3, "algorithm.init", r#""version":"1.0.0","random_seed":null,"config":{},"input_hash":null"#),
            // A type of the user's own still needs its event.schema line.
            line(&s, 4, "training.checkpoint", r#""step":1"#),
        ]
        .concat();
        let path = dir.write(&format!("bad{version}.ndjson"), &log);
        let out = provenance(&["validate", &path]);
        assert_eq!(out.code, 1, "{}", out.stdout);
        for expected in [
            format!(
                "{path}:2: data.load does not match its schema: at /row_count: \"six\" is not of type \"integer\""
            ),
            format!(
                "{path}:3: algorithm.init does not match its schema: at /config_hash: 12 is not of type \"string\""
            ),
            format!(
                "{path}:4: algorithm.init does not match its schema: \"algorithm_name\" is a required property"
            ),
            format!("{path}:5: no schema for event type \"training.checkpoint\""),
        ] {
            assert!(
                out.stdout.contains(&expected),
                "{expected:?} in\n{}",
                out.stdout
            );
        }
        assert!(
            out.stdout
                .contains(&format!("contract version {version} (1 session)")),
            "{}",
            out.stdout
        );
        assert!(
            out.stdout
                .ends_with("invalid: 4 of 5 line(s) have problems (4 problem(s))\n"),
            "{}",
            out.stdout
        );
    }
}

/// The real version-1 log with a program's own `println!` output between
/// its lines (a log written to stdout).
fn mixed_log() -> (String, u64) {
    let noise = [
        "epoch 1 found at bar 3",
        "",
        "  42 % done",
        "\t[1, 2, 3]",
        "Done.",
    ];
    let mut text = String::new();
    let mut skipped = 0;
    for (i, l) in logs::ith_epochs().lines().enumerate() {
        if i % 4 == 1 {
            text.push_str(noise[(i / 4) % noise.len()]);
            text.push('\n');
            skipped += 1;
        }
        text.push_str(l);
        text.push('\n');
    }
    text.push_str("bye\n");
    (text, skipped + 1)
}

#[test]
fn a_programs_output_in_the_log_is_skipped_and_counted() {
    let dir = Dir::new();
    let (text, skipped) = mixed_log();
    let path = dir.write("mixed.ndjson", &text);
    let clean = dir.write("clean.ndjson", logs::ith_epochs());

    let summary = provenance(&["summary", &path]);
    assert_eq!(summary.code, 0);
    assert!(
        summary.stdout.contains(&format!(
            "\nskipped {skipped} non-JSON lines (program output?)\n"
        )),
        "{}",
        summary.stdout
    );
    assert!(!summary.stdout.contains("invalid"), "{}", summary.stdout);
    assert_eq!(
        provenance(&["summary", "--json", &path]).json()["skipped_lines"],
        skipped
    );

    let validate = provenance(&["validate", &path]);
    assert_eq!(validate.code, 0, "{}", validate.stdout);
    let notices: Vec<&str> = validate
        .stdout
        .lines()
        .filter(|l| l.contains("skipped"))
        .collect();
    assert_eq!(
        notices,
        [format!(
            "skipped {skipped} non-JSON lines (program output?)"
        )]
    );
    assert!(
        validate
            .stdout
            .ends_with("valid: 25 line(s), 1 session(s) in 1 file(s)\n"),
        "{}",
        validate.stdout
    );
    let json = provenance(&["validate", "--json", &path]).json();
    assert_eq!(
        (json["valid"].as_bool(), json["skipped_lines"].as_u64()),
        (Some(true), Some(skipped))
    );

    // Program output is no difference; the counts are shown.
    let diff = provenance(&["diff", &path, &clean]);
    assert_eq!(diff.code, 0, "{}", diff.stdout);
    assert!(
        diff.stdout.contains(&format!(
            "skipped non-JSON lines (program output?): {skipped} (A), 0 (B)"
        )),
        "{}",
        diff.stdout
    );
    let report = provenance(&["diff", "--json", "--events", &path, &clean]).json();
    assert_eq!(report["same"], true, "{report:#}");
    assert_eq!(
        (&report["a"]["skipped_lines"], &report["b"]["skipped_lines"]),
        (&json!(skipped), &json!(0))
    );

    // A torn line (it starts with `{`) is still broken.
    let mut lines: Vec<&str> = text.lines().collect();
    let torn_at = lines
        .iter()
        .position(|l| l.contains("\"epoch_detected\""))
        .unwrap();
    let torn = &lines[torn_at][..lines[torn_at].len() / 2];
    lines[torn_at] = torn;
    let torn_path = dir.write("torn.ndjson", &(lines.join("\n") + "\n"));
    let out = provenance(&["validate", &torn_path]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains(&format!(
            "{torn_path}:{}: torn line (EOF while parsing",
            torn_at + 1
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains(&format!("skipped {skipped} non-JSON lines")),
        "{}",
        out.stdout
    );
}

#[test]
fn non_finite_lists_are_checked_against_the_line_as_written() {
    let dir = Dir::new();
    let schemas = dir.write(
        "schemas.json",
        &json!({"training.checkpoint": checkpoint_schema_v2()}).to_string(),
    );
    let s = "sess_nf";
    let log = [
        session_start(s, 2, ROOT_V2, BULL_V2),
        line(
            s,
            1,
            "training.checkpoint",
            r#""step":1,"loss":null,"non_finite":[{"pointer":"/loss","value":"NaN"}]"#,
        ),
        line(
            s,
            2,
            "training.checkpoint",
            r#""step":2,"loss":0.5,"non_finite":[{"pointer":"/loss","value":"NaN"}]"#,
        ),
        line(
            s,
            3,
            "training.checkpoint",
            r#""step":3,"loss":null,"non_finite":[{"pointer":"/loss","value":"nan"}]"#,
        ),
        line(
            s,
            4,
            "training.checkpoint",
            r#""step":4,"loss":null,"non_finite":[{"pointer":"/los","value":"NaN"}]"#,
        ),
        line(
            s,
            5,
            "training.checkpoint",
            r#""step":5,"loss":null,"non_finite":["/loss"]"#,
        ),
        // As written, a null: a float's place in version 2 whatever it held.
        line(s, 6, "training.checkpoint", r#""step":6,"loss":null"#),
    ]
    .concat();
    let path = dir.write("nf.ndjson", &log);
    let out = provenance(&["validate", "--schema", &schemas, &path]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let problems: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with(&path))
        .collect();
    assert_eq!(
        problems,
        [
            format!(
                "{path}:3: non_finite[0]: pointer \"/loss\" points at 0.5, not null (a non-finite float is written as null)"
            ),
            format!(
                "{path}:4: non_finite[0]: value \"nan\" is not \"NaN\", \"Infinity\" or \"-Infinity\""
            ),
            format!("{path}:5: non_finite[0]: pointer \"/los\" points at nothing in the line"),
            format!(
                "{path}:6: non_finite[0]: expected {{\"pointer\": string, \"value\": string}}, found \"/loss\""
            ),
        ],
        "{}",
        out.stdout
    );
    // In a version-1 session the name is no envelope field: the payload's
    // closed schema refuses it.
    let v1 = log.replace("\"contract_version\":2", "\"contract_version\":1");
    let path = dir.write("nf1.ndjson", &v1);
    let out = provenance(&["validate", "--schema", &schemas, &path]);
    assert!(
        out.stdout.contains(&format!(
            "{path}:2: training.checkpoint does not match its schema"
        )),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("non_finite[0]"), "{}", out.stdout);
}

#[test]
fn version_2_event_schema_lines_describe_the_users_types() {
    let dir = Dir::new();
    let s = "sess_es";
    let log = [
        session_start(s, 2, ROOT_V2, BULL_V2),
        line(
            s,
            1,
            "event.schema",
            &format!(
                r#""describes":"training.checkpoint","event_version":1,"payload_schema":{}"#,
                Value::String(checkpoint_schema_v2().to_string())
            ),
        ),
        line(s, 2, "training.checkpoint", r#""step":"one","loss":0.5"#),
        line(
            s,
            3,
            "event.schema",
            r#""describes":"training.note","event_version":1,"payload_schema":"{not json""#,
        ),
    ]
    .concat();
    let path = dir.write("es.ndjson", &log);
    let out = provenance(&["validate", &path]);
    assert_eq!(out.code, 1);
    for expected in [
        format!(
            "{path}:3: training.checkpoint does not match its schema: at /step: \"one\" is not of type \"integer\""
        ),
        format!(
            "{path}:4: event.schema of \"training.note\": payload_schema is not JSON text: key must be a string"
        ),
    ] {
        assert!(
            out.stdout.contains(&expected),
            "{expected:?} in\n{}",
            out.stdout
        );
    }
}

/// Needs the writer half of issue 9: `ith_provenance_runtime::schemas()` and
/// `SeedDerived::payload_schema()` in their version-2 forms (hex seeds,
/// nullable floats, `event.schema` with `describes`), which `validate`
/// uses for version-2 lines no `event.schema` line describes.
#[test]
fn a_v2_log_validates_against_the_runtimes_v2_schemas() {
    let runtime_version = ith_provenance_runtime::CONTRACT_VERSION;
    assert!(
        runtime_version >= 2,
        "the runtime still writes version {runtime_version}"
    );
    let dir = Dir::new();
    let path = dir.write("v2.ndjson", &run_v2("sess_v2", None, ROOT_V2));
    let out = provenance(&["validate", &path]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.has("contract version 2 (1 session)"));
    // A v1 seed in a v2 log is not the written form.
    let wrong = std::fs::read_to_string(&path)
        .unwrap()
        .replace(BULL_V2, BULL_V1);
    let path = dir.write("wrong.ndjson", &wrong);
    let out = provenance(&["validate", &path]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .contains(":5: algorithm.init does not match its schema: at /random_seed"),
        "{}",
        out.stdout
    );
}
