//! Command-line arguments (clap) and the exit-status convention: 0 fine,
//! 1 a finding (invalid lines, runs that differ, changed inputs), 2 an error
//! (a file that cannot be read, a bad option).

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::error::CliError;
use crate::reader::DEFAULT_MAX_LINE;

/// Read, check and compare provenance logs (NDJSON, docs/CONTRACT.md).
#[derive(Debug, Parser)]
#[command(
    name = "provenance",
    version,
    about,
    after_help = "Exit status: 0 when all is well, 1 when a log is invalid, two runs differ or an \
                  input changed, 2 on an error (a missing file, a bad option).\n\n\
                  Examples:\n  \
                  provenance summary logs/provenance/*.ndjson\n  \
                  provenance validate --json logs/provenance/sess_*.ndjson\n  \
                  provenance diff last-week.ndjson today.ndjson\n  \
                  provenance verify --root data/ run.ndjson\n  \
                  provenance schema run.ndjson"
)]
pub struct Cli {
    /// The verb.
    #[command(subcommand)]
    pub command: Command,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print each session's provenance: experiment, commit, seeds, config,
    /// inputs, event counts, time span, status, lost and invalid lines.
    #[command(after_help = "Examples:\n  \
        provenance summary logs/provenance/sess_20261125_104611_123456_9f3a2c1e0b7d.ndjson\n  \
        provenance summary --json run.ndjson | jq '.sessions[0].seeds'\n  \
        cat run.ndjson | provenance summary -")]
    Summary(SummaryArgs),
    /// Check every line against the contract and its event type's schema;
    /// print file:line: message for each problem, exit 1 if any.
    #[command(after_help = "Examples:\n  \
        provenance validate run.ndjson\n  \
        provenance validate --max-errors 5 logs/provenance/*.ndjson\n  \
        provenance validate --schema schemas.json --json run.ndjson\n\n\
        The schemas come from --schema FILE (a JSON array as `provenance schema --json` \
        prints it, or an object of schemas by event type), else from the log's own \
        event.schema lines, else, for the contract's own event types, from the contract's \
        built-in schemas for the session's version (1 or 2). Lines that do not start with \
        { are a program's output: skipped and counted.")]
    Validate(ValidateArgs),
    /// Compare the provenance of two runs: commit, config, inputs, seeds,
    /// versions and event counts; exit 0 if the same, 1 if they differ.
    #[command(after_help = "Examples:\n  \
        provenance diff a.ndjson b.ndjson\n  \
        provenance diff --events --rtol 1e-9 a.ndjson b.ndjson\n  \
        provenance diff --json a.ndjson b.ndjson | jq .differences\n  \
        provenance diff --session-a sess_A --session-b sess_B shared.ndjson shared.ndjson\n\n\
        --events also compares the events of each type in order, ignoring ts, the ids and \
        seq, and reports the first that differs.")]
    Diff(DiffArgs),
    /// Recompute the fingerprints of the files named in data.load events
    /// and report which changed or are missing; exit 1 if any.
    #[command(after_help = "Examples:\n  \
        provenance verify run.ndjson\n  \
        provenance verify --root /data/archive run.ndjson\n\n\
        Only data.load lines that fingerprint a file (no dtype: written with \
        DataLoad::from_file or log_data_load on a file) can be checked; array and value \
        fingerprints of in-memory data are listed as not verifiable.")]
    Verify(VerifyArgs),
    /// Print the JSON Schemas a log carries (one per event type and version).
    #[command(after_help = "Examples:\n  \
        provenance schema run.ndjson\n  \
        provenance schema --json run.ndjson > schemas.json   # for validate --schema")]
    Schema(SchemaArgs),
}

/// Options every verb that reads logs shares.
#[derive(Debug, Args)]
pub struct ReadOptions {
    /// Lines longer than this many bytes are reported and skipped without
    /// being held in memory.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_LINE)]
    pub max_line_bytes: usize,
}

/// `summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Log files (`-` for standard input).
    #[arg(required = true, value_name = "LOG")]
    pub logs: Vec<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub read: ReadOptions,
}

/// `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Log files (`-` for standard input).
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
    #[allow(missing_docs)]
    pub read: ReadOptions,
}

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
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub read: ReadOptions,
}

/// `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The log.
    #[arg(value_name = "LOG")]
    pub log: PathBuf,
    /// Resolve relative source paths against this folder (default: the
    /// current folder).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub read: ReadOptions,
}

/// `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The log.
    #[arg(value_name = "LOG")]
    pub log: PathBuf,
    /// Print one JSON array (the form `validate --schema` reads) instead of
    /// one titled schema per event type.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub read: ReadOptions,
}

/// Runs the tool with `args` (the program name first), writing to `out`;
/// returns the exit status.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let text = e.render().to_string();
            let _ = if code == 0 {
                out.write_all(text.as_bytes())
            } else {
                err.write_all(text.as_bytes())
            };
            return code;
        }
    };
    let result = match &cli.command {
        Command::Summary(a) => crate::summary::run(a, out),
        Command::Validate(a) => crate::validate::run(a, out),
        Command::Diff(a) => crate::diff::run(a, out, err),
        Command::Verify(a) => crate::verify::run(a, out),
        Command::Schema(a) => crate::schemas::run(a, out),
    };
    match result {
        Ok(code) => code,
        Err(CliError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(err, "provenance: {e}");
            2
        }
    }
}

/// `write!` to the output, mapping failures to [`CliError::Output`].
#[macro_export]
#[doc(hidden)]
macro_rules! out {
    ($out:expr, $($arg:tt)*) => {
        writeln!($out, $($arg)*).map_err($crate::CliError::Output)?
    };
}
