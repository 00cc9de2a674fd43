//! The scanner: one streaming pass over one or more logs, every line
//! parsed and checked (envelope, `seq`, non-finite floats, schema) before
//! its event updates its session (`events.rs`).

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::events::Record;
use super::metrics;
use super::model::{CONTRACT_VERSION, Finding, Scan};
use super::seq::Gaps;
use super::steps::{self, Sessions};
use crate::error::CliError;
use crate::ops::line::tape::{Item, Tape};
use crate::ops::line::{self, EnvelopeRef, Payload, Problem};
use crate::ops::log_paths::{FileId, file_id};
use crate::ops::reader::{BOM, LogReader, RawLine};
use crate::ops::schemas::Schemas;

/// What to do while scanning.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Check every payload against its schema.
    pub check_schemas: bool,
    /// Also judge what every reader reads through (`validate`): a
    /// byte-order mark, `\r\n` line ends, a key written twice in one
    /// object, a `ts` that is no real time.
    pub check_form: bool,
    /// Lines longer than this are reported and skipped.
    pub max_line: usize,
    /// How many findings to keep (all are counted).
    pub max_findings: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            check_schemas: false,
            check_form: false,
            max_line: crate::ops::reader::DEFAULT_MAX_LINE,
            max_findings: 20,
        }
    }
}

