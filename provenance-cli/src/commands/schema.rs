//! `schema`: the JSON Schemas a log carries, printed for reading or for
//! `validate --schema` (the schemas themselves are kept and checked by
//! [`crate::ops::schemas`]).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::error::CliError;
use crate::ops::reader::ReadOptions;
use crate::ops::scan::{ScanOptions, scan};
use crate::ops::schemas::{SchemaEntry, Schemas};
use crate::output::out;

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
    pub read: ReadOptions,
}

/// Runs `schema`: prints the schemas the log carries, each event type and
/// version once (the first seen). 0 when there is at least one, 1 when the
/// log carries none.
///
/// # Errors
/// The log cannot be read.
pub fn run(args: &SchemaArgs, out: &mut dyn Write) -> Result<i32, CliError> {
    let options = ScanOptions {
        max_line: args.read.max_line_bytes,
        ..Default::default()
    };
    let scan = scan(
        std::slice::from_ref(&args.log),
        &options,
        Schemas::default(),
    )?;
    let mut seen: Vec<&SchemaEntry> = Vec::new();
    let mut conflicts = Vec::new();
    for entry in scan.sessions.iter().flat_map(|s| &s.schemas) {
        match seen
            .iter()
            .find(|e| e.name == entry.name && e.version == entry.version)
        {
            Some(first) if first.schema != entry.schema => {
                conflicts.push(format!("{} version {}", entry.name, entry.version));
            }
            Some(_) => {}
            None => seen.push(entry),
        }
    }
    seen.sort_by(|a, b| (&a.name, a.version).cmp(&(&b.name, b.version)));
    let fail = |e: serde_json::Error| CliError::Output(e.into());
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &seen).map_err(fail)?;
        out!(out, "");
    } else {
        for entry in &seen {
            out!(out, "# {} (version {})", entry.name, entry.version);
            serde_json::to_writer_pretty(&mut *out, &entry.schema).map_err(fail)?;
            out!(out, "\n");
        }
        if seen.is_empty() {
            out!(
                out,
                "{}: no event.schema line: the log carries no schema",
                args.log.display()
            );
        }
    }
    if !conflicts.is_empty() {
        out!(
            out,
            "warning: sessions disagree on the schema of {} (the first seen is printed)",
            conflicts.join(", ")
        );
    }
    Ok(if seen.is_empty() { 1 } else { 0 })
}
