//! Valid provenance logs for benchmarks and tests: a real log written by the
//! `ith_epochs` example, and logs of many `data.load` lines shaped like its
//! own (`session.start`, the `data.load` schema, then `data.load` lines).
//!
//! The example's logs stay in `provenance-cli/benches/support/` (kept as
//! `.jsonl`: the repository ignores `*.ndjson`), where the benchmark
//! scripts read them too; they are read at run time, so this crate builds
//! from its own package.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::binaries::workspace_root;

/// The path of a log kept in `provenance-cli/benches/support/`:
/// `ith_epochs.jsonl` (contract version 1) or `ith_epochs_v2.jsonl`.
pub fn bench_log_path(name: &str) -> PathBuf {
    workspace_root()
        .join("provenance-cli/benches/support")
        .join(name)
}

/// The log `PROVENANCE_SEED=7 cargo run --example ith_epochs` wrote
/// (`ith_epochs.jsonl`): 25 lines, every event type the example uses,
/// valid.
pub fn ith_epochs() -> &'static str {
    static LOG: OnceLock<String> = OnceLock::new();
    LOG.get_or_init(|| {
        let path = bench_log_path("ith_epochs.jsonl");
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    })
}

/// The session of [`ith_epochs`].
pub fn session_id() -> &'static str {
    let log = ith_epochs();
    let start = log.find("\"session_id\":\"").expect("a session") + 14;
    let len = log[start..].find('"').expect("closed");
    &log[start..start + len]
}

fn line_of(event_type: &str, name: Option<&str>) -> &'static str {
    ith_epochs()
        .lines()
        .find(|l| {
            l.contains(&format!("\"event_type\":\"{event_type}\""))
                && name.is_none_or(|n| l.contains(&format!("\"name\":\"{n}\"")))
        })
        .expect("the example writes it")
}

/// Replaces the `"seq":N` of a line.
fn with_seq(line: &str, seq: u64) -> String {
    let start = line.find("\"seq\":").expect("a seq") + 6;
    let len = line[start..].find(',').expect("more fields");
    format!("{}{seq}{}", &line[..start], &line[start + len..])
}

/// Writes a valid log: `session.start`, the `data.load` schema, then
/// `lines` `data.load` lines (seq, ts and the numbers vary). Lines are
/// 505–525 bytes.
pub fn write_data_loads(out: &mut impl Write, lines: u64) -> io::Result<()> {
    let session = session_id();
    writeln!(out, "{}", line_of("session.start", None))?;
    writeln!(
        out,
        "{}",
        with_seq(line_of("event.schema", Some("data.load")), 1)
    )?;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..lines {
        // xorshift: cheap, varied numbers.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let seq = i + 2;
        let rows = 1 + x % 5_000_000;
        let low = (x >> 11) as f64 / (1u64 << 53) as f64;
        let high = low + (x % 1000) as f64 * 0.731;
        let secs = i / 1_000_000;
        writeln!(
            out,
            "{{\"ts\":\"2026-11-30T{:02}:{:02}:{:02}.{:06}Z\",\"event_type\":\"data.load\",\
             \"session_id\":\"{session}\",\"seq\":{seq},\"experiment_id\":\"ith-bull-demo\",\
             \"run_id\":\"ith_experiment#1/bull_ith#1\",\"parent_run_id\":\"ith_experiment#1\",\
             \"source_path\":\"argument\",\
             \"sha256_hash\":\"sha256:6435a7baaab9d2706813537ffa36360c7f25a2a7ad1103ad33721feb01853212\",\
             \"row_count\":{rows},\"column_count\":1,\"columns\":[],\"value_range\":[{low:?},{high:?}],\
             \"input_name\":\"nav\",\"dtype\":\"float64\",\"shape\":[{rows}],\"n_nans\":{}}}",
            (secs / 3600) % 24,
            (secs / 60) % 60,
            secs % 60,
            i % 1_000_000,
            x % 3,
        )?;
    }
    Ok(())
}

/// [`write_data_loads`] into memory.
pub fn data_loads(lines: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(lines as usize * 480 + 4096);
    write_data_loads(&mut out, lines).expect("writing to memory");
    out
}
