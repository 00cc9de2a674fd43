//! Bad input through the real binary: every case gets a clear message, the
//! documented exit code (0 fine, 1 a finding, 2 an error) and no panic.

use std::path::{Path, PathBuf};
use std::process::Command;

use provenance_test_support::{Outcome, logs, provenance_binary};

/// `provenance args`, which must not panic.
fn provenance(args: &[&Path]) -> Outcome {
    provenance_test_support::provenance(Path::new("."), args).no_panic(args)
}

fn verb(verb: &str, files: &[&Path]) -> Outcome {
    let mut args = vec![Path::new(verb)];
    args.extend_from_slice(files);
    provenance(&args)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn assert_has(run: &Outcome, text: &str) {
    assert!(
        run.stdout.contains(text) || run.stderr.contains(text),
        "expected {text:?} in\nstdout: {}\nstderr: {}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn a_truncated_last_line() {
    let dir = tempfile::tempdir().unwrap();
    let full = logs::ith_epochs().as_bytes();
    let log = write(dir.path(), "cut.ndjson", &full[..full.len() - 40]);
    let v = verb("validate", &[&log]);
    assert_eq!(v.code, 1);
    assert_has(&v, "cut.ndjson:25: truncated last line (EOF while parsing");
    assert_has(&v, "the writer stopped mid-line, e.g. killed");
    // summary still summarizes the 24 good lines, and names the cut one.
    let s = verb("summary", &[&log]);
    assert_eq!(s.code, 0);
    assert_has(&s, "invalid   1 line(s), 1 problem(s):");
    assert_has(&s, "cut.ndjson:25: truncated last line");
}

#[test]
fn binary_garbage() {
    let dir = tempfile::tempdir().unwrap();
    // Deterministic noise with newlines and NULs in it, as an executable, a
    // Parquet table or a compressed log holds.
    let mut x: u32 = 12345;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    // No line of it starts with `{`, and its first KiB is not text: every
    // verb names it as not a log, in one line, and stops (exit 2), rather
    // than skipping its lines as a program's output.
    let log = write(dir.path(), "noise.bin", &noise);
    let name = log.display().to_string();
    let hash = format!("sha256:{}", "e".repeat(64));
    let export = [Path::new("export"), Path::new("openlineage"), &log];
    let runs = [
        verb("validate", &[&log]),
        verb("summary", &[&log]),
        verb("schema", &[&log]),
        verb("verify", &[&log]),
        verb("runs", &[&log]),
        verb("diff", &[&log, &log]),
        verb("why", &[Path::new(&hash), &log]),
        verb("rerun", &[&log]),
        provenance(&export),
    ];
    for run in runs {
        assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr,
            format!(
                "provenance: {name} is not a log: bytes that are not UTF-8 at byte offset 0 in \
                 its first KiB, outside any line starting with {{; a log is NDJSON text, one \
                 JSON object a line\n"
            )
        );
    }
    // A Parquet table's start: text-like bytes, then a NUL.
    let table = write(
        dir.path(),
        "runs.parquet",
        b"PAR1\x15\x04\x15\x00\x15\n{}\n",
    );
    for name in ["validate", "runs"] {
        let run = verb(name, &[&table]);
        assert_eq!(run.code, 2, "{name}");
        assert_has(
            &run,
            "runs.parquet is not a log: a NUL byte at byte offset 7 in its first KiB",
        );
    }
    // The same noise after a `{` on every line: broken log lines, each named.
    let braced: Vec<u8> = noise
        .split(|&b| b == b'\n')
        .flat_map(|line| [&b"{"[..], line, b"\n"].concat())
        .collect();
    let log = write(dir.path(), "braced.bin", &braced);
    let v = verb("validate", &[&log]);
    assert_eq!(v.code, 1);
    assert_has(&v, "braced.bin:1: not UTF-8 (bad byte at column");
    assert!(!v.stdout.contains("skipped"), "{}", v.stdout);
}

#[test]
fn invalid_utf8_in_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes: Vec<u8> = logs::ith_epochs()
        .lines()
        .take(3)
        .collect::<Vec<_>>()
        .join("\n")
        .into();
    bytes.extend_from_slice(b"\n{\"ts\":\"\xff\xfe\"}\n");
    let log = write(dir.path(), "latin1.ndjson", &bytes);
    let v = verb("validate", &[&log]);
    assert_eq!(v.code, 1);
    assert_has(&v, "latin1.ndjson:4: not UTF-8 (bad byte at column 8)");
    let s = verb("summary", &[&log]);
    assert_eq!(s.code, 0);
    assert_has(&s, "latin1.ndjson:4: not UTF-8 (bad byte at column 8)");
}

