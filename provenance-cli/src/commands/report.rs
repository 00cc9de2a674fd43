//! `report`: one self-contained HTML page of the runs (the `runs` table,
//! a compare of chosen runs, metric charts, configuration against a metric,
//! the lineage of recorded files and each run's own view), its data inlined
//! and its script and style built into the binary: it opens offline.
//!
//! `data.rs` gathers the page's data from the logs (`docs/REPORT.md`
//! specifies it), `series.rs` downsamples long series for drawing,
//! `page.rs` puts data, style and script into the page.

pub(crate) mod data;
pub(crate) mod page;
mod series;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::commands::runs::SelectArgs;
use crate::error::CliError;
use crate::ops::log_source::Disk;
use crate::output::out;

/// `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// The page to write (replaced atomically if it exists).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

/// Runs `report`: writes the page; exit 0 (an empty page, saying so, when
/// no run matches).
pub(crate) fn run(
    args: &ReportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, CliError> {
    check_output(&args.output)?;
    let source = Disk::expand(&args.select.paths)?;
    let data = data::gather(&args.select, &source, &mut data::RunKeys::default(), err)?;
    let html = page::render(&data.json, None);
    write_page(&args.output, html.as_bytes())?;
    out!(
        out,
        "wrote {} ({} run(s), {} series, {} bytes)",
        args.output.display(),
        data.runs,
        data.series,
        html.len()
    );
    Ok(0)
}

/// Refuses, before any log is read, a page path that is a directory (or
/// ends with a slash) or whose folder does not exist, saying which.
fn check_output(path: &Path) -> Result<(), CliError> {
    let fail = |message: String| CliError::WriteTable {
        path: path.to_path_buf(),
        message,
    };
    let trailing_slash = path.as_os_str().to_string_lossy().ends_with(['/', '\\']);
    if path.is_dir() || trailing_slash {
        return Err(fail(format!(
            "a directory; give the page a file name ({})",
            path.join("report.html").display()
        )));
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(folder) = folder.filter(|f| !f.is_dir()) {
        return Err(fail(format!(
            "its folder {} does not exist (report does not create folders)",
            folder.display()
        )));
    }
    Ok(())
}

/// Writes the page beside its final name, then renames it there: a reader
/// (a browser reloading it, the live view's user) never sees half a page.
fn write_page(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let fail = |message: String| CliError::WriteTable {
        path: path.to_path_buf(),
        message,
    };
    let name = path
        .file_name()
        .ok_or_else(|| fail("not a file name".into()))?;
    let partial = path.with_file_name(format!(
        ".{}.partial-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        fail(e.to_string())
    })
}
