//! `verify`: recompute the fingerprints of the files a log's inputs name.
//!
//! Every session of the log is verified. An input can be checked when its
//! `data.load` line fingerprints a file (`DataLoad::from_file`): `dtype` is
//! `null`, there is no `shape`, and `source_path` is a path, not
//! `argument` nor a URI-like `scheme:rest` (`generated:…`, `s3://…`).
//! Relative paths resolve against `--root` when given, else against the
//! `working_dir` the `data.load` line recorded (the writer's working
//! folder; the text then says so), else the current folder.
//! Each file is hashed once, streaming, however many inputs name it.
//!
//! Each input is `ok`, `changed` (another SHA-256), `missing` (no file
//! there), `error` (a directory, unreadable) or `not_verifiable` (an array
//! or value fingerprint, an `input_hashes` entry without a path). The exit
//! status is 1 when any input is changed, missing or in error, else 0 (also
//! when nothing can be verified).
//!
//! `--json` prints `{"ok": bool, "log": "...", "root": "..." | null,
//! "counts": {"ok": n, "changed": n, "missing": n, "error": n,
//! "not_verifiable": n}, "inputs": [{"session", "name", "line",
//! "source_path", "path", "working_dir", "status", "expected", "actual",
//! "message"}],
//! "skipped_lines": n}` (`skipped_lines`: lines of program output, not
//! starting with `{`);
//! `path` (the resolved file), `working_dir` (the recorded folder a
//! relative `source_path` was resolved against), `actual` and `message`
//! are present only when they apply.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use crate::error::CliError;
use crate::ops::reader::ReadOptions;
use crate::ops::scan::{InMemory, Input, ScanOptions, scan};
use crate::ops::schemas::Schemas;
use crate::output::out;

/// `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The log.
    #[arg(value_name = "LOG")]
    pub log: PathBuf,
    /// Resolve relative source paths against this folder (default: the
    /// working_dir the data.load line recorded, else the current folder).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadOptions,
}

/// What became of one input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The file has the recorded fingerprint.
    Ok,
    /// The file has another fingerprint.
    Changed,
    /// No file at the path.
    Missing,
    /// The path cannot be read (a directory, no permission).
    Error,
    /// Not a file fingerprint: nothing to recompute.
    NotVerifiable,
}

impl Status {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Changed => "changed",
            Status::Missing => "missing",
            Status::Error => "error",
            Status::NotVerifiable => "not verifiable",
        }
    }
}

/// One input's verification.
#[derive(Debug, Serialize)]
pub struct Checked {
    /// The session that recorded it.
    pub session: String,
    /// Its name (`input_name`, else `source_path`).
    pub name: String,
    /// The line of its `data.load` (0: the context's `input_hashes`).
    pub line: u64,
    /// `source_path` as recorded.
    pub source_path: Option<String>,
    /// The file read, after `--root` or the recorded `working_dir`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The recorded `working_dir` a relative `source_path` was resolved
    /// against (no `--root` given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// The outcome.
    pub status: Status,
    /// The recorded fingerprint.
    pub expected: String,
    /// The file's fingerprint now, when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// Why it is in error or not verifiable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Inputs by outcome.
#[derive(Debug, Default, Serialize)]
pub struct Counts {
    /// Matching files.
    pub ok: usize,
    /// Files with another fingerprint.
    pub changed: usize,
    /// Files not found.
    pub missing: usize,
    /// Paths that cannot be read.
    pub error: usize,
    /// Inputs that are not file fingerprints.
    pub not_verifiable: usize,
}

/// What `verify --json` prints.
#[derive(Debug, Serialize)]
pub struct Report {
    /// No input changed, missing or in error.
    pub ok: bool,
    /// The log.
    pub log: String,
    /// `--root`, when given.
    pub root: Option<String>,
    /// Inputs by outcome.
    pub counts: Counts,
    /// Every input of every session, in the log's order.
    pub inputs: Vec<Checked>,
    /// Lines skipped as a program's output (not starting with `{`).
    pub skipped_lines: u64,
}

/// Runs `verify`: 0 when every file input matches, 1 when one changed or
/// is missing.
///
/// # Errors
/// A log that cannot be read.
pub fn run(args: &VerifyArgs, out: &mut dyn Write) -> Result<i32, CliError> {
    if let Some(root) = &args.root
        && !root.is_dir()
    {
        return Err(CliError::Usage(format!(
            "verify: --root {} is not a folder",
            root.display()
        )));
    }
    let options = ScanOptions {
        max_line: args.read.max_line_bytes,
        max_findings: 0,
        ..ScanOptions::default()
    };
    let scan = scan(
        std::slice::from_ref(&args.log),
        &options,
        Schemas::default(),
    )?;
    let log = scan.files.first().cloned().unwrap_or_default();
    if scan.sessions.is_empty() {
        return Err(CliError::NoSession(log));
    }
    let mut hashed: HashMap<PathBuf, Result<String, (Status, String)>> = HashMap::new();
    let mut inputs = Vec::new();
    for session in &scan.sessions {
        for input in &session.inputs {
            inputs.push(check(&session.id, input, args.root.as_deref(), &mut hashed));
        }
    }
    let mut counts = Counts::default();
    for c in &inputs {
        *match c.status {
            Status::Ok => &mut counts.ok,
            Status::Changed => &mut counts.changed,
            Status::Missing => &mut counts.missing,
            Status::Error => &mut counts.error,
            Status::NotVerifiable => &mut counts.not_verifiable,
        } += 1;
    }
    let report = Report {
        ok: counts.changed + counts.missing + counts.error == 0,
        log,
        root: args.root.as_ref().map(|r| r.display().to_string()),
        counts,
        inputs,
        skipped_lines: scan.skipped_lines,
    };
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &report).map_err(|e| CliError::Output(e.into()))?;
        out!(out, "");
    } else {
        write_text(&report, out)?;
    }
    Ok(if report.ok { 0 } else { 1 })
}

