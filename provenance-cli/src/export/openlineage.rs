//! `export openlineage`: runs as OpenLineage RunEvents.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::error::CliError;
use crate::reader::ReadOptions;

/// `export openlineage`.
#[derive(Debug, Args)]
pub struct OpenLineageArgs {
    /// Log files, directories (searched recursively for *.ndjson and
    /// *.jsonl) and patterns.
    #[arg(value_name = "LOG", required = true)]
    pub logs: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadOptions,
}

/// Runs `export openlineage`.
pub(crate) fn run(
    _args: &OpenLineageArgs,
    _out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<i32, CliError> {
    Err(CliError::Usage("export openlineage: in progress".into()))
}
