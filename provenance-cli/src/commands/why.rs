//! `why`: which run wrote this file (or hash), from what, and which runs
//! wrote those inputs, back to files no log says were written.
//!
//! The logs are scanned one file at a time and only the runs that wrote a
//! file (`data.save`, `algorithm.result`'s `outputs`) are kept, indexed by
//! hash (`lineage.rs`); the tree is printed by `text.rs` or as JSON.
//!
//! Exit 0 when a run wrote the hash; 1 when none did (a file whose path a
//! run wrote, with another hash, is said to have changed since); 2 on an
//! error.
//!
//! `--json` prints `{"found": bool, "hash", "file": path | null,
//! "run": Node | null, "changed": {"path", "recorded", "now", "session",
//! "run"} | null}`, a Node being `{session, file, run, algorithm, start,
//! commit, dirty, config, seeds: [{component, seed, run}], output:
//! {target_path, sha256, line}, other_writers, inputs: [{name, source_path,
//! sha256, working_dir, in_memory, written_by: Node | null, cycle}]}`.

pub(crate) mod lineage;
mod text;

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use crate::error::CliError;
use crate::ops::reader::ReadOptions;
use crate::ops::scan::{ScanOptions, scan};
use crate::ops::schemas::Schemas;
use lineage::Index;

/// `why`.
#[derive(Debug, Args)]
pub struct WhyArgs {
    /// A file (its sha256 now is looked up) or a hash, `sha256:<64 hex>`.
    #[arg(value_name = "FILE|sha256:HEX")]
    pub target: PathBuf,
    /// Log files, directories (searched recursively for *.ndjson and
    /// *.jsonl) and patterns.
    #[arg(value_name = "LOG", required = true)]
    pub logs: Vec<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadOptions,
}

fn is_hash(text: &str) -> bool {
    text.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Runs `why`.
pub(crate) fn run(args: &WhyArgs, out: &mut dyn Write) -> Result<i32, CliError> {
    // A file name need not be UTF-8; a hash always is.
    let hash_text = args.target.to_str().filter(|t| t.starts_with("sha256:"));
    let (hash, file) = if let Some(text) = hash_text {
        if !is_hash(text) {
            return Err(CliError::Usage(format!(
                "why: {text:?} is not a hash: expected sha256: and 64 lowercase hex digits"
            )));
        }
        (text.to_string(), None)
    } else {
        let path = args.target.clone();
        let meta = std::fs::metadata(&path).map_err(|source| CliError::Open {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            return Err(CliError::Usage(format!(
                "why: {} is a directory; give a file or a sha256: hash",
                path.display()
            )));
        }
        let fp = ith_provenance_runtime::fingerprint_file(&path)
            .map_err(|e| CliError::Usage(format!("why: cannot hash {}: {e}", path.display())))?;
        let abs = std::fs::canonicalize(&path).unwrap_or(path);
        (fp.sha256.to_string(), Some(abs))
    };
    let files = crate::ops::log_paths::expand(&args.logs)?;
    let options = ScanOptions {
        max_line: args.read.max_line_bytes,
        max_findings: 0,
        ..ScanOptions::default()
    };
    let mut index = Index::default();
    for f in &files {
        let scan = scan(std::slice::from_ref(f), &options, Schemas::default())?;
        for session in &scan.sessions {
            index.add(session);
        }
    }
    let file_text = file.as_ref().map(|f| f.display().to_string());
    let found = index.writer_of(&hash, file_text.as_deref());
    let tree = found.map(|i| index.tree(i, &hash, file_text.as_deref()));
    let changed = match (&tree, &file_text) {
        (None, Some(path)) => index.written_at(path).map(|(i, o)| {
            let w = &index.writers[i];
            (
                path.clone(),
                o.sha256.clone(),
                w.session.clone(),
                w.run.clone(),
            )
        }),
        _ => None,
    };
    if args.json {
        let report = json!({
            "found": tree.is_some(),
            "hash": hash,
            "file": file_text,
            "run": tree,
            "changed": changed.as_ref().map(|(path, recorded, session, run)| json!({
                "path": path, "recorded": recorded, "now": hash, "session": session, "run": run,
            })),
        });
        crate::output::out!(
            out,
            "{}",
            serde_json::to_string_pretty(&report).expect("JSON")
        );
    } else {
        match (&tree, &changed) {
            (Some(tree), _) => text::tree(tree, file_text.as_deref(), &hash, out)?,
            (None, Some((path, recorded, session, run))) => {
                let name = std::path::Path::new(path)
                    .file_name()
                    .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
                let run = run.as_deref().unwrap_or("(outside any run)");
                crate::output::out!(
                    out,
                    "{name} changed since run {run} of session {session} wrote it (recorded \
                     {recorded}, now {hash})"
                );
            }
            (None, None) => {
                let what = file_text.map_or(hash.clone(), |f| format!("{f} ({hash})"));
                crate::output::out!(
                    out,
                    "no log knows {what}: no data.save or algorithm.result output of the {} \
                     file(s) read recorded it",
                    files.len()
                );
            }
        }
    }
    Ok(if tree.is_some() { 0 } else { 1 })
}
