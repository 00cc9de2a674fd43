//! `export openlineage`: each run of the logs as OpenLineage `RunEvent`s,
//! one JSON object a line on stdout, or POSTed to an OpenLineage HTTP
//! endpoint (Marquez's `/api/v1/lineage`) with `--url`.
//!
//! Each file is scanned on its own and its events written before the next
//! is read, so memory grows with one file's runs, not with the sweep.
//! `event.rs` holds the mapping (docs/EXPORT.md), `http.rs` the client.

mod event;
#[cfg(feature = "http")]
mod http;
#[cfg(not(feature = "http"))]
mod offline;
#[cfg(not(feature = "http"))]
use offline as http;

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::error::CliError;
use crate::ops::reader::ReadOptions;
use crate::ops::scan::{ScanOptions, scan};
use crate::ops::schemas::Schemas;
use crate::output::out;
use event::{Mapper, Tally};

/// `export openlineage`.
#[derive(Debug, Args)]
pub struct OpenLineageArgs {
    /// Log files, directories (searched recursively for *.ndjson and
    /// *.jsonl) and patterns.
    #[arg(value_name = "LOG", required = true)]
    pub logs: Vec<PathBuf>,
    /// POST each event to this OpenLineage HTTP endpoint (for Marquez,
    /// http://HOST:5000/api/v1/lineage) instead of printing it. A bearer
    /// token is read from OPENLINEAGE_API_KEY when set.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Attempts after the first for an event the endpoint did not take
    /// (no connection, a timeout, HTTP 429 or 5xx); waits 0.25 s, 0.5 s,
    /// 1 s, … between them. A 4xx other than 429 is never retried.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// Seconds one request may take, connection included.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,
    #[command(flatten)]
    pub read: ReadOptions,
}

/// The `producer` of every event: this tool, by crate and version.
const PRODUCER: &str = concat!(
    "https://crates.io/crates/",
    env!("CARGO_PKG_NAME"),
    "/",
    env!("CARGO_PKG_VERSION")
);

/// Runs `export openlineage`: exit 0 when some run was exported, 1 when
/// the logs hold none.
pub(crate) fn run(
    args: &OpenLineageArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, CliError> {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(CliError::Usage(format!(
            "export openlineage: bad --timeout {}: expected a number of seconds above 0",
            args.timeout
        )));
    }
    let mut client = args
        .url
        .as_deref()
        .map(|url| {
            http::Client::new(
                url,
                args.retries,
                Duration::from_secs_f64(args.timeout),
                std::env::var("OPENLINEAGE_API_KEY")
                    .ok()
                    .filter(|k| !k.is_empty()),
            )
        })
        .transpose()?;
    let files = crate::ops::log_paths::expand(&args.logs)?;
    let options = ScanOptions {
        max_line: args.read.max_line_bytes,
        max_findings: 0,
        ..ScanOptions::default()
    };
    let mapper = Mapper::new(PRODUCER);
    let mut total = Tally::default();
    let mut events = 0usize;
    let mut line = Vec::new();
    for file in &files {
        let scan = scan(std::slice::from_ref(file), &options, Schemas::default())?;
        for session in &scan.sessions {
            let (exported, tally) = mapper.session(session);
            total.finished += tally.finished;
            total.unfinished += tally.unfinished;
            for e in exported {
                line.clear();
                serde_json::to_writer(&mut line, &e.event).expect("a Value serializes");
                match &mut client {
                    Some(client) => client.send(&line, &e.event)?,
                    None => {
                        line.push(b'\n');
                        out.write_all(&line).map_err(CliError::Output)?;
                    }
                }
                events += 1;
            }
        }
    }
    let runs = total.finished + total.unfinished;
    let mut summary = format!(
        "exported {events} OpenLineage event(s) for {runs} run(s) from {} log(s)",
        files.len()
    );
    if let Some(client) = &client {
        summary.push_str(&format!(" to {}", client.shown_url()));
    }
    if total.unfinished > 0 {
        summary.push_str(&format!(
            "; {} run(s) have no algorithm.result (still running, or the process was killed): \
             START only",
            total.unfinished
        ));
    }
    // Printed events keep stdout pure NDJSON: the summary goes to stderr.
    if client.is_some() {
        out!(out, "{summary}");
    } else {
        writeln!(err, "provenance: {summary}").map_err(CliError::Output)?;
    }
    Ok(if runs == 0 { 1 } else { 0 })
}
