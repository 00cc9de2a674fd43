//! The scanner: one streaming pass over one or more logs, every line
//! parsed and checked (envelope, `seq`, non-finite floats, schema) before
//! its event updates its session (`events.rs`).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::events::Record;
use super::model::{CONTRACT_VERSION, Finding, Scan, Session};
use crate::error::CliError;
use crate::line::tape::Tape;
use crate::line::{self, EnvelopeRef, Payload, Problem};
use crate::non_finite;
use crate::reader::{LogReader, RawLine};
use crate::schemas::Schemas;

/// What to do while scanning.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Check every payload against its schema.
    pub check_schemas: bool,
    /// Lines longer than this are reported and skipped.
    pub max_line: usize,
    /// How many findings to keep (all are counted).
    pub max_findings: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            check_schemas: false,
            max_line: crate::reader::DEFAULT_MAX_LINE,
            max_findings: 20,
        }
    }
}

/// Scans logs, one after another, with `schemas` for `--schema` (or empty).
///
/// # Errors
/// A file that cannot be opened or read.
pub fn scan(files: &[PathBuf], options: &ScanOptions, schemas: Schemas) -> Result<Scan, CliError> {
    let mut scanner = Scanner {
        scan: Scan::default(),
        options: options.clone(),
        schemas,
        tape: Tape::default(),
        last_session: None,
        fast: true,
    };
    // The same file named twice (or through another path) would report
    // every line of it as repeated: say so once and read it once.
    let mut seen: Vec<(PathBuf, String)> = Vec::new();
    for file in files {
        let mut reader = LogReader::open(file, options.max_line)?;
        let real = (file != Path::new("-"))
            .then(|| std::fs::canonicalize(file).ok())
            .flatten();
        if let Some(real) = real {
            if let Some((_, first)) = seen.iter().find(|(r, _)| *r == real) {
                let name = reader.name().to_string();
                let message = format!("the same file as {first}, given twice: read once");
                scanner.scan.files.push(name.clone());
                scanner.finding(&name, 1, Problem::Meta { message });
                continue;
            }
            seen.push((real, reader.name().to_string()));
        }
        scanner.file(&mut reader)?;
    }
    Ok(scanner.finish())
}

/// Scans one in-memory log (tests, fuzzing).
pub fn scan_bytes(bytes: &[u8], options: &ScanOptions) -> Scan {
    scan_memory(bytes, options, true)
}

/// [`scan_bytes`] with every line parsed into a `serde_json::Value` and
/// checked by the jsonschema crate alone: the reference the fast path is
/// fuzzed against (the two must report the same).
#[doc(hidden)]
pub fn scan_bytes_reference(bytes: &[u8], options: &ScanOptions) -> Scan {
    scan_memory(bytes, options, false)
}

fn scan_memory(bytes: &[u8], options: &ScanOptions, fast: bool) -> Scan {
    let mut scanner = Scanner {
        scan: Scan::default(),
        options: options.clone(),
        schemas: Schemas::default(),
        tape: Tape::default(),
        last_session: None,
        fast,
    };
    let mut reader = LogReader::from_bytes(bytes.to_vec(), options.max_line);
    scanner
        .file(&mut reader)
        .expect("reading memory does not fail");
    scanner.finish()
}

struct Scanner {
    scan: Scan,
    options: ScanOptions,
    schemas: Schemas,
    /// Reused by every line (no allocation per line once grown).
    tape: Tape,
    /// The session of the previous line.
    last_session: Option<usize>,
    /// Use the fast path (off only for [`scan_bytes_reference`]).
    fast: bool,
}

impl Scanner {
    /// The scan, with what only the end of the logs tells: the lines each
    /// session wrote after each run's result.
    fn finish(mut self) -> Scan {
        for session in &mut self.scan.sessions {
            for run in &mut session.runs {
                if run.status.is_some() {
                    run.lines_after = Some(session.lines - run.result_at);
                }
            }
        }
        self.scan
    }

