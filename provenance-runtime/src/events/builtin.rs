//! The built-in event types, with the original Python module's names.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::Event;
use super::schema::{array_of, float, nullable, object, string, uint};
use crate::{ArrayFingerprint, FileFingerprint, ProvenanceContext, Scalar, Sha256Hash};

/// `session.start`: opens every session's lines and carries the whole
/// [`ProvenanceContext`] (nested, because its `session_id` and
/// `experiment_id` are already in the envelope).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionStart {
    /// The contract version the log follows (see `docs/CONTRACT.md`).
    pub contract_version: u32,
    /// Everything about the run.
    pub context: ProvenanceContext,
}

impl Event for SessionStart {
    const EVENT_TYPE: &'static str = "session.start";
    const VERSION: u32 = 1;
    fn payload_schema() -> Value {
        object(&[
            ("contract_version", uint(), true),
            (
                "context",
                json!({"type": "object", "required": ["session_id", "start_time", "root_seed", "git"]}),
                true,
            ),
        ])
    }
}

/// `data.load`: an input was read. The original's fields, plus the array
/// fingerprint's details when there is one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// `[min, max]` ignoring NaN, when known.
    pub value_range: Option<[Scalar; 2]>,
    /// The input's name in `input_hashes`, when recorded there.
    pub input_name: Option<String>,
    /// numpy dtype name, for arrays.
    pub dtype: Option<String>,
    /// Full shape, for arrays.
    pub shape: Option<Vec<usize>>,
    /// NaN count, for arrays.
    pub n_nans: Option<u64>,
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
            value_range: fp.range,
            input_name: None,
            dtype: Some(fp.dtype.clone()),
            shape: Some(fp.shape.clone()),
            n_nans: Some(fp.n_nans),
        }
    }

    /// The event for a file fingerprint, with the row and column counts the
    /// caller parsed.
    pub fn from_file(fp: &FileFingerprint, row_count: u64, columns: Vec<String>) -> Self {
        DataLoad {
            source_path: fp.path.display().to_string(),
            sha256_hash: fp.sha256,
            row_count,
            column_count: columns.len() as u64,
            columns,
            value_range: None,
            input_name: None,
            dtype: None,
            shape: None,
            n_nans: None,
        }
    }

    /// Names the input (as recorded in `input_hashes`).
    pub fn named(mut self, input_name: impl Into<String>) -> Self {
        self.input_name = Some(input_name.into());
        self
    }
}

impl Event for DataLoad {
    const EVENT_TYPE: &'static str = "data.load";
    const VERSION: u32 = 1;
    fn payload_schema() -> Value {
        let bound = json!({"anyOf": [{"type": ["number", "boolean"]}, {"enum": ["NaN", "Infinity", "-Infinity"]}]});
        object(&[
            ("source_path", string(), true),
            ("sha256_hash", hash(), true),
            ("row_count", uint(), true),
            ("column_count", uint(), true),
            ("columns", array_of(string()), true),
            (
                "value_range",
                nullable(json!({"type": "array", "items": bound, "minItems": 2, "maxItems": 2})),
                true,
            ),
            ("input_name", nullable(string()), true),
            ("dtype", nullable(string()), true),
            ("shape", nullable(array_of(uint())), true),
            ("n_nans", nullable(uint()), true),
        ])
    }
}

/// `algorithm.init`: an algorithm starts, with its configuration and the
/// code's commit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlgorithmInit {
    /// The algorithm's name (e.g. `bull_ith`).
    pub algorithm_name: String,
    /// Its version.
    pub version: String,
    /// The seed it was given, if any.
    pub random_seed: Option<u64>,
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
}

impl Event for AlgorithmInit {
    const EVENT_TYPE: &'static str = "algorithm.init";
    const VERSION: u32 = 1;
    fn payload_schema() -> Value {
        object(&[
            ("algorithm_name", string(), true),
            ("version", string(), true),
            ("random_seed", nullable(uint()), true),
            ("config", json!({}), true),
            ("config_hash", hash(), true),
            ("input_hash", nullable(hash()), true),
            ("git_sha", nullable(string()), true),
            ("git_dirty", nullable(json!({"type": "boolean"})), true),
        ])
    }
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

/// `algorithm.result`: how a run ended, how long it took, what it produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
}

impl Event for AlgorithmResult {
    const EVENT_TYPE: &'static str = "algorithm.result";
    const VERSION: u32 = 1;
    fn payload_schema() -> Value {
        object(&[
            ("status", json!({"enum": ["ok", "error", "panic"]}), true),
            ("duration_ms", float(), true),
            ("output_hash", nullable(hash()), true),
            (
                "final_metrics",
                json!({"type": "object", "additionalProperties": float()}),
                true,
            ),
            ("error", nullable(string()), true),
            ("dropped_events", uint(), true),
        ])
    }
}

/// Long or short: which side an ITH epoch was detected on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionType {
    /// Long positions (TMAEG).
    Bull,
    /// Short positions (TMAER).
    Bear,
}

/// `epoch_detected`: an ITH epoch, with the state that triggered it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochDetected {
    /// Sequential epoch number.
    pub epoch_index: u64,
    /// Index in the data where the epoch occurred.
    pub bar_index: u64,
    /// The bar's timestamp, when known (ISO 8601).
    pub timestamp: Option<String>,
    /// Excess gain at the epoch.
    pub excess_gain: f64,
    /// Excess loss at the epoch.
    pub excess_loss: f64,
    /// The endorsing crest.
    pub endorsing_crest: f64,
    /// The candidate nadir.
    pub candidate_nadir: f64,
    /// The TMAEG (or TMAER) threshold used.
    pub tmaeg_threshold: f64,
    /// `bull` or `bear`.
    pub position_type: PositionType,
    /// NAV at the epoch, when known.
    pub nav_at_epoch: Option<f64>,
}

impl Event for EpochDetected {
    const EVENT_TYPE: &'static str = "epoch_detected";
    const VERSION: u32 = 1;
    fn payload_schema() -> Value {
        object(&[
            ("epoch_index", uint(), true),
            ("bar_index", uint(), true),
            ("timestamp", nullable(string()), true),
            ("excess_gain", float(), true),
            ("excess_loss", float(), true),
            ("endorsing_crest", float(), true),
            ("candidate_nadir", float(), true),
            ("tmaeg_threshold", float(), true),
            ("position_type", json!({"enum": ["bull", "bear"]}), true),
            ("nav_at_epoch", nullable(float()), true),
        ])
    }
}

/// `hypothesis_result`: a statistical test's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HypothesisResult {
    /// Which hypothesis.
    pub hypothesis_id: String,
    /// The test (e.g. `welch_t`).
    pub test_name: String,
    /// The test statistic.
    pub statistic: f64,
    /// Its p-value.
    pub p_value: f64,
    /// The effect size, when computed.
    pub effect_size: Option<f64>,
    /// The decision (e.g. `reject`, `fail_to_reject`).
    pub decision: String,
    /// The significance level.
    pub alpha: f64,
    /// Anything else worth keeping.
    pub context: BTreeMap<String, Value>,
}

impl Event for HypothesisResult {
    const EVENT_TYPE: &'static str = "hypothesis_result";
    const VERSION: u32 = 1;
    fn payload_schema() -> Value {
        object(&[
            ("hypothesis_id", string(), true),
            ("test_name", string(), true),
            ("statistic", float(), true),
            ("p_value", float(), true),
            ("effect_size", nullable(float()), true),
            ("decision", string(), true),
            ("alpha", float(), true),
            ("context", json!({"type": "object"}), true),
        ])
    }
}

fn hash() -> Value {
    json!({"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"})
}
