//! Giving the two finished tables their names, both or neither, so that
//! `runs.parquet`, `events.parquet` and `metrics.parquet` always come from
//! one export.
//!
//! One rename is atomic, two are not, so the old pair is first moved aside
//! (`NAME.previous`), then each partial file renamed to its name, then the
//! old pair removed. A reader looking meanwhile finds the old pair, one old
//! table alone, no table, one new table alone, or the new pair: never a new
//! table next to an old one. When a step fails, every step before it is
//! undone: the new tables are removed and the old pair put back.

use std::path::{Path, PathBuf};

use super::file::{Written, fail};
use crate::error::CliError;

/// Renames `tables` from their partial names to their final names, all or
/// none; on failure the final names hold what they held before.
///
/// # Errors
/// A rename that failed, with what was undone.
pub(super) fn publish(tables: &mut [Written]) -> Result<(), CliError> {
    let mut aside: Vec<(&Path, PathBuf)> = Vec::new();
    let mut placed: Vec<&Path> = Vec::new();
    let mut failure = None;
    for table in tables.iter() {
        if table.path.symlink_metadata().is_ok() {
            let previous = previous_name(&table.path);
            if let Err(e) = std::fs::rename(&table.path, &previous) {
                failure = Some((previous, format!("cannot move the old table here: {e}")));
                break;
            }
            aside.push((&table.path, previous));
        }
    }
    if failure.is_none() {
        for table in tables.iter() {
            if let Err(e) = std::fs::rename(&table.partial, &table.path) {
                failure = Some((table.path.clone(), e.to_string()));
                break;
            }
            placed.push(&table.path);
        }
    }
    let Some(failure) = failure else {
        for (_, previous) in &aside {
            // Best effort: the new pair is in place whatever happens here.
            let _ = std::fs::remove_file(previous);
        }
        for table in tables.iter_mut() {
            table.published = true;
        }
        sync_folder(tables);
        return Ok(());
    };
    for path in placed {
        let _ = std::fs::remove_file(path);
    }
    let mut lost = Vec::new();
    for (path, previous) in aside.iter().rev() {
        if std::fs::rename(previous, path).is_err() {
            lost.push(format!("{} is at {}", path.display(), previous.display()));
        }
    }
    let (path, message) = failure;
    let outcome = if lost.is_empty() {
        "the old ones are as they were".to_string()
    } else {
        format!(
            "the old ones could not all be put back: {}",
            lost.join(", ")
        )
    };
    Err(fail(
        &path,
        &format!("{message}; neither table was written, {outcome}"),
    ))
}

/// Where the table at `path` waits while the new one takes its name.
fn previous_name(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".previous");
    PathBuf::from(name)
}

/// Asks the folder to keep the renames across a crash (best effort: not
/// every file system can).
fn sync_folder(tables: &[Written]) {
    if let Some(dir) = tables.first().and_then(|t| t.path.parent()) {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
}