    fn file(&mut self, reader: &mut LogReader) -> Result<(), CliError> {
        let name = reader.name().to_string();
        self.scan.files.push(name.clone());
        let mut any = false;
        let mut skipped = 0u64;
        while let Some(raw) = reader.next_line()? {
            self.scan.bytes +=
                raw.too_long.unwrap_or(raw.bytes.len() as u64) + u64::from(raw.terminated);
            if !raw.is_log_line {
                // A program's own output sharing the stream: not a log line.
                skipped += 1;
                continue;
            }
            any = true;
            self.scan.lines += 1;
            let problems = self.line(&name, &raw);
            if !problems.is_empty() {
                self.scan.invalid_lines += 1;
            }
            for problem in problems {
                self.finding(&name, raw.number, problem);
            }
        }
        self.scan.skipped_lines += skipped;
        if !any && skipped > 0 {
            let message = format!(
                "no log line: none of its {skipped} line(s) starts with {{ (lines that do not \
                 are skipped as a program's output; a log starts with session.start)"
            );
            self.finding(&name, 1, Problem::Meta { message });
        } else if !any {
            self.scan.empty_files.push(name);
        }
        Ok(())
    }

    fn finding(&mut self, file: &str, line: u64, problem: Problem) {
        self.scan.findings_total += 1;
        if self.scan.findings.len() < self.options.max_findings {
            self.scan.findings.push(Finding {
                file: file.to_string(),
                line,
                problem,
            });
        }
    }

    fn line(&mut self, file: &str, raw: &RawLine<'_>) -> Vec<Problem> {
        let mut tape = std::mem::take(&mut self.tape);
        // Most lines are fine: read them in place. Any line the fast parse
        // turns down goes through `line::parse`, which names its problem.
        let fast = if self.fast {
            line::parse_fast(raw, &mut tape)
        } else {
            None
        };
        let problems = match fast {
            Some((envelope, payload)) => self.event(file, raw, envelope, payload),
            None => match line::parse(raw) {
                Ok(event) => self.event(
                    file,
                    raw,
                    event.envelope.as_ref(),
                    Payload::Map(&event.payload),
                ),
                Err(problem) => vec![problem],
            },
        };
        tape.shrink();
        self.tape = tape;
        problems
    }

