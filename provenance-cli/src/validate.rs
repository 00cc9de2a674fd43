//! `validate`: every line against the contract and its schema.

use std::io::Write;

use serde::Serialize;

use crate::cli::ValidateArgs;
use crate::error::CliError;
use crate::out;
use crate::scan::{Finding, Scan, ScanOptions, scan};
use crate::schemas::Schemas;

/// What `validate --json` prints.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// No problem at all.
    pub valid: bool,
    /// The files read.
    pub files: &'a [String],
    /// Files with no line.
    pub empty_files: &'a [String],
    /// Lines read.
    pub lines: u64,
    /// Lines with a problem.
    pub invalid_lines: u64,
    /// Problems found (a line may have several).
    pub problems_total: u64,
    /// The first problems.
    pub problems: &'a [Finding],
    /// Sessions seen.
    pub sessions: Vec<&'a str>,
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
        max_line: args.read.max_line_bytes,
        max_findings: args.max_errors,
    };
    let scan = scan(&args.logs, &options, schemas)?;
    let valid = is_valid(&scan);
    if args.json {
        let report = Report {
            valid,
            files: &scan.files,
            empty_files: &scan.empty_files,
            lines: scan.lines,
            invalid_lines: scan.invalid_lines,
            problems_total: scan.findings_total,
            problems: &scan.findings,
            sessions: scan.sessions.iter().map(|s| s.id.as_str()).collect(),
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
        if valid {
            out!(
                out,
                "valid: {} line(s), {} session(s) in {} file(s)",
                scan.lines,
                scan.sessions.len(),
                scan.files.len()
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
