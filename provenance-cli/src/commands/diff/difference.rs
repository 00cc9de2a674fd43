//! One difference (or note) between two sessions, and the lists a
//! comparison fills.

use serde::Serialize;
use serde_json::Value;

/// One difference (or note) between the two sides.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Difference {
    /// Its kind: `git`, `version`, `experiment`, `config`, `run`, `input`,
    /// `seed`, `count`, `dependency`, `build`, `machine`, `env`
    /// (differences); `host`, `command_line`, `git`, `input`, `seed`,
    /// `log`, `build`, `machine` (notes).
    pub what: &'static str,
    /// Where: `git.diff_hash`, `ith_experiment#1.config.hurdle`, `input.nav`,
    /// `ith_experiment#1/bull_ith#1.input.nav`,
    /// `seed.root`, `count.epoch_detected`, …
    pub path: String,
    /// The run the path is in (its `run_id`, which the path starts with),
    /// when it is in a run: A's run, or B's for a run only B has.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// B's run, when the run in A is paired with a run of another id (see
    /// [`super::pairing`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_b: Option<String>,
    /// The algorithm of the run the path is in, when it is in a run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// A's value; absent when A has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a: Option<Value>,
    /// B's value; absent when B has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<Value>,
    /// What this difference follows from, when it is only a consequence of
    /// another one: `config` (a run id or `config_hash` that changed with
    /// the configuration listed beside it), `input` (a run id keyed by its
    /// changed inputs), `parent` (a nested run's id under a parent of
    /// another id), `id` (a seed derived from a run id that differs). The
    /// text output counts these in one line instead of listing them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follows: Option<&'static str>,
    /// The text output's line for it, when `label: a → b` does not read
    /// well (`dependency ndarray 0.17.0 → 0.17.1`).
    #[serde(skip)]
    pub text: Option<String>,
}

/// Differences (which make the runs differ) and notes (which do not).
#[derive(Debug, Default)]
pub struct Comparison {
    /// What makes the runs differ.
    pub differences: Vec<Difference>,
    /// What differs between any two runs of the same code and data and is
    /// shown for information.
    pub notes: Vec<Difference>,
}

impl Comparison {
    pub(super) fn push(
        &mut self,
        note: bool,
        what: &'static str,
        path: String,
        a: Option<Value>,
        b: Option<Value>,
    ) {
        if a != b {
            let d = Difference {
                what,
                path,
                a,
                b,
                ..Difference::default()
            };
            if note {
                self.notes.push(d);
            } else {
                self.differences.push(d);
            }
        }
    }
}
