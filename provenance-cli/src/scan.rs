//! One streaming pass over one or more logs: every line parsed and checked,
//! and per session what `summary` and `diff` report. Memory grows with the
//! number of sessions, runs, inputs and seeds, never with the number of
//! lines.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::CliError;
use crate::line::tape::Tape;
use crate::line::{self, EnvelopeRef, Payload, Problem};
use crate::non_finite;
use crate::reader::{LogReader, RawLine};
use crate::schemas::{SchemaEntry, Schemas};
use crate::seed::seeds_equal;

/// The newest contract version this tool reads (it reads every older one).
pub const CONTRACT_VERSION: u64 = 2;

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

/// A problem at a place.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The file.
    pub file: String,
    /// 1-based line number.
    pub line: u64,
    /// What is wrong.
    #[serde(serialize_with = "display")]
    pub problem: Problem,
}

fn display<S: serde::Serializer>(p: &Problem, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(p)
}

/// One call of an algorithm: its `algorithm.init` and `algorithm.result`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Run {
    /// `run_id` (for logs written without `#[provenance]`, `init-<n>`).
    pub id: String,
    /// `parent_run_id`.
    pub parent: Option<String>,
    /// `algorithm_name`.
    pub algorithm_name: Option<String>,
    /// `version`.
    pub version: Option<String>,
    /// `config`.
    pub config: Option<Value>,
    /// `config_hash`.
    pub config_hash: Option<String>,
    /// `random_seed`, as written (an integer or a `0x` string).
    pub random_seed: Option<Value>,
    /// `input_hash`.
    pub input_hash: Option<String>,
    /// `status` of its `algorithm.result` (`None`: no result line).
    pub status: Option<String>,
    /// `duration_ms`.
    pub duration_ms: Option<f64>,
    /// `output_hash`.
    pub output_hash: Option<String>,
    /// `error`.
    pub error: Option<String>,
    /// `final_metrics`.
    pub final_metrics: Option<Value>,
    /// `dropped_events`.
    pub dropped_events: Option<u64>,
    /// The event type of the last line of this run, or of a run nested in
    /// it, that the log holds (`event.schema` lines aside): where an
    /// unfinished run got to.
    pub last_event: Option<String>,
    /// That line's number in its file (1-based).
    pub last_line: Option<u64>,
    /// How many lines its session wrote after its `algorithm.result` line
    /// (`None`: no result line). Above 0 after a panic, the process caught
    /// it and went on.
    pub lines_after: Option<u64>,
    /// Lines its session had when its `algorithm.result` was read.
    #[serde(skip)]
    result_at: u64,
}

impl Run {
    /// Notes a line of this run (or of one nested in it), keeping the
    /// event type's buffer: no allocation per line once grown.
    fn saw(&mut self, event_type: &str, line: u64) {
        match &mut self.last_event {
            Some(last) => {
                last.clear();
                last.push_str(event_type);
            }
            None => self.last_event = Some(event_type.to_string()),
        }
        self.last_line = Some(line);
    }
}

/// An input: a `data.load` line or an `input_hashes` entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Input {
    /// `input_name`, else `source_path`.
    pub name: String,
    /// The run whose `data.load` it is (`None`: the session's own, or an
    /// `input_hashes` entry).
    pub run: Option<String>,
    /// The fingerprint.
    pub sha256: String,
    /// `source_path` (`None` for an `input_hashes` entry).
    pub source_path: Option<String>,
    /// `dtype` (`None` for a file or a value).
    pub dtype: Option<String>,
    /// `shape`.
    pub shape: Option<Value>,
    /// The line it came from (0 for the context).
    pub line: u64,
}

/// A seed: a `seed.derived` line, a `random_seeds` entry, or the root seed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Seed {
    /// The component (`root` for the root seed).
    pub component: String,
    /// The run that handed it out (`None`: the session's own).
    pub run: Option<String>,
    /// The seed, as written: an integer up to 2^64-1 (contract version 1)
    /// or `"0x"` + 16 hex digits (version 2). Compare with
    /// [`crate::seed::seeds_equal`].
    pub seed: Value,
    /// Where its root came from: `explicit`, `environment`, `entropy`.
    pub source: Option<String>,
}