    fn event(
        &mut self,
        file: &str,
        raw: &RawLine<'_>,
        envelope: EnvelopeRef<'_>,
        payload: Payload<'_>,
    ) -> Vec<Problem> {
        let mut problems = Vec::new();
        if !raw.terminated {
            problems.push(match raw.glued_at {
                Some(at) => Problem::NoNewline { column: at + 1 },
                None => Problem::Unterminated,
            });
        }
        // Consecutive lines nearly always share their session.
        let last = self
            .last_session
            .filter(|&i| self.scan.sessions[i].id == envelope.session_id);
        let index = match last.or_else(|| self.scan.index.get(envelope.session_id).copied()) {
            Some(i) => i,
            None => {
                self.scan.sessions.push(Session {
                    id: envelope.session_id.to_string(),
                    file: file.to_string(),
                    ..Session::default()
                });
                let i = self.scan.sessions.len() - 1;
                self.scan.index.insert(envelope.session_id.to_string(), i);
                i
            }
        };
        self.last_session = Some(index);
        let session = &mut self.scan.sessions[index];
        if session.file != file && !session.also_in.iter().any(|f| f == file) {
            session.also_in.push(file.to_string());
            problems.push(Problem::Meta {
                message: format!(
                    "session {} was already read from {}: the same session in two logs (a copy?); \
                     its lines are counted together",
                    session.id, session.file
                ),
            });
        }
        session.lines += 1;
        // seq: gapless from 0 within a session. The next expected seq is
        // counted in u128: after seq 2^64-1 it is 2^64, not 0 (or a panic).
        let expected = session.next_seq;
        let seq = u128::from(envelope.seq);
        if seq == expected {
            session.next_seq += 1;
        } else if seq > expected {
            // expected < seq <= u64::MAX, so it fits.
            let from = expected as u64;
            session.gaps.push((from, envelope.seq - 1));
            problems.push(Problem::Gap {
                session: session.id.clone(),
                from,
                to: envelope.seq - 1,
            });
            session.next_seq = seq + 1;
        } else {
            session.out_of_order += 1;
            problems.push(match u64::try_from(expected) {
                Ok(expected) => Problem::SeqOutOfOrder {
                    session: session.id.clone(),
                    seq: envelope.seq,
                    expected,
                },
                Err(_) => Problem::Meta {
                    message: format!(
                        "session {}: seq {} after seq {}, the last possible one (repeated or out \
                         of order)",
                        session.id,
                        envelope.seq,
                        u64::MAX
                    ),
                },
            });
        }
        // No allocation per line: count, and keep the last `ts`, in place.
        match session.counts.get_mut(envelope.event_type) {
            Some(count) => *count += 1,
            None => {
                session.counts.insert(envelope.event_type.to_string(), 1);
            }
        }
        if session.first_ts.is_none() {
            session.first_ts = Some(envelope.ts.to_string());
        }
        if session.experiment_id.is_none() {
            session.experiment_id = envelope.experiment_id.map(String::from);
        }
        match &mut session.last_ts {
            Some(last) => {
                last.clear();
                last.push_str(envelope.ts);
            }
            None => session.last_ts = Some(envelope.ts.to_string()),
        }
        // The contract version the line follows: a session.start says its
        // own; other lines follow their session's (none known: version 2).
        let contract = if envelope.event_type == "session.start" {
            payload.u64("contract_version")
        } else {
            session.contract_version
        };
        let newer = contract.is_some_and(|v| v > CONTRACT_VERSION);
        // Version 2 lists a line's non-finite floats in `non_finite`, an
        // envelope field: checked here, left out of the payload its schema
        // sees (as written, nulls in place), and restored in what the line
        // records, so comparisons see the floats whichever version wrote
        // them. Such lines are rare: only they build maps.
        let owned: (Map<String, Value>, Map<String, Value>);
        let (written, restored) =
            if !newer && contract.is_none_or(|v| v >= 2) && payload.has(non_finite::FIELD) {
                let mut map = payload.to_map();
                let list = map.remove(non_finite::FIELD).unwrap_or(Value::Null);
                problems.extend(non_finite::check(&list, &map));
                let mut back = map.clone();
                non_finite::restore(&list, &mut back);
                owned = (map, back);
                (Payload::Map(&owned.0), Payload::Map(&owned.1))
            } else {
                (payload, payload)
            };
        let record = Record {
            session,
            line: raw.number,
            run_id: envelope.run_id,
            parent: envelope.parent_run_id,
            ts: envelope.ts,
        };
        let check = self.options.check_schemas && !newer;
        match envelope.event_type {
            "session.start" => {
                problems.extend(record.session_start(&restored.to_map(), envelope.seq));
            }
            "event.schema" => match record.event_schema(&restored.to_map()) {
                Ok(entry) => {
                    if check
                        && let Err(message) =
                            self.schemas
                                .learn(envelope.session_id, &entry.name, &entry.schema)
                    {
                        problems.push(Problem::Meta {
                            message: format!(
                                "event.schema: the schema of {:?} does not compile: {message}",
                                entry.name
                            ),
                        });
                    }
                    self.scan.sessions[index].schemas.push(entry);
                }
                Err(problem) => problems.push(problem),
            },
            other => record.event(other, restored),
        }
        // Every line, session.start and event.schema included, against its
        // schema: the log's, or the contract's for a type it defines.
        if check
            && let Err(problem) = self.schemas.check_payload(
                envelope.session_id,
                envelope.event_type,
                written,
                contract,
            )
        {
            problems.push(problem);
        }
        problems
    }
}
