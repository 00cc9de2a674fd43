//! `ith_provenance::record_output`: a real file, fingerprinted, written as
//! `data.save` and listed in its run's `algorithm.result`, read back from
//! the log.
//!
//! The installed log is process-global, so the tests take turns.
mod installed_support;

use std::path::Path;

use installed_support::{cwd, logged, of_type, turn};
use ith_provenance::{Error, Sha256Hash, log::LogError, provenance, record_output};
use serde_json::json;

#[provenance]
fn write_two(dir: &Path) -> ith_provenance::Result<()> {
    let epochs = dir.join("epochs.csv");
    std::fs::write(&epochs, "epoch\n1\n2\n").unwrap();
    let fp = record_output(&epochs)?;
    assert_eq!(fp.sha256, Sha256Hash::of(b"epoch\n1\n2\n"));
    let summary = dir.join("summary.json");
    std::fs::write(&summary, "{}").unwrap();
    record_output(&summary)?;
    Ok(())
}

#[test]
fn inside_a_run_each_output_is_a_data_save_listed_in_the_result() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let lines = logged(|| write_two(dir.path()).unwrap());
    let saves = of_type(&lines, "data.save");
    assert_eq!(saves.len(), 2);
    let epochs = dir.path().join("epochs.csv").display().to_string();
    let first = saves[0].as_object().unwrap();
    assert_eq!(first["run_id"], "write_two#1");
    assert_eq!(first["target_path"], epochs.as_str());
    assert_eq!(
        first["sha256_hash"],
        Sha256Hash::of(b"epoch\n1\n2\n").to_string()
    );
    assert_eq!(first["size_bytes"], 10);
    assert_eq!(first["output_name"], "epochs.csv");
    assert_eq!(first["working_dir"], cwd().as_str());

    let result = of_type(&lines, "algorithm.result")[0];
    assert_eq!(result["status"], "ok");
    assert_eq!(
        result["outputs"],
        json!([
            {"target_path": saves[0]["target_path"], "sha256_hash": saves[0]["sha256_hash"]},
            {"target_path": saves[1]["target_path"], "sha256_hash": saves[1]["sha256_hash"]},
        ])
    );
}

#[provenance]
fn write_then_fail(dir: &Path) -> Result<(), String> {
    let out = dir.join("partial.bin");
    std::fs::write(&out, [0u8, 1, 2]).unwrap();
    record_output(&out).map_err(|e| e.to_string())?;
    Err("diverged".into())
}

#[test]
fn a_run_that_fails_still_lists_what_it_wrote() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let lines = logged(|| assert!(write_then_fail(dir.path()).is_err()));
    let result = of_type(&lines, "algorithm.result")[0];
    assert_eq!(result["status"], "error");
    assert_eq!(result["outputs"].as_array().unwrap().len(), 1);
}

#[provenance]
fn write_nothing() {}

#[test]
fn a_run_without_outputs_lists_none() {
    let _turn = turn();
    let lines = logged(write_nothing);
    assert_eq!(of_type(&lines, "algorithm.result")[0]["outputs"], json!([]));
}

#[provenance]
fn record_missing(dir: &Path) -> String {
    record_output(dir.join("never-written.csv"))
        .unwrap_err()
        .to_string()
}

#[test]
fn a_missing_file_is_an_error_naming_it_and_nothing_is_written() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let mut message = String::new();
    let lines = logged(|| message = record_missing(dir.path()));
    assert!(message.starts_with("cannot read "), "{message}");
    assert!(message.contains("never-written.csv"), "{message}");
    assert!(of_type(&lines, "data.save").is_empty());
    assert_eq!(of_type(&lines, "algorithm.result")[0]["outputs"], json!([]));
}

#[test]
fn a_relative_path_is_written_absolute_beside_the_working_dir() {
    let _turn = turn();
    let dir = tempfile::Builder::new()
        .prefix("record-output-")
        .tempdir_in(".")
        .unwrap();
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    let relative = Path::new(name).join("rel.txt");
    std::fs::write(&relative, "x").unwrap();
    let lines = logged(|| {
        record_output(&relative).unwrap();
    });
    let save = of_type(&lines, "data.save")[0];
    let expected = std::env::current_dir().unwrap().join(&relative);
    assert_eq!(save["target_path"], expected.display().to_string());
    assert_eq!(save["working_dir"], cwd().as_str());
}

#[test]
fn outside_a_run_it_writes_a_session_line_to_the_installed_log() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.txt");
    std::fs::write(&path, "ok\n").unwrap();
    let lines = logged(|| {
        let fp = record_output(&path).unwrap();
        assert_eq!(fp.size_bytes, 3);
    });
    let save = of_type(&lines, "data.save")[0];
    assert!(save.get("run_id").is_none());
    assert_eq!(save["output_name"], "report.txt");
}

#[test]
fn outside_a_run_without_a_log_it_is_an_error_saying_so() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.txt");
    std::fs::write(&path, "ok\n").unwrap();
    let err = record_output(&path).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Log(LogError::NoLog {
                event_type: "data.save"
            })
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("no event log is installed"),
        "{err}"
    );
}
