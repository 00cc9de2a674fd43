//! Expanding a pattern (`logs/*/sess_*.ndjson`) one path component at a
//! time, so that names which are not UTF-8 match too: the `glob` crate
//! skips every such name. A component without `*`, `?` or `[` is taken as
//! it is, bytes and all; one with them is matched against each name in the
//! folder, read as UTF-8 with each invalid byte sequence as U+FFFD (`*`
//! and `?` match it like any character); `**` alone is any number of
//! folders.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

use glob::{MatchOptions, Pattern};

use crate::error::CliError;

/// The paths (files and folders) `pattern` matches, in no given order.
///
/// # Errors
/// A component that is not a valid pattern (an unclosed `[`).
pub(super) fn matches(pattern: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut found = vec![PathBuf::new()];
    for component in pattern.components() {
        let name = match component {
            Component::Normal(name) if is_pattern(name) => name,
            other => {
                for path in &mut found {
                    path.push(other);
                }
                found.retain(|p| p.symlink_metadata().is_ok());
                continue;
            }
        };
        if name == "**" {
            let mut all = Vec::new();
            for dir in found {
                folders_below(dir, &mut all);
            }
            found = all;
            continue;
        }
        let text = name.to_string_lossy();
        let matcher = Pattern::new(&text).map_err(|e| {
            CliError::Usage(format!("{}: not a valid pattern ({e})", pattern.display()))
        })?;
        let mut next = Vec::new();
        for dir in &found {
            let listed = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir.as_path()
            };
            let Ok(entries) = std::fs::read_dir(listed) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                if matcher.matches_with(&name.to_string_lossy(), MatchOptions::new()) {
                    next.push(dir.join(name));
                }
            }
        }
        found = next;
    }
    Ok(found)
}

/// Whether `name` holds a pattern character.
pub(super) fn is_pattern(name: &OsStr) -> bool {
    name.to_string_lossy().contains(['*', '?', '['])
}

/// `dir` and every folder below it (symbolic links not followed).
fn folders_below(dir: PathBuf, all: &mut Vec<PathBuf>) {
    let listed = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir.clone()
    };
    if let Ok(entries) = std::fs::read_dir(&listed) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                folders_below(dir.join(entry.file_name()), all);
            }
        }
    }
    all.push(dir);
}
