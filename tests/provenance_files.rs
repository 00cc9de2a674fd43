//! `#[fingerprint(file)]` inputs and `#[provenance(output_file)]` outputs:
//! real files, read back from the log.
//!
//! The installed log is process-global, so the tests take turns.
mod installed_support;

use std::path::{Path, PathBuf};

use installed_support::{cwd, logged, of_type, turn};
use ith_provenance::{Sha256Hash, provenance};
use serde_json::{Value, json};

const PRICES: &[u8] = b"t,close\n0,101.5\n1,102.0\n";

/// Reads its input, writes its output, returns the output's path.
#[provenance(output_file)]
fn count_rows(#[fingerprint(file)] prices: &Path, out_dir: &Path) -> std::io::Result<PathBuf> {
    let rows = std::fs::read_to_string(prices)?.lines().count() - 1;
    let out = out_dir.join("rows.txt");
    std::fs::write(&out, format!("{rows}\n"))?;
    Ok(out)
}

#[test]
fn a_file_input_and_an_output_file_are_recorded() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("prices.csv");
    std::fs::write(&input, PRICES).unwrap();
    let lines = logged(|| {
        let out = count_rows(&input, dir.path()).unwrap();
        assert_eq!(std::fs::read_to_string(out).unwrap(), "2\n");
    });
    let hash = Sha256Hash::of(PRICES).to_string();

    let init = of_type(&lines, "algorithm.init")[0];
    assert_eq!(init["input_hash"], hash.as_str());

    let load = of_type(&lines, "data.load")[0];
    assert_eq!(load["run_id"], "count_rows#1");
    assert_eq!(load["source_path"], input.display().to_string());
    assert_eq!(load["sha256_hash"], hash.as_str());
    assert_eq!(load["size_bytes"], PRICES.len());
    assert_eq!(load["working_dir"], cwd().as_str());
    assert_eq!(load["input_name"], "prices");
    assert_eq!(
        (&load["row_count"], &load["column_count"], &load["columns"]),
        (&json!(0), &json!(0), &json!([]))
    );
    assert_eq!(load["dtype"], Value::Null);

    let save = of_type(&lines, "data.save")[0];
    let out = dir.path().join("rows.txt");
    assert_eq!(save["run_id"], "count_rows#1");
    assert_eq!(save["target_path"], out.display().to_string());
    assert_eq!(save["sha256_hash"], Sha256Hash::of(b"2\n").to_string());
    assert_eq!(save["size_bytes"], 2);
    assert_eq!(save["output_name"], "rows.txt");

    let result = of_type(&lines, "algorithm.result")[0];
    assert_eq!(result["status"], "ok");
    assert_eq!(
        result["outputs"],
        json!([{"target_path": save["target_path"], "sha256_hash": save["sha256_hash"]}])
    );
}

/// Every path type, each recorded under its argument's name.
#[provenance]
fn four_kinds(
    #[fingerprint(file)] a: PathBuf,
    #[fingerprint(file)] b: &str,
    #[fingerprint(file)] c: String,
    #[fingerprint(file)] d: &&Path,
) -> usize {
    a.as_os_str().len() + b.len() + c.len() + d.as_os_str().len()
}

#[test]
fn every_path_type_is_recorded_under_its_name() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = (0..4)
        .map(|i| {
            let path = dir.path().join(format!("in{i}.txt"));
            std::fs::write(&path, "x".repeat(i + 1)).unwrap();
            path
        })
        .collect();
    let text = |i: usize| paths[i].to_str().unwrap().to_string();
    let lines = logged(|| {
        four_kinds(paths[0].clone(), &text(1), text(2), &paths[3].as_path());
    });
    let loads = of_type(&lines, "data.load");
    let names: Vec<&Value> = loads.iter().map(|l| &l["input_name"]).collect();
    assert_eq!(names, [&json!("a"), &json!("b"), &json!("c"), &json!("d")]);
    let sizes: Vec<&Value> = loads.iter().map(|l| &l["size_bytes"]).collect();
    assert_eq!(sizes, [&json!(1), &json!(2), &json!(3), &json!(4)]);
    // Several inputs: no single input_hash.
    assert_eq!(
        of_type(&lines, "algorithm.init")[0]["input_hash"],
        Value::Null
    );
}

#[provenance]
fn tolerant(#[fingerprint(file)] config: &Path) -> Result<bool, String> {
    Ok(config.exists())
}

#[test]
fn a_missing_input_file_runs_the_body_and_ends_the_run_as_an_error_naming_it() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("absent.toml");
    let lines = logged(|| assert_eq!(tolerant(&missing), Ok(false)));
    assert!(of_type(&lines, "data.load").is_empty());
    let result = of_type(&lines, "algorithm.result")[0];
    assert_eq!(result["status"], "error");
    let error = result["error"].as_str().unwrap();
    assert!(
        error.starts_with(
            "the #[fingerprint(file)] argument `config` was not recorded: cannot read "
        ),
        "{error}"
    );
    assert!(error.contains("absent.toml"), "{error}");
}

#[provenance(output_file)]
fn failing_writer(fail: bool, dir: &Path) -> Result<String, String> {
    if fail {
        return Err("disk full".into());
    }
    Ok(dir.join("never-written.bin").display().to_string())
}

#[test]
fn an_err_records_no_output_and_a_missing_output_ends_the_run_as_an_error() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let lines = logged(|| {
        assert!(failing_writer(true, dir.path()).is_err());
        assert!(failing_writer(false, dir.path()).is_ok());
    });
    assert!(of_type(&lines, "data.save").is_empty());
    let results = of_type(&lines, "algorithm.result");
    assert_eq!(
        (&results[0]["error"], &results[0]["outputs"]),
        (&json!("disk full"), &json!([]))
    );
    assert_eq!(results[1]["status"], "error");
    let error = results[1]["error"].as_str().unwrap();
    assert!(
        error.starts_with("the output_file returned was not recorded: cannot read "),
        "{error}"
    );
    assert!(error.contains("never-written.bin"), "{error}");
}

#[provenance(output_file)]
async fn write_async(dir: PathBuf) -> PathBuf {
    let out = dir.join("async.txt");
    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    std::fs::write(&out, "a").unwrap();
    out
}

#[test]
fn an_async_function_records_its_output_file() {
    let _turn = turn();
    let dir = tempfile::tempdir().unwrap();
    let lines = logged(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(write_async(dir.path().to_path_buf()));
    });
    let save = of_type(&lines, "data.save")[0];
    assert_eq!(save["run_id"], "write_async#1");
    assert_eq!(save["output_name"], "async.txt");
    let result = of_type(&lines, "algorithm.result")[0];
    assert_eq!(result["outputs"].as_array().unwrap().len(), 1);
}
