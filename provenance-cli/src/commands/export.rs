//! `export`: hand a sweep's records to the engines teams already run.
//!
//! - `export openlineage`: each run as OpenLineage `RunEvent`s (START at
//!   `algorithm.init`, COMPLETE / FAIL at `algorithm.result`), NDJSON to
//!   stdout or POSTed to an OpenLineage HTTP endpoint (`openlineage.rs`).
//! - `export parquet`: a `runs` and an `events` table as Parquet files,
//!   behind the CLI's `parquet` cargo feature (`parquet.rs`), so a user who
//!   does not export does not build Arrow.

mod openlineage;
#[cfg(feature = "parquet")]
mod parquet;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::error::CliError;
use crate::ops::reader::ReadOptions;

/// `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format.
    #[command(subcommand)]
    pub format: ExportFormat,
}

/// The formats `export` writes.
#[derive(Debug, Subcommand)]
pub enum ExportFormat {
    /// Each run as OpenLineage RunEvents (START, then COMPLETE or FAIL),
    /// one JSON object a line on stdout, or POSTed with --url.
    #[command(after_help = "Examples:\n  \
        provenance export openlineage logs/ > lineage.ndjson\n  \
        provenance export openlineage --url http://localhost:5000/api/v1/lineage logs/\n\n\
        run.runId is a UUID (version 5) of the session and run ids: exporting twice gives \
        the same ids. See docs/EXPORT.md for the mapping.")]
    Openlineage(openlineage::OpenLineageArgs),
    /// A `runs` and an `events` table as Parquet files in --out DIR (needs
    /// the CLI built with its `parquet` feature).
    #[command(after_help = "Examples:\n  \
        provenance export parquet --out tables/ logs/\n  \
        duckdb -c \"SELECT * FROM 'tables/runs.parquet'\"\n\n\
        See docs/EXPORT.md for the columns and their types.")]
    Parquet(ParquetArgs),
}

/// `export parquet`.
#[derive(Debug, Args)]
pub struct ParquetArgs {
    /// Log files, directories (searched recursively for *.ndjson and
    /// *.jsonl) and patterns.
    #[arg(value_name = "LOG", required = true)]
    pub logs: Vec<PathBuf>,
    /// The directory to write runs.parquet, events.parquet and
    /// metrics.parquet into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub read: ReadOptions,
}

/// Runs `export`.
pub(crate) fn run(
    args: &ExportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, CliError> {
    match &args.format {
        ExportFormat::Openlineage(a) => openlineage::run(a, out, err),
        ExportFormat::Parquet(a) => parquet_run(a, out, err),
    }
}

// The arguments go over one by one: `parquet` taking `ParquetArgs` would
// import this module back.
#[cfg(feature = "parquet")]
fn parquet_run(
    args: &ParquetArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, CliError> {
    parquet::run(&args.logs, &args.out, args.read.max_line_bytes, out, err)
}

#[cfg(not(feature = "parquet"))]
fn parquet_run(
    _args: &ParquetArgs,
    _out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<i32, CliError> {
    Err(CliError::Usage(
        "export parquet: this provenance was built without Parquet support; build it with \
         `cargo install ith-provenance-cli --features parquet` (or `cargo run -p ith-provenance-cli \
         --features parquet -- export parquet …`)"
            .to_string(),
    ))
}
