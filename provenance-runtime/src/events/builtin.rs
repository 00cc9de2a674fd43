//! The built-in event types, with the original Python module's names.
//!
//! Each is derived like a user's own (`crate = "crate"` points the derive
//! at this crate), so the built-in schemas are exactly what the derive
//! makes of their fields.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    ArrayFingerprint, Event, FileFingerprint, ProvenanceContext, Scalar, Seed, Sha256Hash,
};

mod metrics;

pub use metrics::{MetricSummary, Metrics};

/// `session.start`: opens every session's lines and carries the whole
/// [`ProvenanceContext`] (nested, because its `session_id` and
/// `experiment_id` are already in the envelope).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Event)]
#[event(name = "session.start", version = 2, crate = "crate")]
pub struct SessionStart {
    /// The contract version the log follows (see `docs/CONTRACT.md`).
    pub contract_version: u32,
    /// Everything about the run.
    pub context: ProvenanceContext,
}

/// `event.schema`: the payload schema of an event type, written by the log
/// just before the first line of that type in each session (except for
/// `session.start` and `event.schema` itself, which the contract specifies),
/// so a log describes its own lines.
///
/// The schema is carried as JSON *text* in a string (contract version 2),
/// so that readers that infer a table from the lines (pandas, DuckDB) see
/// one text column, not a struct column as wide as every schema's keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Event)]
#[event(name = "event.schema", version = 2, crate = "crate")]
pub struct EventSchemaLine {
    /// The event type described (`data.load`).
    pub describes: String,
    /// Its payload version ([`Event::VERSION`]).
    pub event_version: u32,
    /// Its payload schema ([`Event::payload_schema`], JSON Schema, draft
    /// 2020-12) as compact JSON text; [`schema`](Self::schema) parses it.
    pub payload_schema: String,
}

impl EventSchemaLine {
    /// The line describing `E`.
    pub fn of<E: Event + ?Sized>() -> Self {
        EventSchemaLine {
            describes: E::EVENT_TYPE.to_string(),
            event_version: E::VERSION,
            payload_schema: E::payload_schema().to_string(),
        }
    }

    /// The payload schema, parsed.
    ///
    /// # Errors
    /// `payload_schema` is not JSON (a line from another writer).
    pub fn schema(&self) -> serde_json::Result<Value> {
        serde_json::from_str(&self.payload_schema)
    }

    /// Whether lines of `E` are described by an `event.schema` line: all
    /// but `session.start` and `event.schema`.
    pub(crate) fn is_described<E: Event + ?Sized>() -> bool {
        E::EVENT_TYPE != SessionStart::EVENT_TYPE && E::EVENT_TYPE != Self::EVENT_TYPE
    }
}

/// `data.load`: an input was read. The original's fields, plus the array
/// fingerprint's details when there is one, and the file's size and the
/// working directory when it is a file (version 2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Event)]
#[event(name = "data.load", version = 2, crate = "crate")]
pub struct DataLoad {
    /// Where the data came from (a path, a URI, a cache key).
    pub source_path: String,
    /// The data's fingerprint (`sha256:<hex>`).
    pub sha256_hash: Sha256Hash,
    /// Rows (the first axis' length).
    pub row_count: u64,
    /// Columns (the product of the other axes' lengths).
    pub column_count: u64,
    /// Column names, when known.
    pub columns: Vec<String>,
    /// `[min, max]` ignoring NaN, when known. Always numbers:
    /// [`from_array`](Self::from_array) writes a bool array's bounds as `0`
    /// and `1`, so the field has one JSON type in every line.
    pub value_range: Option<[Scalar; 2]>,
    /// The input's name in `input_hashes`, when recorded there.
    pub input_name: Option<String>,
    /// numpy dtype name, for arrays.
    pub dtype: Option<String>,
    /// Full shape, for arrays.
    pub shape: Option<Vec<usize>>,
    /// NaN count, for arrays.
    pub n_nans: Option<u64>,
    /// The file's size in bytes, for file inputs.
    pub size_bytes: Option<u64>,
    /// The process's working directory (absolute) when a file input was
    /// read, so a relative path given on the command line can be placed.
    pub working_dir: Option<String>,
}

