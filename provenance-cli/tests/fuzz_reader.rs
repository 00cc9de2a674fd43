//! Fuzzing the reader, the line checks and the verbs with proptest:
//! arbitrary bytes, and a real valid log cut, flipped, padded with bad
//! bytes, with lines removed, repeated or made huge. Nothing panics, exit
//! codes stay in {0, 1, 2}, a broken log is reported as broken, and the
//! fast path reports exactly what the reference path (serde_json `Value` +
//! the jsonschema crate) reports.
//!
//! Failures proptest finds are kept in `proptest-regressions/` and each
//! crash found becomes a named test at the end of this file.

use std::path::Path;

use ith_provenance_cli::__private::{
    SNIFF_BYTES, Scan, ScanOptions, binary_reason, scan_bytes, scan_bytes_reference,
};
use ith_provenance_cli::cli;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use provenance_test_support::logs;

fn options(max_line: usize) -> ScanOptions {
    ScanOptions {
        check_schemas: true,
        check_form: true,
        max_line,
        max_findings: 1000,
    }
}

/// Scans with the fast path and the reference path; they must agree on
/// everything a verb prints.
fn scan_both(bytes: &[u8], max_line: usize) -> Scan {
    let fast = scan_bytes(bytes, &options(max_line));
    let reference = scan_bytes_reference(bytes, &options(max_line));
    assert_eq!(
        serde_json::to_value(&fast).unwrap(),
        serde_json::to_value(&reference).unwrap(),
        "fast and reference scans differ on {:?}",
        String::from_utf8_lossy(bytes)
    );
    fast
}

fn is_valid(scan: &Scan) -> bool {
    ith_provenance_cli::__private::is_valid(scan)
}

/// Runs a verb on `bytes` written to a file; returns (code, stdout, stderr).
fn run_verb(verb: &str, bytes: &[u8], extra: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.ndjson");
    std::fs::write(&path, bytes).unwrap();
    run_on(verb, &path, extra)
}

