//! Turning the paths a user gives (every verb that reads many logs) into
//! log files: a file as it is, a directory searched recursively for
//! `*.ndjson` and `*.jsonl`, a pattern with `*`, `?` or `[…]` expanded here
//! when the shell did not (quoted, or a shell without globbing, such as
//! Windows' `cmd`; `pattern.rs`). Names need not be UTF-8. Two paths to
//! one file (a symbolic or a hard link) are one log: [`file_id`].

mod pattern;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// The log files `args` name, each once, in the order given (a directory's
/// and a pattern's files sorted by path): for verbs that read each file on
/// its own (`runs`, `why`, `export`).
///
/// # Errors
/// As [`expand_all`].
pub(crate) fn expand(args: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    Ok(unique(collect(args, Empty::Refused)?))
}

/// As [`expand`], for a verb that watches the paths for logs to come
/// (`ui`): a directory or a pattern that names no log yet names none,
/// rather than being an error.
///
/// # Errors
/// A malformed pattern, or a directory that cannot be read.
pub(crate) fn expand_watched(args: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    Ok(unique(collect(args, Empty::Allowed)?))
}

/// `files` with each file once (the first path given to it kept).
fn unique(mut files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = HashSet::new();
    files.retain(|path| match file_id(path) {
        Some(id) => seen.insert(id),
        // Unreadable: kept, for the reader to say why.
        None => true,
    });
    files
}

/// What makes two paths one file: its device and inode number where the
/// system has them, so that hard links to one file are one file as
/// symbolic links are (both resolve to one inode); its canonical path
/// elsewhere. `None` for a path that cannot be read (the reader says why).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct FileId(FileKey);

#[cfg(unix)]
type FileKey = (u64, u64);
#[cfg(not(unix))]
type FileKey = PathBuf;

/// The identity of the file at `path` (standard input, `-`, has none).
pub(crate) fn file_id(path: &Path) -> Option<FileId> {
    if path == Path::new("-") {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileId((meta.dev(), meta.ino())))
    }
    #[cfg(not(unix))]
    {
        std::fs::canonicalize(path).ok().map(FileId)
    }
}

/// The log files `args` name, in the order given, a file named twice kept
/// twice: for verbs whose scan names a file given twice (`summary`,
/// `validate`: `the same file as …, given twice: read once`).
///
/// # Errors
/// A path that does not exist, a malformed pattern, or a pattern or
/// directory that names no log file.
pub(crate) fn expand_all(args: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    collect(args, Empty::Refused)
}

/// Whether a directory or a pattern that names no log file is an error.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Empty {
    Refused,
    Allowed,
}

fn collect(args: &[PathBuf], empty: Empty) -> Result<Vec<PathBuf>, CliError> {
    let mut files = Vec::new();
    for arg in args {
        if arg.is_dir() {
            let mut found = Vec::new();
            walk(arg, &mut found)?;
            if found.is_empty() && empty == Empty::Refused {
                return Err(CliError::Usage(format!(
                    "{}: no *.ndjson or *.jsonl file in this directory or below",
                    arg.display()
                )));
            }
            found.sort();
            files.extend(found);
        } else if !arg.exists() && pattern::is_pattern(arg.as_os_str()) {
            let mut found: Vec<PathBuf> = Vec::new();
            for m in pattern::matches(arg)? {
                if m.is_dir() {
                    walk(&m, &mut found)?;
                } else {
                    found.push(m);
                }
            }
            if found.is_empty() && empty == Empty::Refused {
                return Err(CliError::Usage(format!(
                    "{}: no file matches this pattern",
                    arg.display()
                )));
            }
            found.sort();
            files.extend(found);
        } else {
            // A missing file is reported by the reader, with the OS's words.
            files.push(arg.clone());
        }
    }
    Ok(files)
}

fn is_log(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "ndjson" || e == "jsonl")
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), CliError> {
    let entries = std::fs::read_dir(dir).map_err(|source| CliError::Open {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        // Symbolic links to directories are not followed: a link back up
        // the tree would never end.
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            walk(&path, found)?;
        } else if is_log(&path) {
            found.push(path);
        }
    }
    Ok(())
}
