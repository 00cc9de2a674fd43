//! What a scan finds: the sessions, their runs, inputs and seeds, and the
//! problems found on the way. Plain data, filled in by the scanner
//! (`scanner.rs`) and the per-event updates (`events.rs`).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;

use super::context::Context;
use crate::ops::line::Problem;
use crate::ops::schemas::SchemaEntry;

/// The newest contract version this tool reads (it reads every older one):
/// the one the runtime it is built with writes.
pub const CONTRACT_VERSION: u64 = ith_provenance_runtime::CONTRACT_VERSION as u64;

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
    /// `metrics`: a summary of each metric series the run recorded,
    /// `{name: {last, min, max, count}}` (`None`: no series, or an older
    /// writer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Value>,
    /// `dropped_events`.
    pub dropped_events: Option<u64>,
    /// `identity_from_start_order` of its `algorithm.init` or
    /// `algorithm.result`: it raced a sibling with an equal identity, so
    /// its `#n` follows start order (see [`Session::start_order_groups`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub identity_from_start_order: bool,
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
    pub(super) result_at: u64,
    /// The `ts` of its `algorithm.init` (else of its first line seen).
    #[serde(skip)]
    pub start_ts: Option<String>,
    /// The `ts` of its `algorithm.result` (`None`: no result line).
    #[serde(skip)]
    pub end_ts: Option<String>,
}

/// An output file a run wrote: a `data.save` line, or an entry of its
/// `algorithm.result`'s `outputs`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    /// The run that wrote it (`None`: a line without a `run_id`).
    pub run: Option<String>,
    /// `target_path`: absolute, as the writer resolved it.
    pub target_path: String,
    /// `sha256_hash`: `sha256:<hex>`.
    pub sha256: String,
    /// `size_bytes` (`None` for an `outputs` entry).
    pub size_bytes: Option<u64>,
    /// `output_name`.
    pub output_name: Option<String>,
    /// `working_dir`.
    pub working_dir: Option<String>,
    /// The line it came from.
    pub line: u64,
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
    /// `size_bytes` (contract version 2, `data.load` payload version 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    /// `working_dir`: the writer's working directory when it read the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// The line it came from (0 for the context).
    pub line: u64,
}

/// What data in memory an [`Input`] fingerprints, when it is not a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InMemory {
    /// An array fingerprint: a `dtype`, or at least a `shape`.
    Array {
        /// `dtype` (`None`: only a shape was written).
        dtype: Option<String>,
        /// `shape`, as JSON (`[2000]`).
        shape: Option<String>,
    },
    /// A value passed as an argument (`source_path` `argument`).
    Value,
}

impl std::fmt::Display for InMemory {
    /// `array float64 [2000]`, `array`, `value`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InMemory::Array { dtype, shape } => {
                f.write_str("array")?;
                for part in [dtype, shape].into_iter().flatten() {
                    write!(f, " {part}")?;
                }
                Ok(())
            }
            InMemory::Value => f.write_str("value"),
        }
    }
}

impl Input {
    /// The data in memory this input fingerprints, if it is not a file:
    /// an array (`dtype` or `shape`) or a value (`source_path` `argument`,
    /// the runtime's name for an argument's fingerprint).
    pub fn in_memory(&self) -> Option<InMemory> {
        if self.dtype.is_some() || self.shape.is_some() {
            return Some(InMemory::Array {
                dtype: self.dtype.clone(),
                shape: self.shape.as_ref().map(Value::to_string),
            });
        }
        (self.source_path.as_deref() == Some("argument")).then_some(InMemory::Value)
    }
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
    /// The context of its `session.start`, typed (and kept as recorded).
    pub context: Option<Context>,
    /// Lines by event type.
    pub counts: BTreeMap<String, u64>,
    /// Lines read.
    pub lines: u64,
    /// The first and last `ts`.
    pub first_ts: Option<String>,
    /// The last `ts`.
    pub last_ts: Option<String>,
    /// Missing `seq` ranges: what no line of the logs filled, in order
    /// (a line that came late took its `seq` out).
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
    /// Output files written (`data.save`, `algorithm.result.outputs`), in
    /// order, each (run, path, hash) once, at most [`MAX_INPUTS`].
    #[serde(skip)]
    pub outputs: Vec<Output>,
    /// Other files the session also appears in.
    pub also_in: Vec<String>,
    /// Schemas its `event.schema` lines carry.
    #[serde(skip)]
    pub schemas: Vec<SchemaEntry>,
    #[serde(skip)]
    pub(super) next_seq: u128,
    #[serde(skip)]
    pub(super) manual_runs: u64,
    /// `runs` by id: the index of the last run of each id.
    #[serde(skip)]
    pub(super) run_index: HashMap<String, usize>,
    /// The latest run started without a `run_id` that has no result yet:
    /// lines without a `run_id` count for it.
    #[serde(skip)]
    pub(super) open_manual: Option<usize>,
    /// `inputs` by run (`""` for the session's own), name, then
    /// fingerprint: the index of each.
    #[serde(skip)]
    pub(super) input_index: HashMap<String, HashMap<String, HashMap<String, usize>>>,
    /// How many inputs were recorded under each run and base name (for
    /// `name#n`).
    #[serde(skip)]
    pub(super) input_variants: HashMap<String, HashMap<String, usize>>,
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
        let sha = ctx.and_then(Context::sha);
        let dirty = ctx.and_then(|c| c.git.as_ref()?.dirty);
        (sha, dirty)
    }
}

/// The result of scanning logs.
#[derive(Clone, Debug, Default, Serialize)]
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
    pub(super) index: HashMap<String, usize>,
}
