//! `diff`: what differs between the provenance of two runs.
//!
//! Each log is scanned once ([`crate::ops::scan`]) and one session is chosen on
//! each side: the only one, or the one `--session-a` / `--session-b` names.
//! The two sessions are then compared ([`compare`]):
//!
//! - **differences** (exit 1): the git commit, dirty flag and diff hash,
//!   and each path that is dirty on one side only or differently;
//!   the contract, crate and rustc versions; the experiment id; the
//!   context's config hash; per run (paired by id, else as a person
//!   would: [`pairing`]): algorithm, version, parent, every configuration
//!   key that differs, the config hash, seed, input hash, status, output hash, error,
//!   `final_metrics` (within `--rtol`/`--atol`) and dropped events; inputs
//!   by run and name, else by fingerprint (added, removed, another
//!   fingerprint); seeds by run and component (`root` first); event
//!   counts by type. A difference that only follows from another (the id
//!   and config hash of a run whose configuration changed, a seed derived
//!   from a run id that changed) has `follows` and is counted, not listed,
//!   in the text.
//! - **notes** (no effect on the exit status): what differs between any two
//!   runs on different machines or invocations: host name, OS and
//!   architecture, command line, git branch, a binary run against a source
//!   other than the one it was built from (`git_at_run`), an input read from another
//!   path with the same fingerprint, a seed from another source with the
//!   same value, lost or invalid lines.
//! - never compared: session ids, `start_time`, `ts`, `seq` and
//!   `duration_ms`, which differ between every two runs.
//! - **runs numbered by start order** (no effect on the exit status unless
//!   `--strict-identity`): groups of identical calls that raced on several
//!   threads (`identity_from_start_order`), whose ids, and so the pairing
//!   and their seeds, follow thread scheduling. Named in the verdict, so
//!   a "same" is never plain about them.
//!
//! With `--events`, each event type's stream is also compared event by
//! event ([`events`]): payloads only (the envelope, `ts`, ids and `seq`,
//! are ignored; so is `duration_ms` in `algorithm.result`), numbers within
//! the tolerance ([`value::Tolerance`]).
//!
//! `--json` prints one object:
//!
//! ```json
//! {
//!   "same": false,
//!   "a": {"file": "a.ndjson", "session": "sess_…", "contract_version": 1, "skipped_lines": 0},
//!   "b": {"file": "b.ndjson", "session": "sess_…", "contract_version": 2, "skipped_lines": 3},
//!   "differences": [
//!     {"what": "config", "path": "ith_experiment#1.config.hurdle", "run": "ith_experiment#1", "algorithm": "ith_experiment", "a": 0.05, "b": 0.06},
//!     {"what": "config", "path": "grid#1/rule@9199297f#1.config.lookback", "run": "grid#1/rule@9199297f#1", "run_b": "grid#1/rule@58b6e1fc#1", "algorithm": "rule", "a": 60, "b": 40},
//!     {"what": "config", "path": "grid#1/rule@9199297f#1.config_hash", "run": "grid#1/rule@9199297f#1", "run_b": "grid#1/rule@58b6e1fc#1", "algorithm": "rule", "a": "sha256:…", "b": "sha256:…", "follows": "config"}
//!   ],
//!   "notes": [{"what": "command_line", "path": "command_line", "a": [...], "b": [...]}],
//!   "events": [
//!     {"event_type": "epoch_detected", "a": 14, "b": 13, "same": false,
//!      "first_difference": {"run": "ith_experiment#1/bull_ith#1", "index": 3, "line_a": 12, "line_b": 12, "path": "nav_at_epoch", "a": 1.2, "b": 1.3}}
//!   ],
//!   "start_order": {"a": [], "b": [
//!     {"group": "sweep#1/worker@44136fa3", "algorithm": "worker", "runs": 8, "seen_racing": 2}
//!   ]},
//!   "strict_identity": false
//! }
//! ```
//!
//! `a` or `b` is absent from a difference when that side has nothing
//! there (a key, input, seed or run on one side only). `run` is A's run
//! (B's for a run only B has); `run_b` is B's when the run is paired with
//! one of another id, in `first_difference` too. `events` is `null`
//! without `--events`; a `first_difference` with `path` `null` is an event
//! one side has and the other has not. `same` is true when there is no
//! difference, every event type is the same, and with `--strict-identity`
//! neither side has runs numbered by start order.

mod build;
pub(crate) mod compare;
mod difference;
mod event_report;
pub(crate) mod events;
mod git;
mod pairing;
pub(crate) mod report;
mod runs;
mod scoped;
mod series;
pub(crate) mod text;
mod value;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use self::events::Sides;
use self::report::{Report, SideId, StartOrderSides};
use self::text::write_text;
use self::value::Tolerance;
use crate::error::CliError;
use crate::ops::reader::ReadOptions;
use crate::ops::scan::{Scan, ScanOptions, Session, scan};
use crate::ops::schemas::Schemas;
use crate::output::out;

