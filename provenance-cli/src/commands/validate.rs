//! `validate`: every line against the contract and its schema.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::error::CliError;
use crate::ops::reader::ReadOptions;
use crate::ops::scan::{Finding, Scan, ScanOptions, scan};
use crate::ops::schemas::Schemas;
use crate::output::out;

/// `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Log files (`-` for standard input), directories (searched
    /// recursively for *.ndjson and *.jsonl) and patterns.
    #[arg(required = true, value_name = "LOG")]
    pub logs: Vec<PathBuf>,
    /// Check events against these schemas instead of the log's own.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Print at most this many problems (all are counted).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub max_errors: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadOptions,
}

/// What `validate --json` prints.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// No problem at all.
    pub valid: bool,
    /// The files read.
    pub files: &'a [String],
    /// Files with no line.
    pub empty_files: &'a [String],
    /// Log lines read.
    pub lines: u64,
    /// Lines skipped as a program's output (not starting with `{`).
    pub skipped_lines: u64,
    /// Lines with a problem.
    pub invalid_lines: u64,
    /// Problems found (a line may have several).
    pub problems_total: u64,
    /// The first problems.
    pub problems: &'a [Finding],
    /// Sessions seen.
    pub sessions: Vec<&'a str>,
    /// How many sessions follow each contract version (`version` `null`:
    /// sessions without a `session.start`, read as the newest).
    pub contract_versions: Vec<VersionCount>,
}

/// Sessions of one contract version.
#[derive(Debug, Serialize)]
pub struct VersionCount {
    /// The `contract_version` of their `session.start` (`None`: none).
    pub version: Option<u64>,
    /// How many sessions.
    pub sessions: usize,
}

/// The sessions of each contract version, in version order (sessions
/// without a `session.start` last).
pub fn contract_versions(scan: &Scan) -> Vec<VersionCount> {
    let mut counts: std::collections::BTreeMap<(bool, u64), usize> = Default::default();
    for s in &scan.sessions {
        let key = match s.contract_version {
            Some(v) => (false, v),
            None => (true, 0),
        };
        *counts.entry(key).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|((unknown, v), sessions)| VersionCount {
            version: (!unknown).then_some(v),
            sessions,
        })
        .collect()
}

/// `contract version 1 (2 sessions)`, or for several versions
/// `contract versions 1 (1 session), 2 (1 session)`.
pub fn contract_text(versions: &[VersionCount]) -> String {
    let parts: Vec<String> = versions
        .iter()
        .map(|c| {
            let sessions = if c.sessions == 1 {
                "session"
            } else {
                "sessions"
            };
            match c.version {
                Some(v) => format!("{v} ({} {sessions})", c.sessions),
                None => format!(
                    "unknown ({} {sessions} without session.start, read as version {})",
                    c.sessions,
                    crate::ops::scan::CONTRACT_VERSION
                ),
            }
        })
        .collect();
    let word = if parts.len() == 1 {
        "version"
    } else {
        "versions"
    };
    format!("contract {word} {}", parts.join(", "))
}

/// Whether a scan found the logs valid: at least one line, no problem.
pub fn is_valid(scan: &Scan) -> bool {
    scan.findings_total == 0 && scan.empty_files.is_empty()
}

/// Runs `validate`: 0 when every line is valid, 1 when not.
///
/// # Errors
/// A log or the schema file cannot be read.
pub fn run(args: &ValidateArgs, out: &mut dyn Write) -> Result<i32, CliError> {
    let schemas = match &args.schema {
        Some(path) => Schemas::with_file(path)?,
        None => Schemas::default(),
    };
    let options = ScanOptions {
        check_schemas: true,
        check_form: true,
        max_line: args.read.max_line_bytes,
        max_findings: args.max_errors,
    };
    let files = crate::ops::log_paths::expand_all(&args.logs)?;
    let scan = scan(&files, &options, schemas)?;
    let valid = is_valid(&scan);
    if args.json {
        let report = Report {
            valid,
            files: &scan.files,
            empty_files: &scan.empty_files,
            lines: scan.lines,
            skipped_lines: scan.skipped_lines,
            invalid_lines: scan.invalid_lines,
            problems_total: scan.findings_total,
            problems: &scan.findings,
            sessions: scan.sessions.iter().map(|s| s.id.as_str()).collect(),
            contract_versions: contract_versions(&scan),
        };
        serde_json::to_writer_pretty(&mut *out, &report).map_err(|e| CliError::Output(e.into()))?;
        out!(out, "");
    } else {
        for file in &scan.empty_files {
            out!(
                out,
                "{file}: empty log (no lines; a log starts with session.start)"
            );
        }
        for f in &scan.findings {
            out!(out, "{}:{}: {}", f.file, f.line, f.problem);
        }
        let shown = scan.findings.len() as u64;
        if scan.findings_total > shown {
            out!(
                out,
                "... and {} more problem(s) (--max-errors N shows more)",
                scan.findings_total - shown
            );
        }
        if scan.skipped_lines > 0 {
            out!(
                out,
                "{}",
                crate::commands::summary::skipped_text(scan.skipped_lines)
            );
        }
        if !scan.sessions.is_empty() {
            out!(out, "{}", contract_text(&contract_versions(&scan)));
        }
        if valid {
            out!(
                out,
                "valid: {} line(s), {} session(s) in {} file(s)",
                scan.lines,
                scan.sessions.len(),
                scan.files.len()
            );
        } else if scan.lines == 0 {
            // Empty files, or none of their lines a log line: "0 of 0
            // lines have problems" would say nothing.
            out!(
                out,
                "invalid: no log line in {} file(s) ({} problem(s))",
                scan.files.len(),
                scan.findings_total + scan.empty_files.len() as u64
            );
        } else {
            out!(
                out,
                "invalid: {} of {} line(s) have problems ({} problem(s))",
                scan.invalid_lines,
                scan.lines,
                scan.findings_total
            );
        }
    }
    Ok(if valid { 0 } else { 1 })
}