fn run_on(verb: &str, path: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args: Vec<std::ffi::OsString> = vec!["provenance".into(), verb.into()];
    args.extend(extra.iter().map(Into::into));
    args.push(path.into());
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run(args, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// Every verb on `bytes`: no panic, a documented exit code; `validate`
/// agrees with the library scan.
fn all_verbs(bytes: &[u8], max_line: usize) -> Scan {
    let scan = scan_both(bytes, max_line);
    let limit = max_line.to_string();
    let read = ["--max-line-bytes", limit.as_str()];
    let (code, out, err) = run_verb("validate", bytes, &read);
    // A file whose first KiB is binary is refused before any line is read.
    let binary = binary_reason(&bytes[..bytes.len().min(SNIFF_BYTES)]).is_some();
    let expected = match (binary, is_valid(&scan)) {
        (true, _) => 2,
        (false, true) => 0,
        (false, false) => 1,
    };
    assert_eq!(code, expected, "validate: {out}{err}");
    if binary {
        assert!(err.contains("is not a log: "), "{err}");
    }
    for verb in ["summary", "schema"] {
        let (code, out, err) = run_verb(verb, bytes, &read);
        assert!(matches!(code, 0..=2), "{verb} exited {code}: {out}{err}");
        assert!(!err.contains("panicked"), "{verb}: {err}");
    }
    scan
}

fn real_log() -> Vec<u8> {
    logs::ith_epochs().as_bytes().to_vec()
}

fn lines_of(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

fn gaps(scan: &Scan) -> Vec<(u64, u64)> {
    scan.sessions.iter().flat_map(|s| s.gaps.clone()).collect()
}

/// A log of `n` data.load lines after its header: more of the fast path.
fn data_log(n: u64) -> Vec<u8> {
    logs::data_loads(n)
}

/// 256 cases per property, or `PROPTEST_CASES` for a longer hunt.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

/// proptest's default (a file beside the source) cannot find a `lib.rs`
/// from `tests/`; failures go to `proptest-regressions/` of the package.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/fuzz_reader.txt",
        ))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000), max in 1usize..4096) {
        all_verbs(&bytes, max);
    }

    #[test]
    fn arbitrary_json_like_text(text in "[{}\\[\\]\":,0-9a-z.eE+\\-\\\\ \n\u{0}\u{e9}]{0,400}") {
        all_verbs(text.as_bytes(), 1 << 20);
    }

    #[test]
    fn truncated_anywhere(at in 0usize..100_000) {
        let full = real_log();
        let at = at % full.len();
        let cut = &full[..at];
        let scan = all_verbs(cut, 1 << 20);
        // A prefix that ends at a line's end is a valid (shorter) log;
        // anything else has a cut last line.
        let whole_lines = at > 0 && full[at - 1] == b'\n';
        prop_assert_eq!(is_valid(&scan), whole_lines);
    }

    #[test]
    fn one_byte_flipped(at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut bytes = real_log();
        let i = at.index(bytes.len());
        bytes[i] ^= 1 << bit;
        all_verbs(&bytes, 1 << 20);
    }

    #[test]
    fn bytes_inserted(
        at in any::<prop::sample::Index>(),
        insert in prop::collection::vec(
            prop_oneof![Just(0u8), Just(0xff), Just(0xc3), Just(0xe2), Just(b'\n'), Just(b'"'), Just(b'{'), any::<u8>()],
            1..8,
        ),
    ) {
        let mut bytes = real_log();
        let i = at.index(bytes.len() + 1);
        bytes.splice(i..i, insert.iter().copied());
        all_verbs(&bytes, 1 << 20);
    }

    #[test]
    fn invalid_utf8_or_nul_is_reported(at in any::<prop::sample::Index>(), bad in prop_oneof![Just(&b"\xff"[..]), Just(&b"\xc3("[..]), Just(&b"\x00"[..]), Just(&b"\xed\xa0\x80"[..])]) {
        let mut bytes = real_log();
        // Inside a line, after its `{` (a line that does not start with one
        // is a program's output, skipped), not replacing a newline.
        let i = at.index(bytes.len());
        let i = if bytes[i] == b'\n' { i.saturating_sub(1) } else { i };
        let i = if i == 0 || bytes[i - 1] == b'\n' { i + 1 } else { i };
        bytes.splice(i..i, bad.iter().copied());
        let scan = all_verbs(&bytes, 1 << 20);
        prop_assert!(!is_valid(&scan));
    }

    #[test]
    fn a_removed_line_is_a_gap(which in any::<prop::sample::Index>(), n in 0u64..6) {
        let log = if n == 0 { real_log() } else { data_log(n) };
        let lines = lines_of(&log);
        // Every line but the last: its successors' seq betray it.
        let i = which.index(lines.len() - 1);
        let mut bytes = Vec::new();
        for (j, line) in lines.iter().enumerate() {
            if j != i {
                bytes.extend_from_slice(line);
            }
        }
        let scan = all_verbs(&bytes, 1 << 20);
        prop_assert!(!is_valid(&scan));
        prop_assert_eq!(gaps(&scan), vec![(i as u64, i as u64)]);
        let (_, out, _) = run_verb("validate", &bytes, &[]);
        let missing = format!("seq {i} is missing (a lost line)");
        prop_assert!(out.contains(&missing), "{}", out);
    }

    #[test]
    fn a_repeated_line_is_out_of_order(which in any::<prop::sample::Index>()) {
        let lines = lines_of(&real_log());
        let i = which.index(lines.len());
        let mut bytes = Vec::new();
        for (j, line) in lines.iter().enumerate() {
            bytes.extend_from_slice(line);
            if j == i {
                bytes.extend_from_slice(line);
            }
        }
        let scan = all_verbs(&bytes, 1 << 20);
        prop_assert!(!is_valid(&scan));
        prop_assert_eq!(scan.sessions[0].out_of_order, 1);
    }

    #[test]
    fn lines_shuffled_removed_or_repeated(picks in prop::collection::vec(any::<prop::sample::Index>(), 0..40)) {
        let lines = lines_of(&data_log(12));
        let mut bytes = Vec::new();
        for pick in &picks {
            bytes.extend_from_slice(&lines[pick.index(lines.len())]);
        }
        all_verbs(&bytes, 1 << 20);
    }

    #[test]
    fn a_huge_line_with_a_small_limit(which in any::<prop::sample::Index>(), len in 1usize..20_000, max in 64usize..2048) {
        let lines = lines_of(&real_log());
        let i = which.index(lines.len());
        let mut bytes = Vec::new();
        for (j, line) in lines.iter().enumerate() {
            if j == i {
                // A log line (it starts with `{`), broken and maybe too long.
                bytes.push(b'{');
                bytes.extend(std::iter::repeat_n(b'x', len));
                bytes.push(b'\n');
            } else {
                bytes.extend_from_slice(line);
            }
        }
        let scan = all_verbs(&bytes, max);
        prop_assert!(!is_valid(&scan));
        if len + 1 > max {
            let (_, out, _) = run_verb("validate", &bytes, &["--max-line-bytes", &max.to_string(), "--max-errors", "1000"]);
            let named = format!("line is {} bytes, longer than the {max}-byte limit", len + 1);
            prop_assert!(out.contains(&named), "{}", out);
        }
    }

    #[test]
    fn seq_values_at_the_edges(
        seqs in prop::collection::vec(
            prop_oneof![Just(0u64), Just(1), Just(u64::MAX - 1), Just(u64::MAX), Just(1 << 63), any::<u64>(), 0u64..30],
            1..6,
        ),
    ) {
        // Lines of the real log renumbered with extreme seq values.
        let lines = lines_of(&data_log(8));
        let mut bytes = Vec::new();
        for (line, seq) in lines.iter().zip(&seqs) {
            let line = String::from_utf8(line.clone()).unwrap();
            let start = line.find("\"seq\":").unwrap() + 6;
            let len = line[start..].find(',').unwrap();
            bytes.extend_from_slice(format!("{}{seq}{}", &line[..start], &line[start + len..]).as_bytes());
        }
        let scan = all_verbs(&bytes, 1 << 20);
        let in_order = seqs.iter().enumerate().all(|(i, &s)| s == i as u64);
        prop_assert_eq!(is_valid(&scan), in_order);
    }

    #[test]
    fn data_load_payload_edits(which in 2usize..8, edit in prop_oneof![
        Just(("\"row_count\":", "\"row_count\":-")),
        Just(("\"row_count\":", "\"row_count\":1.5e0,\"x\":")),
        Just(("\"n_nans\":", "\"n_nans\":null,\"n_nans\":")),
        Just(("\"dtype\":\"float64\"", "\"dtype\":\"float64\",\"dtype\":7")),
        Just(("\"dtype\":\"float64\"", "\"dtype\":\"\\u0066loat64\"")),
        Just(("sha256:6", "sha256:G")),
        Just(("sha256:6", "sha256:")),
        Just(("\"columns\":[]", "\"columns\":[1]")),
        Just(("\"value_range\":[", "\"value_range\":[true,")),
        Just(("\"value_range\":[", "\"value_range\":[\"NaN\",")),
        Just(("\"shape\":[", "\"shape\":[-1,")),
        Just(("\"seq\":", "\"seq\":1,\"seq\":")),
        Just(("\"run_id\":\"ith_experiment#1/bull_ith#1\",", "")),
        Just(("\"run_id\":\"ith_experiment#1/bull_ith#1\"", "\"run_id\":\"run\\u00e9\"")),
        Just(("\"input_name\":\"nav\"", "\"input_name\":null")),
    ]) {
        let lines = lines_of(&data_log(8));
        let mut bytes = Vec::new();
        for (j, line) in lines.iter().enumerate() {
            let line = String::from_utf8(line.clone()).unwrap();
            let line = if j == which { line.replacen(edit.0, edit.1, 1) } else { line };
            bytes.extend_from_slice(line.as_bytes());
        }
        all_verbs(&bytes, 1 << 20);
    }
}

