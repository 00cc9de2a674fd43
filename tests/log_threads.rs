//! Threads sharing one `EventLog`: every line whole, `seq` gapless and in
//! file order, nothing lost; and any string content stays on its one line.

mod log_support;

use std::path::Path;

use ith_provenance::{
    EventLog, ProvenanceContext,
    log::{Durability, LogSummary},
};
use log_support::{Line, Note, assert_schema_line, context, read_log, sessions};

const THREADS: u32 = 2;

/// Text with everything an encoder could get wrong: quotes, backslashes,
/// every control character, DEL, non-ASCII, emoji (with a ZWJ sequence),
/// the JavaScript line separators and a byte-order mark.
fn nasty_text() -> String {
    let mut s = String::from("quote\" backslash\\ slash/ \\n-not-a-newline \r\n tab\t ");
    s.extend((0u8..0x20).map(char::from));
    s.push('\u{7f}');
    s.push_str(" é ß 中文 Ελληνικά 🦀 👩‍🔬 \u{2028} \u{2029} \u{feff} \u{10ffff} end");
    s
}

/// `THREADS` threads each emit `per_thread` notes into one log file.
fn hammer(durability: Durability, per_thread: u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("threads.ndjson");
    // Short, so a debug build stays fast; the full set is tested below.
    let text = String::from("line\nbreak \"q\" \\ \u{1} 🦀");
    let log = EventLog::builder()
        .file(&path)
        .durability(durability)
        .open(&context())
        .unwrap();
    std::thread::scope(|scope| {
        for worker in 0..THREADS {
            let (log, text) = (log.clone(), text.clone());
            scope.spawn(move || {
                let mut note = Note::new(worker, 0);
                note.text = text;
                for i in 0..per_thread {
                    note.i = i;
                    log.emit(&note).unwrap();
                }
            });
        }
    });
    // `session.start`, the notes' `event.schema` line, the notes.
    let total = u64::from(THREADS) * per_thread + 2;
    assert_eq!(
        log.close().unwrap(),
        LogSummary {
            events: total,
            dropped_events: 0
        }
    );

    let lines = read_log(&path);
    assert_eq!(lines.len() as u64, total, "one line per event");
    // `sessions` checks seq == line number: seq order is file order.
    assert_eq!(sessions(&lines).len(), 1);
    // However the threads raced, one of them wrote the schema line first.
    assert_schema_line(&lines[1], "test.note");
    // Each thread's events arrive complete and in the order it emitted them.
    let mut next = vec![0u64; THREADS as usize];
    for line in &lines[2..] {
        assert_eq!(line.event_type, "test.note");
        let worker = line.worker.expect("a note names its worker") as usize;
        assert_eq!(
            line.i,
            Some(next[worker]),
            "worker {worker} lost or reordered"
        );
        next[worker] += 1;
        assert_eq!(line.text.as_deref(), Some(text.as_str()));
    }
    assert_eq!(next, vec![per_thread; THREADS as usize]);
    assert_valid_timestamps(&lines);
    assert_no_raw_control_bytes(&path);
}

fn assert_valid_timestamps(lines: &[Line]) {
    for line in lines {
        assert!(line.ts.ends_with('Z'), "ts {} is not UTC", line.ts);
        chrono::DateTime::parse_from_rfc3339(&line.ts)
            .unwrap_or_else(|e| panic!("ts {} is not RFC 3339: {e}", line.ts));
    }
}

/// The only byte below 0x20 in an NDJSON file is each line's `\n`.
fn assert_no_raw_control_bytes(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    for line in bytes.split(|&b| b == b'\n') {
        assert!(
            line.iter().all(|&b| b >= 0x20),
            "a raw control byte in {:?}",
            String::from_utf8_lossy(line)
        );
    }
}

#[test]
fn two_threads_buffered_one_file() {
    hammer(Durability::Buffered, 100_000);
}

#[test]
fn two_threads_per_line_one_file() {
    hammer(Durability::PerLine, 20_000);
}

/// Every awkward string — in the payload and in the envelope's own
/// `session_id` and `experiment_id` — is written on exactly one line and
/// reads back byte for byte.
#[test]
fn awkward_strings_stay_on_one_line_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("strings.ndjson");
    let mut texts: Vec<String> = (0u32..0x20)
        .chain([
            0x7f, 0x80, 0x9f, 0xa0, 0x2028, 0x2029, 0xfeff, 0xfffd, 0x1f980,
        ])
        .map(|c| format!("<{}>", char::from_u32(c).unwrap()))
        .collect();
    texts.extend(
        [
            "",
            "\n",
            "\n\n\n",
            "\r",
            "\"",
            "\\",
            "\\\"",
            "\\n",
            "\"}\n{\"seq\":0}",
            "😀🇺🇳👨‍👩‍👧‍👦",
        ]
        .map(String::from),
    );
    texts.push(nasty_text());

    let base = context();
    let ctx = ProvenanceContext {
        session_id: "sess \"quoted\" \\ new\nline 🦀".into(),
        experiment_id: Some("exp\u{0}\u{1f}\u{7f}é".into()),
        ..base
    };
    let log = EventLog::builder().file(&path).open(&ctx).unwrap();
    for (i, text) in texts.iter().enumerate() {
        log.emit(&Note {
            worker: 0,
            i: i as u64,
            text: text.clone(),
        })
        .unwrap();
    }
    log.close().unwrap();

    let lines = read_log(&path);
    assert_eq!(lines.len(), texts.len() + 2, "a string split a line");
    sessions(&lines);
    assert_schema_line(&lines[1], "test.note");
    for (line, text) in lines[2..].iter().zip(&texts) {
        assert_eq!(line.session_id, ctx.session_id);
        assert_eq!(line.text.as_ref(), Some(text));
    }
    let raw = std::fs::read_to_string(&path).unwrap();
    let first: serde_json::Value = serde_json::from_str(raw.lines().next().unwrap()).unwrap();
    assert_eq!(first["experiment_id"], ctx.experiment_id.unwrap().as_str());
    assert_eq!(first["context"]["session_id"], ctx.session_id.as_str());
    assert_no_raw_control_bytes(&path);
}