/// Scans logs, one after another, with `schemas` for `--schema` (or empty).
///
/// # Errors
/// A file that cannot be opened or read, or a session of a newer contract
/// version than this tool reads.
pub fn scan(files: &[PathBuf], options: &ScanOptions, schemas: Schemas) -> Result<Scan, CliError> {
    let mut scanner = Scanner {
        scan: Scan::default(),
        options: options.clone(),
        schemas,
        tape: Tape::default(),
        last_session: None,
        fast: true,
        gaps: Gaps::default(),
    };
    // The same file named twice (or through another path) would report
    // every line of it as repeated: say so once and read it once.
    // Hard links to one file are the same file, as symbolic links are.
    let mut seen: Vec<(FileId, String)> = Vec::new();
    for file in files {
        let mut reader = LogReader::open(file, options.max_line)?;
        if let Some(real) = file_id(file) {
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
    let scan = scanner.finish();
    refuse_newer(&scan)?;
    Ok(scan)
}

/// Every verb refuses a session of a newer contract than this tool reads:
/// what its lines mean may have changed, so any answer drawn from them
/// could be wrong.
///
/// # Errors
/// [`CliError::NewerContract`], for the first such session.
fn refuse_newer(scan: &Scan) -> Result<(), CliError> {
    let newer = scan.sessions.iter().find_map(|s| {
        let version = s.contract_version.filter(|&v| v > CONTRACT_VERSION)?;
        Some((s, version))
    });
    match newer {
        Some((session, version)) => Err(CliError::NewerContract {
            file: session.file.clone(),
            session: session.id.clone(),
            version,
            supported: CONTRACT_VERSION,
        }),
        None => Ok(()),
    }
}

/// The first key written twice in one object of the line `item` belongs
/// to, as a problem.
fn duplicate_key(item: Item<'_>) -> Option<Problem> {
    let (object, key) = item.duplicate_key()?;
    Some(Problem::DuplicateKey {
        object,
        key: key.to_string(),
    })
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
        gaps: Gaps::default(),
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
    /// The sessions' `seq` gaps, open until the end of the logs.
    gaps: Gaps,
}

impl Scanner {
    /// The scan, with what only the end of the logs tells: the lines each
    /// session wrote after each run's result.
    fn finish(mut self) -> Scan {
        let lost = std::mem::take(&mut self.gaps).finish(&mut self.scan.sessions);
        for gap in lost {
            self.scan.invalid_lines += u64::from(gap.alone);
            self.finding(&gap.file, gap.line, gap.problem);
        }
        // Lost lines and a file's form are known after its lines: each is
        // shown where it was found, in file order, then line order.
        let files = &self.scan.files;
        let at = |f: &Finding| files.iter().position(|name| *name == f.file);
        self.scan.findings.sort_by_cached_key(|f| (at(f), f.line));
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
        // Log lines ending in `\r\n`: how many, and the first.
        let mut crlf = (0u64, 0u64);
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
            if raw.terminated && raw.bytes.last() == Some(&b'\r') {
                crlf.0 += 1;
                if crlf.1 == 0 {
                    crlf.1 = raw.number;
                }
            }
            let mut problems = self.line(&name, &raw);
            // A gap is reported at the end, if no later line fills it.
            if let Some(i) = problems
                .iter()
                .position(|p| matches!(p, Problem::Gap { .. }))
            {
                let gap = problems.remove(i);
                let index = self.last_session.unwrap_or_default();
                self.gaps
                    .found(&name, raw.number, index, &gap, problems.is_empty());
            }
            if !problems.is_empty() {
                self.scan.invalid_lines += 1;
            }
            for problem in problems {
                self.finding(&name, raw.number, problem);
            }
        }
        if reader.had_bom() {
            // Not part of any line, but of the file.
            self.scan.bytes += BOM.len() as u64;
        }
        if self.options.check_form {
            if reader.had_bom() {
                self.finding(&name, 1, Problem::ByteOrderMark);
            }
            if crlf.0 > 0 {
                self.finding(&name, crlf.1, Problem::Crlf { lines: crlf.0 });
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
        let problems = if self.fast {
            // Read in place; a line with a problem comes back with it named.
            match line::read(raw, &mut tape) {
                Ok((envelope, payload)) => {
                    let mut problems = self.event(file, raw, envelope, payload);
                    if self.options.check_form
                        && let Payload::Tape(item) = payload
                    {
                        problems.extend(duplicate_key(item));
                    }
                    problems
                }
                Err(problem) => vec![problem],
            }
        } else {
            // The reference path (`scan_bytes_reference`): a `Map`, which
            // keeps only the last of a repeated key, so the line is read
            // again in place for that check.
            match line::parse(raw) {
                Ok(event) => {
                    let mut problems = self.event(
                        file,
                        raw,
                        event.envelope.as_ref(),
                        Payload::Map(&event.payload),
                    );
                    if self.options.check_form
                        && let Ok(text) = std::str::from_utf8(raw.bytes)
                        && let Ok(doc) = tape.parse(text)
                    {
                        problems.extend(duplicate_key(doc.root()));
                    }
                    problems
                }
                Err(problem) => vec![problem],
            }
        };
        tape.shrink();
        self.tape = tape;
        problems
    }

    /// One parsed line: its form, its session, the session's tallies and
    /// `seq`, its contract version and non-finite floats (the steps in
    /// `steps.rs`), then what its event records and its schema check.
    fn event(
        &mut self,
        file: &str,
        raw: &RawLine<'_>,
        envelope: EnvelopeRef<'_>,
        payload: Payload<'_>,
    ) -> Vec<Problem> {
        let mut problems = steps::form(raw, envelope, self.options.check_form);
        let (index, copy) = Sessions {
            sessions: &mut self.scan.sessions,
            index: &mut self.scan.index,
            last: &mut self.last_session,
        }
        .locate(file, envelope.session_id);
        problems.extend(copy);
        let session = &mut self.scan.sessions[index];
        steps::tally(session, envelope);
        problems.extend(self.gaps.check(index, session, envelope.seq));
        let contract = steps::contract_of(session, envelope.event_type, payload);
        let newer = steps::is_newer(contract);
        // Version 2 lists a line's non-finite floats in `non_finite`: its
        // schema sees the payload as written (nulls in place), the line
        // records it restored. Such lines are rare: only they build maps.
        // A `metrics` batch: points the schema cannot pair up or range-check.
        if self.options.check_form && envelope.event_type == metrics::EVENT_TYPE && !newer {
            problems.extend(metrics::check(&payload.to_map()));
        }
        let owned: (Map<String, Value>, Map<String, Value>);
        let (written, restored) = match steps::split_non_finite(payload, contract) {
            Some(split) => {
                problems.extend(split.problems);
                owned = (split.written, split.restored);
                (Payload::Map(&owned.0), Payload::Map(&owned.1))
            }
            None => (payload, payload),
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