#[test]
fn a_100_mb_single_line() {
    let dir = tempfile::tempdir().unwrap();
    let len: usize = 100 << 20;
    let mut line = Vec::with_capacity(len + 1);
    line.extend_from_slice(b"{\"a\":\"");
    line.resize(len - 2, b'x');
    line.extend_from_slice(b"\"}\n");
    let log = write(dir.path(), "huge.ndjson", &line);
    drop(line);
    let expected = format!(
        "huge.ndjson:1: line is {len} bytes, longer than the 16777216-byte limit \
         (--max-line-bytes); skipped"
    );
    for name in ["validate", "summary"] {
        let run = verb(name, &[&log]);
        assert_eq!(run.code, 1, "{name}");
        assert_has(&run, &expected);
        // Memory: the line is measured, never held. GNU time reports the
        // peak; where it is missing, the message above is the check.
        let time = Path::new("/usr/bin/time");
        if time.exists() {
            let out = Command::new(time)
                .args(["-f", "%M"])
                .arg(provenance_binary())
                .arg(name)
                .arg(&log)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let peak_kib: u64 = stderr.lines().last().unwrap().trim().parse().unwrap();
            assert!(
                peak_kib < 48 << 10,
                "{name} peaked at {peak_kib} KiB on a 100 MB line"
            );
        }
    }
}

#[test]
fn an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "empty.ndjson", b"");
    for name in ["validate", "summary"] {
        let run = verb(name, &[&log]);
        assert_eq!(run.code, 1, "{name}");
        assert_has(
            &run,
            "empty.ndjson: empty log (no lines; a log starts with session.start)",
        );
    }
}

/// `runs` and `report` list the runs they can read and say on stderr what
/// they could not: an empty file, a text file with no log line, a log with
/// a torn line in its middle (its runs still listed). A good log alone
/// draws no warning.
#[test]
fn runs_and_report_name_the_files_and_lines_they_could_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let full = logs::ith_epochs();
    let lines: Vec<&str> = full.lines().collect();
    // Line 11 cut in half: it is broken, and the next one says a line is
    // missing before it.
    let mut torn = lines[..10].join("\n") + "\n";
    torn.push_str(&lines[10][..lines[10].len() / 2]);
    torn.push('\n');
    torn.push_str(&lines[11..].join("\n"));
    torn.push('\n');
    let good = write(dir.path(), "good.ndjson", full.as_bytes());
    let torn = write(dir.path(), "torn.ndjson", torn.as_bytes());
    let empty = write(dir.path(), "empty.ndjson", b"");
    let text = write(dir.path(), "notes.ndjson", b"hello world\nsecond line\n");

    let alone = verb("runs", &[&good]);
    assert_eq!((alone.code, alone.stderr.as_str()), (0, ""));
    let rows = alone.stdout.lines().count();
    let run = verb("runs", &[&good, &torn, &empty, &text]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout.lines().count(), rows * 2 - 1, "{}", run.stdout);
    for said in [
        format!(
            "provenance: warning: {}: 2 line(s) not as the contract says (torn by a kill, broken \
             or foreign): what they hold is left out; `provenance validate {}` lists them",
            torn.display(),
            torn.display()
        ),
        format!(
            "provenance: warning: {}: empty log (no lines; a log starts with session.start): no \
             run in it",
            empty.display()
        ),
        format!(
            "provenance: warning: {}: not a log: none of its 2 line(s) starts with {{ (a log \
             starts with session.start)",
            text.display()
        ),
    ] {
        assert!(run.stderr.contains(&said), "{said}\nin:\n{}", run.stderr);
    }
    assert_eq!(run.stderr.lines().count(), 3, "{}", run.stderr);

    let page = dir.path().join("page.html");
    let report = provenance(&[Path::new("report"), &text, Path::new("-o"), &page]);
    assert_eq!(report.code, 0);
    assert_has(&report, "notes.ndjson: not a log: none of its 2 line(s)");

    for file in [&empty, &text] {
        let v = verb("validate", &[file]);
        assert_eq!(v.code, 1);
        assert_has(&v, "invalid: no log line in 1 file(s) (1 problem(s))");
    }
}

#[test]
fn a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("nowhere.ndjson");
    for name in ["validate", "summary"] {
        let run = verb(name, &[&log]);
        assert_eq!(run.code, 2, "{name}");
        assert_has(&run, "provenance: cannot open ");
        assert_has(&run, "nowhere.ndjson: No such file or directory");
    }
}

#[test]
fn a_directory_without_logs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.txt", b"not a log\n");
    for name in ["validate", "summary"] {
        let run = verb(name, &[dir.path()]);
        assert_eq!(run.code, 2, "{name}");
        assert_has(
            &run,
            "no *.ndjson or *.jsonl file in this directory or below",
        );
    }
}