/// `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The first log (the baseline).
    #[arg(value_name = "A")]
    pub a: PathBuf,
    /// The second log.
    #[arg(value_name = "B")]
    pub b: PathBuf,
    /// Which session of A, when it holds several.
    #[arg(long, value_name = "SESSION_ID")]
    pub session_a: Option<String>,
    /// Which session of B, when it holds several.
    #[arg(long, value_name = "SESSION_ID")]
    pub session_b: Option<String>,
    /// Also compare the events of each type, in order, and report the first
    /// that differs.
    #[arg(long)]
    pub events: bool,
    /// Relative tolerance for numbers with --events.
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    pub rtol: f64,
    /// Absolute tolerance for numbers with --events.
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    pub atol: f64,
    /// Count runs numbered by start order (identical calls that raced on
    /// several threads: their ids and seeds follow scheduling) as a
    /// difference, for CI: exit 1 when either side has any.
    #[arg(long)]
    pub strict_identity: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadOptions,
    /// The sides were built from different commits on purpose (`rerun
    /// --at`): the commit, dirty state and uncommitted changes are not
    /// compared, nor the commit each run's `algorithm.init` records.
    #[arg(skip)]
    pub other_commit: bool,
    /// B ran in a copy of A's folder (`rerun`'s worktree): `(copy,
    /// original)`; B's event paths under the copy compare as the same
    /// paths under the original.
    #[arg(skip)]
    pub moved: Option<(String, String)>,
}

/// Runs `diff`: 0 when the runs are the same, 1 when they differ.
///
/// # Errors
/// A log that cannot be read, or a session that cannot be chosen.
pub fn run(args: &DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, CliError> {
    let report = report(args, err)?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &report).map_err(|e| CliError::Output(e.into()))?;
        out!(out, "");
    } else {
        write_text(&report, out)?;
    }
    Ok(if report.same { 0 } else { 1 })
}

/// Compares the two logs `args` names (`rerun` compares its new log with
/// the old one through it).
///
/// # Errors
/// A log that cannot be read, or a session that cannot be chosen.
pub(crate) fn report(args: &DiffArgs, err: &mut dyn Write) -> Result<Report, CliError> {
    let tolerance = tolerance(args)?;
    let stdin = Path::new("-");
    if args.a == stdin && args.b == stdin {
        return Err(CliError::Usage(
            "diff: A and B cannot both be standard input (-): save one to a file".into(),
        ));
    }
    if args.events && (args.a == stdin || args.b == stdin) {
        return Err(CliError::Usage(
            "diff --events reads each log twice, which standard input (-) cannot be: \
             save it to a file"
                .into(),
        ));
    }
    let options = ScanOptions {
        max_line: args.read.max_line_bytes,
        max_findings: 0,
        ..ScanOptions::default()
    };
    let scan_a = scan(std::slice::from_ref(&args.a), &options, Schemas::default())?;
    let scan_b = scan(std::slice::from_ref(&args.b), &options, Schemas::default())?;
    let a = choose(&scan_a, args.session_a.as_deref(), "--session-a")?;
    let b = choose(&scan_b, args.session_b.as_deref(), "--session-b")?;
    if a.id == b.id {
        writeln!(
            err,
            "provenance: both sides are session {}: the same run, or a copy",
            a.id
        )
        .map_err(CliError::Output)?;
    }
    let pairing = pairing::pair(a, b);
    let mut comparison = compare::compare(&scan_a, a, &scan_b, b, &pairing, tolerance);
    if args.other_commit {
        comparison.differences.retain(|d| d.what != "git");
    }
    if let Some((copy, original)) = &args.moved {
        // B ran in a copy of A's folder: a path that is only the same path
        // under the copy is no change, not even a note.
        comparison.notes.retain(|d| {
            let (Some(serde_json::Value::String(a)), Some(serde_json::Value::String(b))) =
                (&d.a, &d.b)
            else {
                return true;
            };
            let moved = b
                .strip_prefix(copy.as_str())
                .filter(|rest| rest.is_empty() || rest.starts_with('/'))
                .map(|rest| format!("{original}{rest}"));
            moved.as_deref() != Some(a.as_str())
        });
    }
    let events = if args.events {
        let sides = Sides {
            a: &args.a,
            session_a: &a.id,
            b: &args.b,
            session_b: &b.id,
            b_to_a: &pairing.b_to_a,
            a_to_b: &pairing.a_to_b,
            max_line: args.read.max_line_bytes,
            other_commit: args.other_commit,
            moved: args.moved.as_ref(),
        };
        Some(events::compare_streams(&sides, tolerance)?)
    } else {
        None
    };
    let start_order = StartOrderSides {
        a: a.start_order_groups(),
        b: b.start_order_groups(),
    };
    let same = comparison.differences.is_empty()
        && events
            .as_ref()
            .is_none_or(|types| types.iter().all(|t| t.same))
        && !(args.strict_identity && start_order.counted().is_some());
    let report = Report {
        same,
        a: SideId {
            file: name(&scan_a),
            session: a.id.clone(),
            contract_version: a.contract_version,
            skipped_lines: scan_a.skipped_lines,
        },
        b: SideId {
            file: name(&scan_b),
            session: b.id.clone(),
            contract_version: b.contract_version,
            skipped_lines: scan_b.skipped_lines,
        },
        differences: comparison.differences,
        notes: comparison.notes,
        events,
        start_order,
        strict_identity: args.strict_identity,
    };
    Ok(report)
}