/// Everything known about one session.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Session {
    /// `session_id`.
    pub id: String,
    /// The file it was read from (the first, if several).
    pub file: String,
    /// `experiment_id`.
    pub experiment_id: Option<String>,
    /// `contract_version` of its `session.start`.
    pub contract_version: Option<u64>,
    /// The whole context of its `session.start`.
    pub context: Option<Value>,
    /// Lines by event type.
    pub counts: BTreeMap<String, u64>,
    /// Lines read.
    pub lines: u64,
    /// The first and last `ts`.
    pub first_ts: Option<String>,
    /// The last `ts`.
    pub last_ts: Option<String>,
    /// Missing `seq` ranges.
    pub gaps: Vec<(u64, u64)>,
    /// Lines whose `seq` was repeated or out of order.
    pub out_of_order: u64,
    /// Runs in the order they started.
    pub runs: Vec<Run>,
    /// Inputs in the order they were recorded, at most [`MAX_INPUTS`].
    pub inputs: Vec<Input>,
    /// Inputs not kept because the session recorded more than
    /// [`MAX_INPUTS`] different ones.
    pub inputs_omitted: u64,
    /// Seeds: the root seed first, then components.
    pub seeds: Vec<Seed>,
    /// Other files the session also appears in.
    pub also_in: Vec<String>,
    /// Schemas its `event.schema` lines carry.
    #[serde(skip)]
    pub schemas: Vec<SchemaEntry>,
    #[serde(skip)]
    next_seq: u128,
    #[serde(skip)]
    manual_runs: u64,
    /// `runs` by id: the index of the last run of each id.
    #[serde(skip)]
    run_index: HashMap<String, usize>,
    /// The latest run started without a `run_id` that has no result yet:
    /// lines without a `run_id` count for it.
    #[serde(skip)]
    open_manual: Option<usize>,
    /// `inputs` by run (`""` for the session's own), name, then
    /// fingerprint: the index of each.
    #[serde(skip)]
    input_index: HashMap<String, HashMap<String, HashMap<String, usize>>>,
    /// How many inputs were recorded under each run and base name (for
    /// `name#n`).
    #[serde(skip)]
    input_variants: HashMap<String, HashMap<String, usize>>,
}

/// The most inputs a session keeps (a log that loads a new batch on every
/// line would otherwise hold them all in memory).
pub const MAX_INPUTS: usize = 10_000;

/// How a session ended, judged from its runs: see [`Session::status`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status<'s> {
    /// No run was recorded.
    None,
    /// Every run has a result, and every top-level one is `ok`.
    Ok,
    /// No top-level run panicked or failed, but `runs` runs (at any depth)
    /// have no `algorithm.result`: the process exited (`std::process::exit`)
    /// or was killed mid-run, the log was cut, or it is still running.
    Unfinished {
        /// Runs without a result.
        runs: usize,
    },
    /// A top-level run ended `error` (and none panicked).
    Error {
        /// The first such run.
        run: &'s str,
        /// Other top-level runs that ended `error`.
        more: usize,
        /// Runs without a result.
        unfinished: usize,
    },
    /// A top-level run panicked.
    Panic {
        /// The panicked run whose result came last.
        run: &'s str,
        /// Lines the session wrote after that run's result: above 0, the
        /// panic was caught (`std::panic::catch_unwind`) and the process
        /// went on.
        later_lines: u64,
        /// Other top-level runs that panicked.
        more: usize,
        /// Runs without a result.
        unfinished: usize,
    },
}