/// Why an input is not a file that can be hashed again, if it is not.
pub(crate) fn not_a_file(input: &Input) -> Option<String> {
    let Some(source) = input.source_path.as_deref() else {
        return Some("recorded in the context's input_hashes, without a path".into());
    };
    match input.in_memory() {
        Some(InMemory::Array {
            dtype: Some(dtype), ..
        }) => {
            return Some(format!(
                "an array fingerprint (dtype {dtype}) of data in memory"
            ));
        }
        Some(InMemory::Array { dtype: None, .. }) => {
            return Some("an array fingerprint (it has a shape) of data in memory".into());
        }
        Some(InMemory::Value) => {
            return Some("a value passed as an argument, not a file".into());
        }
        None => {}
    }
    if source.is_empty() {
        return Some("an empty source_path".into());
    }
    if let Some((scheme, _)) = source.split_once(':') {
        let scheme_like = scheme.len() > 1
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if scheme_like {
            return Some(format!("source {source:?} is not a file path"));
        }
    }
    None
}

fn check(
    session: &str,
    input: &Input,
    root: Option<&Path>,
    hashed: &mut HashMap<PathBuf, Result<String, (Status, String)>>,
) -> Checked {
    let mut checked = Checked {
        session: session.to_string(),
        name: input.name.clone(),
        line: input.line,
        source_path: input.source_path.clone(),
        path: None,
        working_dir: None,
        status: Status::NotVerifiable,
        expected: input.sha256.clone(),
        actual: None,
        message: not_a_file(input),
    };
    if checked.message.is_some() {
        return checked;
    }
    let source = Path::new(input.source_path.as_deref().unwrap_or_default());
    // --root, given, wins; else the folder the writer ran in, which it
    // recorded (data.load payload version 2); else the current folder.
    let path = match (root, input.working_dir.as_deref()) {
        (Some(root), _) if source.is_relative() => root.join(source),
        (None, Some(wd)) if source.is_relative() => {
            checked.working_dir = Some(wd.to_string());
            Path::new(wd).join(source)
        }
        _ => source.to_path_buf(),
    };
    checked.path = Some(path.display().to_string());
    let result = hashed
        .entry(path.clone())
        .or_insert_with(|| file_sha256(&path));
    match result {
        Ok(actual) => {
            checked.status = if *actual == input.sha256 {
                Status::Ok
            } else {
                Status::Changed
            };
            checked.actual = Some(actual.clone());
        }
        Err((status, message)) => {
            checked.status = *status;
            checked.message = Some(message.clone());
        }
    }
    checked
}

/// The `sha256:<hex>` of the file at `path`, or what makes it unreadable
/// (`rerun` checks its inputs with it too).
pub(crate) fn file_sha256(path: &Path) -> Result<String, (Status, String)> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err((Status::Missing, "no such file".into()));
        }
        Err(e) => return Err((Status::Error, format!("cannot read: {e}"))),
        Ok(meta) if meta.is_dir() => {
            return Err((Status::Error, "a directory, not a file".into()));
        }
        Ok(meta) if !meta.is_file() => {
            return Err((Status::Error, "not a regular file".into()));
        }
        Ok(_) => {}
    }
    ith_provenance_runtime::fingerprint_file(path)
        .map(|fp| fp.sha256.to_string())
        .map_err(|e| (Status::Error, e.to_string()))
}

/// The text form: one line per input, then a one-line verdict.
///
/// # Errors
/// Writing fails.
pub fn write_text(report: &Report, out: &mut dyn Write) -> Result<(), CliError> {
    let sessions: std::collections::BTreeSet<&str> =
        report.inputs.iter().map(|c| c.session.as_str()).collect();
    let several = sessions.len() > 1;
    let width = report
        .inputs
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0);
    for c in &report.inputs {
        let session = if several {
            format!("{} ", c.session)
        } else {
            String::new()
        };
        let head = format!("{:<14} {session}{:<width$}", c.status.label(), c.name);
        let path = c.path.as_deref().unwrap_or("");
        let against = c
            .working_dir
            .as_deref()
            .map(|wd| {
                format!(
                    "  ({} resolved against the recorded working_dir {wd})",
                    c.source_path.as_deref().unwrap_or("")
                )
            })
            .unwrap_or_default();
        match c.status {
            Status::Ok => out!(out, "{head}  {path}  {}{against}", c.expected),
            Status::Changed => out!(
                out,
                "{head}  {path}: expected {}, found {}{against}",
                c.expected,
                c.actual.as_deref().unwrap_or("?")
            ),
            Status::Missing | Status::Error => out!(
                out,
                "{head}  {path}: {}{against}",
                c.message.as_deref().unwrap_or("")
            ),
            Status::NotVerifiable => out!(out, "{head}  {}", c.message.as_deref().unwrap_or("")),
        }
    }
    let n = &report.counts;
    let verifiable = n.ok + n.changed + n.missing + n.error;
    if verifiable == 0 {
        out!(
            out,
            "nothing to verify: no data.load names a file ({} input(s) recorded, none a file \
             fingerprint)",
            n.not_verifiable
        );
    } else if report.ok {
        out!(out, "ok: {} file(s) unchanged", n.ok);
    } else {
        out!(
            out,
            "failed: {} changed, {} missing, {} unreadable, {} ok",
            n.changed,
            n.missing,
            n.error,
            n.ok
        );
    }
    Ok(())
}