fn tolerance(args: &DiffArgs) -> Result<Tolerance, CliError> {
    for (flag, value) in [("--rtol", args.rtol), ("--atol", args.atol)] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(CliError::Usage(format!(
                "diff: {flag} must be a finite number >= 0 (got {value})"
            )));
        }
    }
    Ok(Tolerance {
        rtol: args.rtol,
        atol: args.atol,
    })
}

fn name(scan: &Scan) -> String {
    scan.files.first().cloned().unwrap_or_default()
}

/// The session of a scanned log to compare: the one `wanted` names, else
/// the only one.
///
/// # Errors
/// No session, several and none chosen, or an unknown one.
pub fn choose<'s>(
    scan: &'s Scan,
    wanted: Option<&str>,
    flag: &'static str,
) -> Result<&'s Session, CliError> {
    let file = name(scan);
    let ids = || {
        scan.sessions
            .iter()
            .map(|s| s.id.clone())
            .collect::<Vec<_>>()
    };
    let session = match (wanted, scan.sessions.as_slice()) {
        (_, []) => return Err(CliError::NoSession(file)),
        (Some(id), sessions) => match sessions.iter().find(|s| s.id == id) {
            Some(s) => s,
            None => {
                return Err(CliError::UnknownSession {
                    file,
                    session: id.to_string(),
                    sessions: ids(),
                });
            }
        },
        (None, [only]) => only,
        (None, _) => {
            return Err(CliError::AmbiguousSession {
                file,
                sessions: ids(),
                flag,
            });
        }
    };
    // A session of a newer contract never gets here: the scan refused it.
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::scan::scan_bytes;
    use proptest::prelude::*;
    use serde_json::Value;
    use serde_json::json;

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            (-1e300f64..1e300).prop_map(Value::from),
            "[a-zé.:\u{2028}\"\\\\ ]{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map("[a-z.\"]{0,4}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A log of one session whose lines carry arbitrary values where the
    /// comparison looks.
    fn log(values: &[Value], gap: u64) -> Vec<u8> {
        let v = |i: usize| values[i % values.len()].clone();
        let types = [
            "algorithm.init",
            "algorithm.result",
            "data.load",
            "seed.derived",
            "x",
        ];
        let mut lines = vec![
            json!({"ts": "t", "event_type": "session.start", "session_id": "s",
            "seq": 0, "contract_version": v(0), "context": {"session_id": "s", "git": v(1),
            "host": v(2), "crate": v(3), "root_seed": {"seed": v(4), "source": v(5)},
            "input_hashes": v(6), "random_seeds": v(7), "command_line": v(8)}}),
        ];
        for (i, t) in types.iter().cycle().take(values.len()).enumerate() {
            lines.push(json!({"ts": "t", "event_type": t, "session_id": "s",
                "seq": i as u64 + 1 + if i == 2 { gap } else { 0 }, "run_id": v(i),
                "config": v(i + 1), "final_metrics": v(i + 2), "status": v(i + 3),
                "input_name": v(i + 4), "sha256_hash": v(i + 5), "source_path": v(i + 6),
                "component": v(i + 7), "seed": v(i + 8)}));
        }
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        text.into_bytes()
    }

    proptest! {
        #[test]
        fn a_session_never_differs_from_itself_and_nothing_panics(
            values in prop::collection::vec(any_value(), 1..12),
            other in prop::collection::vec(any_value(), 1..12),
            gap in prop_oneof![Just(0u64), Just(u64::MAX - 8)],
        ) {
            let options = ScanOptions::default();
            let a = scan_bytes(&log(&values, gap), &options);
            let b = scan_bytes(&log(&other, 0), &options);
            let (Ok(sa), Ok(sb)) = (choose(&a, None, "--session-a"), choose(&b, None, "--session-b"))
            else {
                return Ok(());
            };
            let same = compare::compare(&a, sa, &a, sa, &pairing::pair(sa, sa), Tolerance::EXACT);
            prop_assert!(same.differences.is_empty(), "{:?}", same.differences);
            let c = compare::compare(&a, sa, &b, sb, &pairing::pair(sa, sb), Tolerance { rtol: 1e-9, atol: 0.0 });
            let report = Report {
                same: c.differences.is_empty(),
                a: SideId { file: "a".into(), session: sa.id.clone(), contract_version: sa.contract_version, skipped_lines: 0 },
                b: SideId { file: "b".into(), session: sb.id.clone(), contract_version: sb.contract_version, skipped_lines: 0 },
                differences: c.differences,
                notes: c.notes,
                events: Some(Vec::new()),
                start_order: StartOrderSides { a: sa.start_order_groups(), b: sb.start_order_groups() },
                strict_identity: false,
            };
            let mut out = Vec::new();
            write_text(&report, &mut out).unwrap();
            serde_json::to_string(&report).unwrap();
        }
    }
}