impl Session {
    /// The session's overall status: a panic of a top-level run first (the
    /// one whose result came last, which a panic that ended the process
    /// is), then an `error` of one, then runs without a result, else `ok`.
    pub fn status(&self) -> Status<'_> {
        if self.runs.is_empty() {
            return Status::None;
        }
        let unfinished = self.runs.iter().filter(|r| r.status.is_none()).count();
        let top = || self.runs.iter().filter(|r| r.parent.is_none());
        let ended =
            |status: &'static str| top().filter(move |r| r.status.as_deref() == Some(status));
        if let Some(run) = ended("panic").max_by_key(|r| r.result_at) {
            return Status::Panic {
                run: &run.id,
                later_lines: self.lines - run.result_at,
                more: ended("panic").count() - 1,
                unfinished,
            };
        }
        let mut failed = top().filter(|r| r.status.as_deref().is_some_and(|s| s != "ok"));
        if let Some(run) = failed.next() {
            return Status::Error {
                run: &run.id,
                more: failed.count(),
                unfinished,
            };
        }
        match unfinished {
            0 => Status::Ok,
            runs => Status::Unfinished { runs },
        }
    }

    /// The git SHA and dirty flag from the context.
    pub fn git(&self) -> (Option<&str>, Option<bool>) {
        let ctx = self.context.as_ref();
        let sha = ctx.and_then(|c| c["git_sha"].as_str());
        let dirty = ctx.and_then(|c| c["git"]["dirty"].as_bool());
        (sha, dirty)
    }

    fn push_run(&mut self, run: Run) -> usize {
        let i = self.runs.len();
        self.run_index.insert(run.id.clone(), i);
        self.runs.push(run);
        i
    }

    /// Notes a line of `run_id` for that run and every run it is nested in
    /// (a line without one, for the latest unfinished run started without
    /// one). One lookup per level: no allocation, nor a walk over the runs.
    fn saw(&mut self, run_id: Option<&str>, event_type: &str, line: u64) {
        let Some(mut id) = run_id else {
            if let Some(i) = self.open_manual {
                self.runs[i].saw(event_type, line);
            }
            return;
        };
        loop {
            if let Some(&i) = self.run_index.get(id) {
                self.runs[i].saw(event_type, line);
            }
            match id.rfind('/') {
                Some(cut) => id = &id[..cut],
                None => break,
            }
        }
    }
}

/// The result of scanning logs.
#[derive(Debug, Default, Serialize)]
pub struct Scan {
    /// The files, in the order given.
    pub files: Vec<String>,
    /// Sessions in the order they first appear.
    pub sessions: Vec<Session>,
    /// Log lines read (lines starting with `{`).
    pub lines: u64,
    /// Lines skipped as a program's own output: the first byte after
    /// spaces and tabs is not `{` (empty lines included).
    pub skipped_lines: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Lines with at least one problem.
    pub invalid_lines: u64,
    /// All problems found.
    pub findings_total: u64,
    /// The first problems found.
    pub findings: Vec<Finding>,
    /// Files that were empty.
    pub empty_files: Vec<String>,
    #[serde(skip)]
    index: HashMap<String, usize>,
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
            problems.push(Problem::Unterminated);
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
                Err(_) => meta(format!(
                    "session {}: seq {} after seq {}, the last possible one (repeated or out \
                     of order)",
                    session.id,
                    envelope.seq,
                    u64::MAX
                )),
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

/// Records what one line says about its session.
struct Record<'s> {
    session: &'s mut Session,
    line: u64,
    run_id: Option<&'s str>,
    parent: Option<&'s str>,
}