/// A contract-version-2 log: hex seeds, `event.schema` with its schema as
/// text, nulls named in `non_finite`, and a program's output between lines.
fn v2_log() -> Vec<u8> {
    let envelope = |seq: u64, t: &str| {
        format!(
            "{{\"ts\":\"2026-11-25T10:46:11.{:06}Z\",\"event_type\":\"{t}\",\"session_id\":\"s2\",\"seq\":{seq},",
            100_000 + seq
        )
    };
    let schema = serde_json::Value::String(
        r#"{"type":"object","properties":{"step":{"type":"integer","minimum":0},"loss":{"type":["number","null"]},"seed":{"type":"string","pattern":"^0x[0-9a-f]{16}$"}},"required":["step","loss","seed"],"additionalProperties":false}"#.into(),
    );
    let lines = [
        format!(
            "{}\"contract_version\":2,\"context\":{{\"session_id\":\"s2\",\"start_time\":\"2026-11-25T10:46:11.000000Z\",\"root_seed\":{{\"seed\":\"0x000000000000002a\",\"source\":\"explicit\"}},\"random_seeds\":{{\"a\":\"0xffffffffffffffff\"}},\"git\":{{}}}}}}",
            envelope(0, "session.start")
        ),
        "step 1 of 3".to_string(),
        format!(
            "{}\"describes\":\"training.checkpoint\",\"event_version\":1,\"payload_schema\":{schema}}}",
            envelope(1, "event.schema")
        ),
        format!(
            "{}\"step\":1,\"loss\":null,\"seed\":\"0x00000000000000ff\",\"non_finite\":[{{\"pointer\":\"/loss\",\"value\":\"NaN\"}}]}}",
            envelope(2, "training.checkpoint")
        ),
        String::new(),
        format!(
            "{}\"step\":2,\"loss\":0.25,\"seed\":\"0x00000000000000fe\"}}",
            envelope(3, "training.checkpoint")
        ),
        format!(
            "{}\"component\":\"c\",\"seed\":\"0x0000000000000001\",\"root_seed\":\"0x000000000000002a\",\"root_seed_source\":\"explicit\"}}",
            envelope(4, "seed.derived")
        ),
    ];
    lines
        .iter()
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .into_bytes()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_v2_log_flipped_or_cut_agrees_on_both_paths(at in any::<prop::sample::Index>(), bit in 0u8..8, cut in any::<bool>()) {
        let mut bytes = v2_log();
        let i = at.index(bytes.len());
        if cut {
            bytes.truncate(i);
        } else {
            bytes[i] ^= 1 << bit;
        }
        all_verbs(&bytes, 1 << 20);
    }
}