#[test]
fn a_directory_is_searched_recursively() {
    let dir = tempfile::tempdir().unwrap();
    let other = logs::ith_epochs().replace(logs::session_id(), "sess_other");
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::create_dir_all(dir.path().join("b/deeper")).unwrap();
    write(
        &dir.path().join("a"),
        "one.ndjson",
        logs::ith_epochs().as_bytes(),
    );
    write(&dir.path().join("b/deeper"), "two.jsonl", other.as_bytes());
    write(dir.path(), "notes.txt", b"not a log\n");
    let v = verb("validate", &[dir.path()]);
    assert_eq!(v.code, 0, "{}{}", v.stdout, v.stderr);
    assert_has(&v, "valid: 50 line(s), 2 session(s) in 2 file(s)");
    let s = verb("summary", &[dir.path()]);
    assert_eq!(s.code, 0, "{}{}", s.stdout, s.stderr);
    assert_has(&s, logs::session_id());
    assert_has(&s, "sess_other");
    // A log named beside its folder is the same file given twice: said so.
    let one = dir.path().join("a/one.ndjson");
    let v = verb("validate", &[dir.path(), &one]);
    assert_eq!(v.code, 1, "{}", v.stdout);
    assert_has(&v, "given twice: read once");
}

#[test]
fn a_newer_contract_version() {
    let dir = tempfile::tempdir().unwrap();
    let text = logs::ith_epochs().replacen("\"contract_version\":1", "\"contract_version\":3", 1);
    let log = write(dir.path(), "v3.ndjson", text.as_bytes());
    // Refused by every verb, validate and summary too: exit 2, one line
    // (cli_log_truth.rs runs them all).
    for verb_name in ["validate", "summary", "diff", "verify"] {
        let mut files = vec![log.as_path()];
        if verb_name == "diff" {
            files.push(log.as_path());
        }
        let run = verb(verb_name, &files);
        assert_eq!(run.code, 2, "{verb_name}");
        assert_eq!(run.stdout, "", "{verb_name}");
        assert_has(
            &run,
            &format!(
                "v3.ndjson: session {} follows contract version 3, newer than the version 2 \
                 this tool reads; upgrade ith-provenance-cli",
                logs::session_id()
            ),
        );
    }
}

#[test]
fn the_same_file_given_twice() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "run.ndjson", logs::ith_epochs().as_bytes());
    let again = dir.path().join(".").join("run.ndjson");
    for name in ["validate", "summary"] {
        let run = verb(name, &[&log, &again]);
        assert_has(&run, "given twice: read once");
        // Read once: no line is reported as repeated.
        assert!(
            !run.stdout.contains("repeated or out of order")
                && !run.stdout.contains("a repeated line"),
            "{}",
            run.stdout
        );
        assert_eq!(run.code, if name == "validate" { 1 } else { 0 }, "{name}");
    }
}

#[test]
fn a_copy_of_a_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "run.ndjson", logs::ith_epochs().as_bytes());
    let copy = write(dir.path(), "copy.ndjson", logs::ith_epochs().as_bytes());
    let expected = format!(
        "copy.ndjson:1: session {} was already read from {}: the same session in two logs \
         (a copy?); its lines are counted together",
        logs::session_id(),
        log.display()
    );
    let v = verb("validate", &[&log, &copy]);
    assert_eq!(v.code, 1);
    assert_has(&v, &expected);
    let s = verb("summary", &[&log, &copy]);
    assert_eq!(s.code, 0);
    assert_has(&s, &format!("also in {}", copy.display()));
}

/// A log that loads a new batch on every line: inputs are kept up to a
/// limit (and counted beyond it), in time linear in the lines.
#[test]
fn a_new_input_on_every_line_is_capped_not_quadratic() {
    let dir = tempfile::tempdir().unwrap();
    let session = "sess_20261125_104611_123456_9f3a2c1e0b7d";
    let mut log = format!(
        "{{\"ts\":\"2026-11-25T10:46:11.126706Z\",\"event_type\":\"session.start\",\"session_id\":\"{session}\",\"seq\":0,\"contract_version\":1,\"context\":{{\"session_id\":\"{session}\"}}}}\n"
    );
    let batches = ith_provenance_cli::__private::MAX_INPUTS + 2_000;
    for i in 1..=batches {
        log.push_str(&format!(
            "{{\"ts\":\"2026-11-25T10:46:11.126706Z\",\"event_type\":\"data.load\",\"session_id\":\"{session}\",\"seq\":{i},\"source_path\":\"batch\",\"sha256_hash\":\"sha256:{i:064x}\",\"input_name\":\"batch\"}}\n"
        ));
    }
    let path = dir.path().join("batches.jsonl");
    std::fs::write(&path, log).unwrap();
    let scan = ith_provenance_cli::__private::scan(
        &[path],
        &ith_provenance_cli::__private::ScanOptions::default(),
        ith_provenance_cli::__private::Schemas::default(),
    )
    .unwrap();
    let s = &scan.sessions[0];
    assert_eq!(s.inputs.len(), ith_provenance_cli::__private::MAX_INPUTS);
    assert_eq!(s.inputs_omitted, 2_000);
    assert_eq!(s.inputs[0].name, "batch");
    assert_eq!(s.inputs[1].name, "batch#2");
    assert_eq!(s.inputs[9_999].name, "batch#10000");
}