impl Record<'_> {
    fn session_start(self, payload: &Map<String, Value>, seq: u64) -> Vec<Problem> {
        let mut problems = Vec::new();
        if seq != 0 {
            problems.push(meta(
                "session.start must be the session's first line (seq 0)".into(),
            ));
        }
        let version = payload.get("contract_version").and_then(Value::as_u64);
        match version {
            None => problems.push(meta("session.start: contract_version is missing or not an integer".into())),
            Some(v) if v > CONTRACT_VERSION => problems.push(meta(format!(
                "session {} follows contract version {v}, newer than the version {CONTRACT_VERSION} \
                 this tool reads; its lines are not checked (upgrade provenance-cli)",
                self.session.id
            ))),
            Some(_) => {}
        }
        self.session.contract_version = version;
        let Some(context) = payload.get("context").filter(|c| c.is_object()) else {
            problems.push(meta(
                "session.start: context is missing or not an object".into(),
            ));
            return problems;
        };
        if context.get("session_id").and_then(Value::as_str) != Some(self.session.id.as_str()) {
            problems.push(meta(
                "session.start: context.session_id differs from the line's session_id".into(),
            ));
        }
        if let Some(root) = context.get("root_seed").filter(|r| r.is_object()) {
            self.session.seeds.insert(
                0,
                Seed {
                    component: "root".into(),
                    run: None,
                    seed: root["seed"].clone(),
                    source: root["source"].as_str().map(String::from),
                },
            );
        }
        if let Some(seeds) = context.get("random_seeds").and_then(Value::as_object) {
            for (component, seed) in seeds {
                push_seed(&mut self.session.seeds, None, component, seed, None);
            }
        }
        if let Some(inputs) = context.get("input_hashes").and_then(Value::as_object) {
            for (name, hash) in inputs {
                if let Some(hash) = hash.as_str() {
                    self.session.push_input(Input {
                        name: name.clone(),
                        run: None,
                        sha256: hash.to_string(),
                        source_path: None,
                        dtype: None,
                        shape: None,
                        line: 0,
                    });
                }
            }
        }
        self.session.context = Some(context.clone());
        problems
    }

    /// The schema an `event.schema` line carries, in either form: version
    /// 2's `describes`, `event_version` and `payload_schema` (the schema as
    /// JSON text), or version 1's `name`, `version` and `schema` (an object).
    fn event_schema(self, payload: &Map<String, Value>) -> Result<SchemaEntry, Problem> {
        if payload.contains_key("describes") || payload.contains_key("payload_schema") {
            let name = payload.get("describes").and_then(Value::as_str);
            let version = payload.get("event_version").and_then(Value::as_u64);
            let text = payload.get("payload_schema").and_then(Value::as_str);
            let (Some(name), Some(version), Some(text)) = (name, version, text) else {
                return Err(meta(
                    "event.schema needs describes (a string), event_version (an integer) and \
                     payload_schema (the schema as JSON text, a string)"
                        .into(),
                ));
            };
            let schema: Value = serde_json::from_str(text).map_err(|e| {
                meta(format!(
                    "event.schema of {name:?}: payload_schema is not JSON text: {e}"
                ))
            })?;
            if !(schema.is_object() || schema.is_boolean()) {
                return Err(meta(format!(
                    "event.schema of {name:?}: payload_schema holds a {}, not a JSON Schema \
                     (an object)",
                    line::kind_of(&schema)
                )));
            }
            return Ok(SchemaEntry {
                name: name.to_string(),
                version,
                schema,
            });
        }
        let name = payload.get("name").and_then(Value::as_str);
        let version = payload.get("version").and_then(Value::as_u64);
        let schema = payload
            .get("schema")
            .filter(|s| s.is_object() || s.is_boolean());
        match (name, version, schema) {
            (Some(name), Some(version), Some(schema)) => Ok(SchemaEntry {
                name: name.to_string(),
                version,
                schema: schema.clone(),
            }),
            _ => Err(meta(
                "event.schema needs describes, event_version and payload_schema (contract \
                 version 2), or name (a string), version (an integer) and schema (an object) \
                 (version 1)"
                    .into(),
            )),
        }
    }

    fn event(mut self, event_type: &str, p: Payload<'_>) {
        // A line is noted once the run it may start exists, except a result
        // without a `run_id`: it closes the run it counts for, so it is
        // noted before.
        if event_type == "algorithm.result" && self.run_id.is_none() {
            self.session.saw(None, event_type, self.line);
            self.apply(event_type, p);
        } else {
            self.apply(event_type, p);
            self.session.saw(self.run_id, event_type, self.line);
        }
    }

    fn apply(&mut self, event_type: &str, p: Payload<'_>) {
        let s = |k: &str| p.str(k).map(String::from);
        match event_type {
            "algorithm.init" => {
                let id = match self.run_id {
                    Some(id) => id.to_string(),
                    None => {
                        self.session.manual_runs += 1;
                        format!("init-{}", self.session.manual_runs)
                    }
                };
                let i = self.session.push_run(Run {
                    id,
                    parent: self.parent.map(String::from),
                    algorithm_name: s("algorithm_name"),
                    version: s("version"),
                    config: p.value("config"),
                    config_hash: s("config_hash"),
                    random_seed: p.value("random_seed").filter(|v| !v.is_null()),
                    input_hash: s("input_hash"),
                    ..Run::default()
                });
                if self.run_id.is_none() {
                    self.session.open_manual = Some(i);
                }
            }
            "algorithm.result" => {
                let session = &mut *self.session;
                let open_manual = |runs: &[Run]| {
                    runs.iter()
                        .rposition(|r| r.status.is_none() && r.id.starts_with("init-"))
                };
                let found = match self.run_id {
                    Some(id) => session.run_index.get(id).copied(),
                    None => open_manual(&session.runs),
                };
                let i = match found {
                    Some(i) => i,
                    None => session.push_run(Run {
                        id: self.run_id.unwrap_or("result-only").to_string(),
                        parent: self.parent.map(String::from),
                        ..Run::default()
                    }),
                };
                let lines = session.lines;
                let run = &mut session.runs[i];
                run.status = s("status");
                run.duration_ms = p.f64("duration_ms");
                run.output_hash = s("output_hash");
                run.error = s("error");
                run.final_metrics = p.value("final_metrics");
                run.dropped_events = p.u64("dropped_events");
                run.result_at = lines;
                if self.run_id.is_none() {
                    session.open_manual = open_manual(&session.runs);
                }
            }
            "data.load" => {
                let Some(sha256) = p.str("sha256_hash") else {
                    return;
                };
                let name = match p.str("input_name").or_else(|| p.str("source_path")) {
                    Some(name) => Cow::Borrowed(name),
                    None => Cow::Owned(format!("line {}", self.line)),
                };
                // A loop that loads the same input again and again: nothing
                // new to record, so build nothing (see `push_input`).
                if self.session.knows_input(self.run_id, &name, sha256) {
                    return;
                }
                self.session.push_input(Input {
                    name: name.into_owned(),
                    run: self.run_id.map(String::from),
                    sha256: sha256.to_string(),
                    source_path: s("source_path"),
                    dtype: s("dtype"),
                    shape: p.value("shape").filter(|v| !v.is_null()),
                    line: self.line,
                });
            }
            "seed.derived" => {
                if let (Some(component), Some(seed)) = (p.str("component"), p.value("seed")) {
                    push_seed(
                        &mut self.session.seeds,
                        self.run_id,
                        component,
                        &seed,
                        s("root_seed_source"),
                    );
                }
            }
            _ => {}
        }
    }
}