/// A bound as a number: a bool array's `false`/`true` as `0`/`1`.
fn numeric(bound: Scalar) -> Scalar {
    match bound {
        Scalar::Bool(b) => Scalar::Int(i64::from(b)),
        other => other,
    }
}

impl DataLoad {
    /// The event for an array fingerprint: rows are the first axis, columns
    /// the product of the others (1 for a vector).
    pub fn from_array(
        source_path: impl Into<String>,
        fp: &ArrayFingerprint,
        columns: Vec<String>,
    ) -> Self {
        let (rows, cols) = match fp.shape.split_first() {
            None => (1, 1),
            Some((&rows, rest)) => (rows as u64, rest.iter().map(|&n| n as u64).product()),
        };
        DataLoad {
            source_path: source_path.into(),
            sha256_hash: fp.sha256,
            row_count: rows,
            column_count: cols,
            columns,
            value_range: fp.range.map(|bounds| bounds.map(numeric)),
            input_name: None,
            dtype: Some(fp.dtype.clone()),
            shape: Some(fp.shape.clone()),
            n_nans: Some(fp.n_nans),
            size_bytes: None,
            working_dir: None,
        }
    }

    /// The event for a file fingerprint, with the row and column counts the
    /// caller parsed: `source_path` is the file's absolute path (relative
    /// paths are resolved against the working directory, which is recorded
    /// too), `size_bytes` its size.
    ///
    /// ```
    /// use ith_provenance::{events::DataLoad, fingerprint_file};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("prices.csv");
    /// std::fs::write(&path, "t,close\n0,101.5\n")?;
    /// let load = DataLoad::from_file(&fingerprint_file(&path)?, 1, vec!["t".into(), "close".into()]);
    /// assert!(std::path::Path::new(&load.source_path).is_absolute());
    /// assert_eq!(load.size_bytes, Some(16));
    /// assert_eq!(load.working_dir, Some(std::env::current_dir()?.display().to_string()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_file(fp: &FileFingerprint, row_count: u64, columns: Vec<String>) -> Self {
        let (source_path, working_dir) = crate::file::placed(&fp.path);
        DataLoad {
            source_path,
            sha256_hash: fp.sha256,
            row_count,
            column_count: columns.len() as u64,
            columns,
            value_range: None,
            input_name: None,
            dtype: None,
            shape: None,
            n_nans: None,
            size_bytes: Some(fp.size_bytes),
            working_dir,
        }
    }

    /// Names the input (as recorded in `input_hashes`).
    pub fn named(mut self, input_name: impl Into<String>) -> Self {
        self.input_name = Some(input_name.into());
        self
    }
}

/// `data.save`: a file the run produced, fingerprinted once written
/// (`ith_provenance::record_output`, `#[provenance(output_file)]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Event)]
#[event(name = "data.save", version = 1, crate = "crate")]
pub struct DataSave {
    /// The file's absolute path (a relative one resolved against
    /// `working_dir`).
    pub target_path: String,
    /// SHA-256 of the file's bytes (`sha256sum`'s digest).
    pub sha256_hash: Sha256Hash,
    /// The file's size in bytes.
    pub size_bytes: u64,
    /// A name the caller gave the output, else the path's file name.
    pub output_name: Option<String>,
    /// The process's working directory (absolute) when the file was
    /// fingerprinted.
    pub working_dir: String,
}

