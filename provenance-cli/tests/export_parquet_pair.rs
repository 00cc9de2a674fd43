//! `provenance export parquet` writes `runs.parquet` and `events.parquet`
//! both or neither: whatever step fails (creating a table, moving the old
//! pair aside, renaming), the folder holds afterwards exactly what it held
//! before, byte for byte, with no `.partial` or `.previous` file left.
//! The failures are made by a folder standing where a file must go (tests
//! may run as root, whom file permissions do not stop).
#![cfg(feature = "parquet")]

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use provenance_test_support::provenance;
use support::handmade::Session;

const OLD_RUNS: &[u8] = b"the runs table of an earlier export";
const OLD_EVENTS: &[u8] = b"the events table of an earlier export";

/// A folder with `log.ndjson` (one finished run) and `out/` holding an
/// earlier export's pair.
fn folder_with_old_pair() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::with_one_run("sess_p", |_| {});
    std::fs::write(dir.path().join("log.ndjson"), s.text()).unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/runs.parquet"), OLD_RUNS).unwrap();
    std::fs::write(dir.path().join("out/events.parquet"), OLD_EVENTS).unwrap();
    dir
}

/// What `out/` holds: each name with its bytes (`None` for a folder).
fn listing(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes =
                (!e.file_type().unwrap().is_dir()).then(|| std::fs::read(e.path()).unwrap());
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

fn old_pair_and(obstacle: &str) -> BTreeMap<String, Option<Vec<u8>>> {
    BTreeMap::from([
        ("runs.parquet".to_string(), Some(OLD_RUNS.to_vec())),
        ("events.parquet".to_string(), Some(OLD_EVENTS.to_vec())),
        (obstacle.to_string(), None),
    ])
}

/// Makes `out/<name>` a folder that no file can replace (not empty).
fn obstruct(dir: &Path, name: &str) {
    std::fs::create_dir_all(dir.join("out").join(name).join("in-the-way")).unwrap();
}

fn export(dir: &Path) -> provenance_test_support::Outcome {
    provenance(dir, &["export", "parquet", "log.ndjson", "--out", "out"])
}

#[test]
fn a_table_that_cannot_be_written_leaves_the_old_pair_and_no_partial_file() {
    for obstacle in ["runs.parquet.partial", "events.parquet.partial"] {
        let dir = folder_with_old_pair();
        obstruct(dir.path(), obstacle);
        let out = export(dir.path());
        assert_eq!(out.code, 2, "{obstacle}: {out:?}");
        assert!(
            out.stderr
                .starts_with(&format!("provenance: cannot write out/{obstacle}: ")),
            "{obstacle}: {}",
            out.stderr
        );
        assert_eq!(out.stdout, "", "{obstacle}: nothing said written");
        assert_eq!(listing(dir.path()), old_pair_and(obstacle), "{obstacle}");
    }
}

#[test]
fn a_rename_that_fails_halfway_puts_the_old_pair_back() {
    // runs.parquet moves aside, events.parquet cannot: the first move is
    // undone.
    let dir = folder_with_old_pair();
    obstruct(dir.path(), "events.parquet.previous");
    let out = export(dir.path());
    assert_eq!(out.code, 2, "{out:?}");
    let line = out.stderr.trim_end();
    assert!(
        line.starts_with(
            "provenance: cannot write out/events.parquet.previous: cannot move the old table \
             here: "
        ),
        "{line}"
    );
    assert!(
        line.ends_with("; neither table was written, the old ones are as they were"),
        "{line}"
    );
    assert_eq!(listing(dir.path()), old_pair_and("events.parquet.previous"));
}

#[test]
fn a_folder_named_like_a_table_is_refused_before_any_work() {
    let dir = folder_with_old_pair();
    std::fs::remove_file(dir.path().join("out/events.parquet")).unwrap();
    obstruct(dir.path(), "events.parquet");
    let out = export(dir.path());
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.stderr,
        "provenance: cannot write out/events.parquet: a folder has this name; remove it or \
         choose another --out\n"
    );
    let mut expected = old_pair_and("events.parquet");
    expected.remove("events.parquet");
    expected.insert("events.parquet".into(), None);
    assert_eq!(listing(dir.path()), expected);
}

#[test]
fn a_successful_export_replaces_both_and_leaves_nothing_else() {
    let dir = folder_with_old_pair();
    let out = export(dir.path());
    assert_eq!(out.code, 0, "{out:?}");
    let after = listing(dir.path());
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        ["events.parquet", "metrics.parquet", "runs.parquet"]
    );
    for (name, bytes) in after {
        let bytes = bytes.unwrap();
        assert!(
            bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
            "{name} is a Parquet file"
        );
    }
}
