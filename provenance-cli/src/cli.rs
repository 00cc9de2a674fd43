//! Command-line arguments (clap) and the exit-status convention: 0 fine,
//! 1 a finding (invalid lines, runs that differ, changed inputs), 2 an error
//! (a file that cannot be read, a bad option).
//!
//! Each verb's options live with the verb (`summary::SummaryArgs`, …);
//! this module only assembles them into the verbs and dispatches.

use std::io::{self, Write};

use clap::{Parser, Subcommand};

use crate::commands::diff::DiffArgs;
use crate::commands::export::ExportArgs;
use crate::commands::report::ReportArgs;
use crate::commands::rerun::RerunArgs;
use crate::commands::runs::RunsArgs;
use crate::commands::schema::SchemaArgs;
use crate::commands::summary::SummaryArgs;
use crate::commands::ui::UiArgs;
use crate::commands::validate::ValidateArgs;
use crate::commands::verify::VerifyArgs;
use crate::commands::why::WhyArgs;
use crate::error::CliError;

/// Read, check and compare provenance logs (NDJSON, docs/CONTRACT.md).
#[derive(Debug, Parser)]
#[command(
    name = "provenance",
    version,
    about,
    after_help = "Exit status: 0 when all is well, 1 when a log is invalid, two runs differ, an \
                  input changed or nothing matched, 2 on an error (a missing file, a bad option).\n\n\
                  Examples:\n  \
                  provenance summary logs/provenance/*.ndjson\n  \
                  provenance validate --json logs/provenance/sess_*.ndjson\n  \
                  provenance diff last-week.ndjson today.ndjson\n  \
                  provenance verify --root data/ run.ndjson\n  \
                  provenance schema run.ndjson\n  \
                  provenance runs --where 'metric.sharpe>1' --sort -metric.sharpe logs/\n  \
                  provenance why results/result.csv logs/\n  \
                  provenance export openlineage logs/ > lineage.ndjson\n  \
                  provenance rerun logs/provenance/sess_20261125_104611_123456_9f3a2c1e0b7d.ndjson\n  \
                  provenance report logs/ -o report.html"
)]
pub(crate) struct Cli {
    /// The verb.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
        provenance validate --max-errors 5 logs/provenance/\n  \
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
    /// List the runs of many logs, one row each: session, run, experiment,
    /// algorithm, start, commit, status, duration, config.*, metric.*;
    /// filter, sort, print as a table, CSV or JSON.
    #[command(after_help = "Examples:\n  \
        provenance runs logs/provenance/\n  \
        provenance runs --where config.hurdle=0.05 --where 'metric.sharpe>1' logs/\n  \
        provenance runs --experiment exp001 --since 2026-11-25 --sort -metric.sharpe --limit 5 logs/\n  \
        provenance runs --csv 'logs/*/sess_*.ndjson' > runs.csv\n  \
        provenance runs --group-by config.lr,config.window --sort -metric.sharpe.mean logs/\n\n\
        Columns: session, run, experiment, algorithm, start, commit, dirty, status, \
        duration_ms, then config.<key> (nested keys joined with dots, an array of objects \
        flattened: config.rules[0].lookback) and metric.<key> (final_metrics; a metric \
        series' last point, with metric.<key>.min, .max, .count). With --group-by: the keys, \
        n, and metric.<key>.mean, .std, .min, .max. Exit 1 when no run matches; 2 when \
        --sort or --group-by names a column no run read has.")]
    Runs(RunsArgs),
    /// Which run wrote this file (or sha256: hash), from which inputs, and
    /// which runs wrote those: the chain as a tree; exit 1 if no log knows it.
    #[command(after_help = "Examples:\n  \
        provenance why results/result.csv logs/provenance/\n  \
        provenance why sha256:9b98e1d389b5995a490cd873aa00bd60040ed8331f1f982d45cec24f525f85c7 'logs/*.ndjson'\n  \
        provenance why --json result.csv logs/ | jq .run.commit\n\n\
        A file is looked up by its sha256 now. A file whose path a run wrote with another \
        hash has changed since: said so, exit 1.")]
    Why(WhyArgs),
    /// Reproduce a logged run: rebuild its commit (and stored uncommitted
    /// changes) in a temporary worktree, run it with the recorded arguments,
    /// seed and variables, and compare the new log with the old one; exit 0
    /// reproduced, 1 it differs, 2 it could not be rerun.
    #[command(after_help = "Examples:\n  \
        provenance rerun logs/provenance/sess_20261125_104611_123456_9f3a2c1e0b7d.ndjson\n  \
        provenance rerun --at main run.ndjson          # same config and seed, today's code\n  \
        provenance rerun --run ith_experiment#1 --rtol 1e-12 run.ndjson\n  \
        provenance rerun --keep run.ndjson -- --api-key \"$KEY\"   # arguments of your own\n\n\
        The inputs are checked first, as verify does; the build uses the recorded package, \
        target, profile, features and Cargo.lock. The new log is written beside the old one \
        (<session>.rerun-<time>.ndjson), and the comparison is diff --events.")]
    Rerun(RerunArgs),
    /// One self-contained HTML page of the runs: the runs table (sortable,
    /// filterable), a compare of chosen runs, metric charts, configuration
    /// against a metric, the lineage of recorded files and each run's view.
    #[command(after_help = "Examples:\n  \
        provenance report logs/provenance/ -o report.html\n  \
        provenance report --where config.hurdle=0.05 --sort -metric.epochs logs/ -o hurdle.html\n  \
        provenance report --group-by config.hurdle logs/ -o sweep.html\n\n\
        The page opens offline (its data, script and style are inside it) and makes no \
        request. Rows, columns and options are those of runs; docs/REPORT.md describes \
        the page.")]
    Report(ReportArgs),
    /// The report's page served on 127.0.0.1 and kept current as the logs
    /// grow and new logs appear: a run in progress shows its series moving.
    #[command(after_help = "Examples:\n  \
        provenance ui logs/provenance/\n  \
        provenance ui --port 9000 --where config.hurdle=0.05 logs/\n\n\
        Prints the URL, then serves until stopped (Ctrl-C). The logs are only read, and only \
        the bytes appended since the last look (every second). --bind another address than \
        127.0.0.1 serves your logs to whoever can reach it, with a warning.")]
    Ui(UiArgs),
    /// Export runs to other engines: OpenLineage RunEvents (NDJSON or HTTP),
    /// or Parquet tables of runs and events.
    Export(ExportArgs),
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
        Command::Summary(a) => crate::commands::summary::run(a, out),
        Command::Validate(a) => crate::commands::validate::run(a, out),
        Command::Diff(a) => crate::commands::diff::run(a, out, err),
        Command::Verify(a) => crate::commands::verify::run(a, out),
        Command::Schema(a) => crate::commands::schema::run(a, out),
        Command::Runs(a) => crate::commands::runs::run(a, out, err),
        Command::Why(a) => crate::commands::why::run(a, out),
        Command::Export(a) => crate::commands::export::run(a, out, err),
        Command::Rerun(a) => crate::commands::rerun::run(a, out, err),
        Command::Report(a) => crate::commands::report::run(a, out, err),
        Command::Ui(a) => crate::commands::ui::run(a, out, err),
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
