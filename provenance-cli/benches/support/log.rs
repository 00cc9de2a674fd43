//! Valid provenance logs for benchmarks and tests: a real log written by the
//! `ith_epochs` example (kept as `.jsonl`: the repository ignores
//! `*.ndjson`), and logs of many `data.load` lines shaped like its
//! own (`session.start`, the `data.load` schema, then `data.load` lines).
#![allow(dead_code)]

use std::io::{self, Write};

/// The log `PROVENANCE_SEED=7 cargo run --example ith_epochs` wrote: 25
/// lines, every event type the example uses, valid.
pub const ITH_EPOCHS: &str = include_str!("ith_epochs.jsonl");

/// The session of [`ITH_EPOCHS`].
pub fn session_id() -> &'static str {
    let start = ITH_EPOCHS.find("\"session_id\":\"").expect("a session") + 14;
    let len = ITH_EPOCHS[start..].find('"').expect("closed");
    &ITH_EPOCHS[start..start + len]
}

fn line_of(event_type: &str, name: Option<&str>) -> &'static str {
    ITH_EPOCHS
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
