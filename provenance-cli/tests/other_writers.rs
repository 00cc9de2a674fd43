//! Logs written by other programs that follow docs/CONTRACT.md validate
//! without `event.schema` lines: a 27-line Python script
//! (`fixtures/python_writer.py`, standard library only), the original
//! Python module's `data.load` / `algorithm.init` events, and either one
//! sharing stdout with the program's own output.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use provenance_test_support::provenance;
use provenance_test_support::readers::skip_unless_required;
use support::Workspace;

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// The Python writer's log, or `None` (saying so) when python3 is missing;
/// under `PROVENANCE_READERS_REQUIRED=1` a missing python3 fails the test.
fn python_log() -> Option<String> {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/python_writer.py"
    );
    match Command::new("python3").arg(script).output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let log = String::from_utf8(out.stdout).unwrap();
            assert!(
                !log.contains("event.schema"),
                "the script writes no schema lines"
            );
            Some(log)
        }
        Err(e) => {
            skip_unless_required("other_writers", &format!("python3 cannot run ({e})"));
            None
        }
    }
}

#[test]
fn a_python_scripts_log_validates_and_summarizes() {
    let ws = Workspace::new();
    let Some(log) = python_log() else { return };
    let path = ws.write("python.ndjson", &log);
    let out = provenance(ws.path(), &["validate", s(&path)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let out = provenance(ws.path(), &["summary", s(&path)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // The seed as written, which PROVENANCE_SEED takes as it is.
    assert!(out.stdout.contains("0xfffffffffffffffe"), "{}", out.stdout);
}

/// `log` with `from` replaced by `to`, saved as `name`, fails validation
/// with a message naming `name:line:` and `field`.
fn assert_rejected(
    ws: &Workspace,
    log: &str,
    (from, to): (&str, &str),
    name: &str,
    line: u32,
    field: &str,
) {
    let bad = log.replacen(from, to, 1);
    assert_ne!(bad, log, "{from} is in the log");
    let path = ws.write(name, &bad);
    let out = provenance(ws.path(), &["validate", s(&path)]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(
        all.contains(&format!("{name}:{line}:")) && all.contains(field),
        "{all}"
    );
}

#[test]
fn a_wrong_type_in_a_built_in_field_is_caught_without_a_schema_line() {
    let ws = Workspace::new();
    let Some(log) = python_log() else { return };
    let row_count = ("\"row_count\":4", "\"row_count\":\"4\"");
    assert_rejected(&ws, &log, row_count, "bad.ndjson", 2, "row_count");
    // A seed as an integer is not the contract's form in version 2.
    let seed = (
        "\"random_seed\":\"0xfffffffffffffffe\"",
        "\"random_seed\":18446744073709551614",
    );
    assert_rejected(&ws, &log, seed, "seed.ndjson", 3, "random_seed");
}

#[test]
fn the_original_modules_events_validate() {
    // Only the original module's fields, its integer seed, contract 1.
    let ws = Workspace::new();
    let session = "sess_original_0001";
    let ts = "2026-12-02T10:00:00.000000Z";
    let lines = [
        format!(
            r#"{{"ts":"{ts}","event_type":"session.start","session_id":"{session}","seq":0,"contract_version":1,"context":{{"session_id":"{session}","start_time":"{ts}","root_seed":{{"seed":42,"source":"explicit"}},"git":{{"sha":null}}}}}}"#
        ),
        format!(
            r#"{{"ts":"{ts}","event_type":"data.load","session_id":"{session}","seq":1,"source_path":"data/nav.csv","sha256_hash":"sha256:{}","row_count":6,"column_count":1,"columns":["nav"],"value_range":[0.99,1.12]}}"#,
            "9b".repeat(32)
        ),
        format!(
            r#"{{"ts":"{ts}","event_type":"algorithm.init","session_id":"{session}","seq":2,"algorithm_name":"bull_ith","version":"1.0.0","random_seed":42,"config":{{"hurdle":0.05}},"input_hash":null}}"#
        ),
    ];
    let path = ws.write("original.ndjson", &(lines.join("\n") + "\n"));
    let out = provenance(ws.path(), &["validate", s(&path)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // Without one of the original's own fields, it does not.
    let missing = lines[1].replace(r#","row_count":6"#, "");
    let path = ws.write("missing.ndjson", &format!("{}\n{missing}\n", lines[0]));
    let out = provenance(ws.path(), &["validate", s(&path)]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(format!("{}{}", out.stdout, out.stderr).contains("row_count"));
}

/// The Python log with the program's own output between its lines, as
/// `PROVENANCE_LOG=stdout` gives it.
fn mixed(ws: &Workspace, log: &str) -> PathBuf {
    let mut text = String::from("loading nav.json\n");
    for (i, line) in log.lines().enumerate() {
        text.push_str(line);
        text.push('\n');
        if i == 2 {
            text.push_str("\n  epoch 1 at bar 3\n");
        }
    }
    text.push_str("[done] 1 epoch\n");
    ws.write("mixed.ndjson", &text)
}

#[test]
fn a_stream_shared_with_program_output_is_read_and_its_other_lines_counted() {
    let ws = Workspace::new();
    let Some(log) = python_log() else { return };
    let path = mixed(&ws, &log);
    for verb in ["validate", "summary"] {
        let out = provenance(ws.path(), &[verb, s(&path)]);
        assert_eq!(out.code, 0, "{verb}: {}{}", out.stdout, out.stderr);
        let all = format!("{}{}", out.stdout, out.stderr);
        // Four lines that are not JSON: two of text, an empty one, an indented one.
        assert!(all.contains("4 non-JSON lines"), "{verb}: {all}");
    }
    // The same session without the other lines: nothing differs.
    let pure = ws.write("pure.ndjson", &log);
    let out = provenance(ws.path(), &["diff", s(&pure), s(&path)]);
    assert_eq!(out.code, 0, "diff: {}{}", out.stdout, out.stderr);
    // A broken log line (it starts with `{`) still fails validation.
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"ts\":\"2026-12-02T10:00:00.000000Z\",\"event_type\":\n");
    let broken = ws.write("broken.ndjson", &text);
    let out = provenance(ws.path(), &["validate", s(&broken)]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(format!("{}{}", out.stdout, out.stderr).contains("broken.ndjson:"));
}
