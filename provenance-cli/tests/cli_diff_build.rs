//! `diff` on the build, machine and environment parts of the context, one
//! field changed at a time in a real log's `session.start` (the four
//! changes a rebuild makes are driven from real builds in
//! `build_record.rs`).

mod support;

use provenance_test_support::provenance;
use serde_json::{Value, json};
use support::{Workspace, edit_lines};

/// A copy of `log` whose context is passed through `edit`.
fn with_context(
    ws: &Workspace,
    log: &std::path::Path,
    name: &str,
    edit: impl Fn(&mut Value),
) -> std::path::PathBuf {
    edit_lines(ws, log, name, |line| {
        let mut v: Value = serde_json::from_str(line).unwrap();
        if v["event_type"] != "session.start" {
            return line.to_string();
        }
        edit(&mut v["context"]);
        v.to_string()
    })
}

/// `diff --json` exit status, difference paths and note paths, and the text.
fn diff(
    ws: &Workspace,
    a: &std::path::Path,
    b: &std::path::Path,
) -> (i32, Vec<String>, Vec<String>, String) {
    let (a, b) = (a.display().to_string(), b.display().to_string());
    let json = provenance(ws.path(), &["diff", "--json", &a, &b]);
    let report = json.json();
    let paths = |key: &str| -> Vec<String> {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["path"].as_str().unwrap().to_string())
            .filter(|p| p != "command_line")
            .collect()
    };
    let text = provenance(ws.path(), &["diff", &a, &b]);
    (json.code, paths("differences"), paths("notes"), text.stdout)
}

#[test]
fn machine_and_environment_changes_are_named_one_by_one() {
    let ws = Workspace::new();
    let (base, _) = ws.same_pair("0x2a", &[]);
    let a = with_context(&ws, &base, "a.ndjson", |c| {
        c["host"]["cpu_model"] = json!("AMD EPYC 7B13");
        c["host"]["cpu_features"] = json!(["avx", "avx2", "fma", "sse2"]);
        c["host"]["available_parallelism"] = json!(2);
        c["env"] = json!({"HF_TOKEN": "sha256:aa", "SPLIT": null});
    });
    // (label, the edit, exit status, differences, notes, a text line)
    type Case = (
        &'static str,
        fn(&mut Value),
        i32,
        &'static [&'static str],
        &'static [&'static str],
        &'static str,
    );
    let cases: [Case; 7] = [
        (
            "cpu model",
            |c| c["host"]["cpu_model"] = json!("Intel Xeon"),
            0,
            &[],
            &["host.cpu_model"],
            "cpu AMD EPYC 7B13 → Intel Xeon",
        ),
        (
            "cpu features",
            |c| c["host"]["cpu_features"] = json!(["avx", "avx2", "avx512f", "sse2"]),
            1,
            &["host.cpu_features"],
            &[],
            "cpu features: avx512f off → on, fma on → off",
        ),
        (
            "threads",
            |c| c["host"]["available_parallelism"] = json!(16),
            1,
            &["host.available_parallelism"],
            &[],
            "threads 2 → 16",
        ),
        (
            "secret",
            |c| c["env"]["HF_TOKEN"] = json!("sha256:bb"),
            1,
            &["env.HF_TOKEN"],
            &[],
            "env HF_TOKEN sha256:aa → sha256:bb",
        ),
        (
            "named",
            |c| c["env"]["SPLIT"] = json!("test"),
            1,
            &["env.SPLIT"],
            &[],
            "env SPLIT (unset) → test",
        ),
        (
            "lock only",
            |c| c["build"]["cargo_lock"]["sha256"] = json!(format!("sha256:{}", "0".repeat(64))),
            0,
            &[],
            &["build.cargo_lock.sha256"],
            "Cargo.lock changed, same resolved dependencies",
        ),
        (
            "no build",
            |c| {
                c.as_object_mut().unwrap().remove("build");
            },
            0,
            &[],
            &["build"],
            "only A records how the program was built",
        ),
    ];
    for (label, edit, code, differences, notes, line) in cases {
        let b = with_context(&ws, &a, &format!("{label}.ndjson"), edit);
        let (got_code, got_differences, got_notes, text) = diff(&ws, &a, &b);
        assert_eq!(got_code, code, "{label}:\n{text}");
        assert_eq!(got_differences, differences, "{label}:\n{text}");
        assert_eq!(got_notes, notes, "{label}:\n{text}");
        assert!(text.contains(line), "{label}: no {line:?} in\n{text}");
    }
}

#[test]
fn logs_from_before_the_build_record_diff_as_before() {
    let ws = Workspace::new();
    let (base, again) = ws.same_pair("0x2a", &[]);
    let strip = |c: &mut Value| {
        let c = c.as_object_mut().unwrap();
        c.remove("build");
        c.remove("env");
        let host = c.get_mut("host").unwrap().as_object_mut().unwrap();
        for key in ["cpu_model", "cpu_features", "available_parallelism"] {
            host.remove(key);
        }
    };
    let a = with_context(&ws, &base, "old-a.ndjson", strip);
    let b = with_context(&ws, &again, "old-b.ndjson", strip);
    let (code, differences, notes, text) = diff(&ws, &a, &b);
    assert_eq!((code, differences.len(), notes.len()), (0, 0, 0), "{text}");
}

#[test]
fn a_dependency_change_names_the_package_not_the_lock() {
    let ws = Workspace::new();
    let (base, _) = ws.same_pair("0x2a", &[]);
    let b = with_context(&ws, &base, "bumped.ndjson", |c| {
        let deps = c["build"]["dependencies"].as_array_mut().unwrap();
        let serde = deps.iter_mut().find(|d| d["name"] == "serde_json").unwrap();
        serde["version"] = json!("9.9.9");
        deps.push(json!({"name": "zzz-new", "version": "0.1.0", "source": null}));
        c["build"]["cargo_lock"]["sha256"] = json!(format!("sha256:{}", "1".repeat(64)));
    });
    let (code, differences, notes, text) = diff(&ws, &base, &b);
    assert_eq!(code, 1, "{text}");
    assert_eq!(
        differences,
        [
            "build.dependencies.serde_json",
            "build.dependencies.zzz-new"
        ],
        "{text}"
    );
    assert!(
        notes.is_empty(),
        "the lock hash is explained by the packages: {text}"
    );
    assert!(text.contains("dependency zzz-new (none) → 0.1.0"), "{text}");
    let old = support::context(&base)["build"]["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "serde_json")
        .unwrap()["version"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains(&format!("dependency serde_json {old} → 9.9.9")),
        "{text}"
    );
}