#[test]
fn the_v2_log_reads_on_both_paths() {
    let scan = all_verbs(&v2_log(), 1 << 20);
    assert_eq!(scan.skipped_lines, 2);
    assert_eq!(scan.sessions[0].contract_version, Some(2));
    assert_eq!(scan.sessions[0].seeds[0].seed, "0x000000000000002a");
    // Its own type against its carried schema, nulls as written: no problem
    // but those of the built-in types, which follow the runtime's schemas.
    assert!(
        scan.findings
            .iter()
            .all(|f| !f.problem.to_string().contains("training.checkpoint")
                && !f.problem.to_string().contains("non_finite")),
        "{:?}",
        scan.findings
    );
}

#[test]
fn the_real_logs_are_valid() {
    assert!(is_valid(&all_verbs(&real_log(), 1 << 20)));
    assert!(is_valid(&all_verbs(&data_log(50), 1 << 20)));
}

#[test]
fn a_schema_violation_names_the_field_on_both_paths() {
    let mut lines: Vec<String> = String::from_utf8(data_log(3))
        .unwrap()
        .lines()
        .map(|l| format!("{l}\n"))
        .collect();
    lines[3] = lines[3].replacen("\"row_count\":", "\"row_count\":-", 1);
    let scan = all_verbs(lines.concat().as_bytes(), 1 << 20);
    let problem = scan.findings[0].problem.to_string();
    assert!(
        problem.starts_with("data.load does not match its schema: at /row_count:"),
        "{problem}"
    );
}

// Crashes the fuzzing found, each kept as a named test.

/// `seq` 2^64-1 made the next expected seq overflow: a panic in debug
/// builds, and in release a wrap to 0 that misreported the lines after it.
#[test]
fn regression_seq_at_u64_max_does_not_overflow() {
    let first = logs::ith_epochs().lines().next().unwrap();
    let line = |seq: u64| first.replacen("\"seq\":0", &format!("\"seq\":{seq}"), 1) + "\n";
    let bytes = [line(u64::MAX), line(u64::MAX), line(0)].concat();
    let scan = all_verbs(bytes.as_bytes(), 1 << 20);
    // The last line is seq 0, late: it fills the gap's start.
    assert_eq!(scan.sessions[0].gaps, vec![(1, u64::MAX - 1)]);
    assert_eq!(scan.sessions[0].out_of_order, 2);
    let (code, out, _) = run_verb("validate", bytes.as_bytes(), &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("seq 1..=18446744073709551614 are missing (18446744073709551614 lost lines)"),
        "{out}"
    );
    assert!(
        out.contains(
            "seq 18446744073709551615 again, after seq 18446744073709551615: a repeated line"
        ),
        "{out}"
    );
    assert!(
        out.contains("seq 0 after seq 18446744073709551615: out of order, not lost"),
        "{out}"
    );
}

/// The same through `seq` 2^64-2 then 2^64-1: the in-order step at the top.
#[test]
fn regression_seq_counting_up_to_u64_max() {
    let first = logs::ith_epochs().lines().next().unwrap();
    let line = |seq: u64| first.replacen("\"seq\":0", &format!("\"seq\":{seq}"), 1) + "\n";
    let bytes = [line(u64::MAX - 1), line(u64::MAX)].concat();
    let scan = all_verbs(bytes.as_bytes(), 1 << 20);
    assert_eq!(scan.sessions[0].gaps, vec![(0, u64::MAX - 2)]);
    assert_eq!(scan.sessions[0].out_of_order, 0);
}
