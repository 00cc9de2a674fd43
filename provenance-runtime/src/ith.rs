//! The original ITH module's own events (`epoch_detected`,
//! `hypothesis_result`) and its `log_*` functions, which write to the
//! installed log; the facade shows them as `ith_provenance::ith`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    AlgorithmInit, ArrayFingerprint, DataLoad, Event, EventLog, FieldSchema, LogError, Result,
    Sha256Hash,
};

/// Long or short: which side an ITH epoch was detected on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionType {
    /// Long positions (TMAEG).
    Bull,
    /// Short positions (TMAER).
    Bear,
}

impl FieldSchema for PositionType {
    fn field_schema() -> Value {
        serde_json::json!({"enum": ["bull", "bear"]})
    }
}

/// `epoch_detected`: an ITH epoch, with the state that triggered it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Event)]
#[event(name = "epoch_detected", version = 1, crate = "crate")]
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

/// `hypothesis_result`: a statistical test's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Event)]
#[event(name = "hypothesis_result", version = 1, crate = "crate")]
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

/// The installed log, or the error naming the event that had nowhere to go.
fn installed_log<E: Event>() -> Result<EventLog, LogError> {
    EventLog::current().ok_or(LogError::NoLog {
        event_type: E::EVENT_TYPE,
    })
}

fn emit_current<E: Event>(event: E) -> Result<E> {
    installed_log::<E>()?.emit(&event)?;
    Ok(event)
}

/// Writes a `data.load` event to the installed log, as the original's
/// `log_data_load(source, rows, columns, fingerprint)` did.
///
/// # Errors
/// [`LogError::NoLog`] when no log is installed; as [`EventLog::emit`].
pub fn log_data_load(
    source_path: &str,
    row_count: u64,
    columns: &[&str],
    fingerprint: &ArrayFingerprint,
) -> Result<DataLoad> {
    let mut event = DataLoad::from_array(
        source_path,
        fingerprint,
        columns.iter().map(|c| c.to_string()).collect(),
    );
    event.row_count = row_count;
    emit_current(event)
}

/// Writes an `algorithm.init` event to the installed log, as the
/// original's `log_algorithm_init(algorithm_name, version, config,
/// input_hash, random_seed)` did, adding `config_hash` and the git state.
///
/// # Errors
/// [`LogError::NoLog`] when no log is installed;
/// [`Error::Config`](crate::Error::Config) for a configuration JSON cannot
/// hold; as [`EventLog::emit`].
pub fn log_algorithm_init<C: Serialize + ?Sized>(
    algorithm_name: &str,
    version: &str,
    config: &C,
    input_hash: Option<Sha256Hash>,
    random_seed: Option<u64>,
) -> Result<AlgorithmInit> {
    let log = installed_log::<AlgorithmInit>()?;
    let event = log.algorithm_init(algorithm_name, version, config, input_hash, random_seed)?;
    log.emit(&event)?;
    Ok(event)
}

/// Writes an `epoch_detected` event to the installed log.
///
/// # Errors
/// [`LogError::NoLog`] when no log is installed; as [`EventLog::emit`].
pub fn log_epoch_detected(event: EpochDetected) -> Result<EpochDetected> {
    emit_current(event)
}

/// Writes a `hypothesis_result` event to the installed log.
///
/// # Errors
/// [`LogError::NoLog`] when no log is installed; as [`EventLog::emit`].
pub fn log_hypothesis_result(event: HypothesisResult) -> Result<HypothesisResult> {
    emit_current(event)
}