fn meta(message: String) -> Problem {
    Problem::Meta { message }
}

impl Session {
    /// Whether an input of this run, name and fingerprint with a source
    /// path is recorded already (nothing new to record).
    fn knows_input(&self, run: Option<&str>, name: &str, sha256: &str) -> bool {
        self.input_index
            .get(run.unwrap_or(""))
            .and_then(|by_name| by_name.get(name))
            .and_then(|by_hash| by_hash.get(sha256))
            .is_some_and(|&i| self.inputs[i].source_path.is_some())
    }

    /// Adds an input unless the same run, name and hash is there (a
    /// `data.load` line then replaces an `input_hashes` entry); the same
    /// name in the same run with another hash becomes `name#2`, `name#3`, ….
    /// Constant time per input.
    fn push_input(&mut self, mut input: Input) {
        let run = input.run.clone().unwrap_or_default();
        if let Some(&i) = self
            .input_index
            .get(&run)
            .and_then(|by_name| by_name.get(&input.name))
            .and_then(|by_hash| by_hash.get(&input.sha256))
        {
            if self.inputs[i].source_path.is_none() {
                input.name = std::mem::take(&mut self.inputs[i].name);
                self.inputs[i] = input;
            }
            return;
        }
        if self.inputs.len() >= MAX_INPUTS {
            self.inputs_omitted += 1;
            return;
        }
        let variants = self.input_variants.entry(run.clone()).or_default();
        let base = input.name.clone();
        let count = variants.entry(base.clone()).or_insert(0);
        *count += 1;
        let mut n = *count;
        if n > 1 {
            loop {
                input.name = format!("{base}#{n}");
                if !variants.contains_key(&input.name) {
                    break;
                }
                n += 1;
            }
            variants.insert(input.name.clone(), 1);
        }
        self.input_index
            .entry(run)
            .or_default()
            .entry(base)
            .or_default()
            .insert(input.sha256.clone(), self.inputs.len());
        self.inputs.push(input);
    }
}

/// Adds a seed unless the same run, component and seed is there; the same
/// component of the same run with another seed becomes `component#2`, ….
fn push_seed(
    seeds: &mut Vec<Seed>,
    run: Option<&str>,
    component: &str,
    seed: &Value,
    source: Option<String>,
) {
    let same_run = |s: &Seed| s.run.as_deref() == run;
    if let Some(existing) = seeds
        .iter_mut()
        .find(|s| same_run(s) && s.component == component && seeds_equal(&s.seed, seed))
    {
        if existing.source.is_none() {
            existing.source = source;
        }
        return;
    }
    let mut name = component.to_string();
    let mut n = 1;
    while seeds.iter().any(|s| same_run(s) && s.component == name) {
        n += 1;
        name = format!("{component}#{n}");
    }
    seeds.push(Seed {
        component: name,
        run: run.map(String::from),
        seed: seed.clone(),
        source,
    });
}