impl DataSave {
    /// The event for an output file's fingerprint, named by its file name.
    ///
    /// ```
    /// use ith_provenance::{events::DataSave, fingerprint_file};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("epochs.csv");
    /// std::fs::write(&path, "epoch\n1\n")?;
    /// let save = DataSave::from_file(&fingerprint_file(&path)?);
    /// assert_eq!(save.target_path, path.display().to_string());
    /// assert_eq!((save.size_bytes, save.output_name.as_deref()), (8, Some("epochs.csv")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_file(fp: &FileFingerprint) -> Self {
        let (target_path, working_dir) = crate::file::placed(&fp.path);
        DataSave {
            target_path,
            sha256_hash: fp.sha256,
            size_bytes: fp.size_bytes,
            output_name: fp.filename.clone(),
            working_dir: working_dir.unwrap_or_default(),
        }
    }

    /// The entry of `algorithm.result`'s `outputs` for this file.
    pub fn output(&self) -> OutputFile {
        OutputFile {
            target_path: self.target_path.clone(),
            sha256_hash: self.sha256_hash,
        }
    }
}

/// One entry of `algorithm.result`'s `outputs`: a `data.save` of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFile {
    /// The file's absolute path, as in its `data.save`.
    pub target_path: String,
    /// Its SHA-256, as in its `data.save`.
    pub sha256_hash: Sha256Hash,
}

/// `algorithm.init`: an algorithm starts, with its configuration and the
/// code's commit (version 3: and, when so, that its identity follows start
/// order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Event)]
#[event(name = "algorithm.init", version = 3, crate = "crate")]
pub struct AlgorithmInit {
    /// The algorithm's name (e.g. `bull_ith`).
    pub algorithm_name: String,
    /// Its version.
    pub version: String,
    /// The seed it was given, if any (written as `"0x"` + 16 hex digits).
    pub random_seed: Option<Seed>,
    /// The configuration as JSON.
    pub config: Value,
    /// `config_hash` of the configuration.
    pub config_hash: Sha256Hash,
    /// The fingerprint of its input, if one.
    pub input_hash: Option<Sha256Hash>,
    /// The commit of the experiment's source.
    pub git_sha: Option<String>,
    /// Whether the source had uncommitted changes.
    pub git_dirty: Option<bool>,
    /// The run started while a sibling with an equal identity (same
    /// function, parent and key) ran on another thread: its `#n` in
    /// `run_id`, and so its seeds, follow the order the threads started
    /// them. Written only when `true` (payload version 3; older lines lack
    /// it: read them as `false`). A sibling that was already running learns
    /// it later: its `algorithm.result` carries the same field.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub identity_from_start_order: bool,
}

/// How an algorithm run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// It returned normally.
    Ok,
    /// It returned an error.
    Error,
    /// It panicked.
    Panic,
}

/// `algorithm.result`: how a run ended, how long it took, what it produced
/// (version 3: and, when so, that its identity followed start order;
/// version 4: and a summary of its metric series).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Event)]
#[event(name = "algorithm.result", version = 4, crate = "crate")]
pub struct AlgorithmResult {
    /// `ok`, `error` or `panic`.
    pub status: RunStatus,
    /// Wall time from `algorithm.init`, in milliseconds.
    pub duration_ms: f64,
    /// Fingerprint of the output, when recorded.
    pub output_hash: Option<Sha256Hash>,
    /// Final metrics by name.
    pub final_metrics: BTreeMap<String, f64>,
    /// The error's or panic's message, when there is one.
    pub error: Option<String>,
    /// Events of this session the log could not write (a full disk, a
    /// closed stdout), counted so a loss is never silent.
    pub dropped_events: u64,
    /// Every `data.save` of the run, in order (version 2; read as empty
    /// from older lines, which lack it).
    #[serde(default)]
    pub outputs: Vec<OutputFile>,
    /// The run raced a sibling with an equal identity (same function,
    /// parent and key) running on another thread, at its start or while it
    /// ran: its `#n` in `run_id`, and so its seeds, follow the order the
    /// threads started them. Written only when `true` (payload version 3;
    /// older lines lack it: read them as `false`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub identity_from_start_order: bool,
    /// Each metric series of the run ([`Run::metric`](crate::Run::metric)),
    /// by name: last value, min and max (NaN ignored) and point count.
    /// Written only when the run has a series (payload version 4; older
    /// lines lack it: read them as none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<BTreeMap<String, MetricSummary>>,
}

#[cfg(test)]
mod tests;
