//! Chooses the directory the repository search starts from.

use std::io;
use std::path::{Path, PathBuf};

use super::GitSearchStart;

/// Where discovery starts, and why, if that is not the obvious place.
#[derive(Debug)]
pub(super) struct SearchStart {
    pub(super) dir: PathBuf,
    pub(super) via: GitSearchStart,
    /// Set when the manifest directory was given but could not be used.
    pub(super) note: Option<String>,
}

/// Prefers the manifest directory, so a binary run from elsewhere records its
/// own source's commit; falls back to the working directory (read lazily)
/// when there is none or it is gone, e.g. a binary copied to another machine.
///
/// Fails only when the working directory is needed and cannot be read; the
/// message is the `reason` to record.
pub(super) fn resolve(
    manifest_dir: Option<&Path>,
    cwd: impl FnOnce() -> io::Result<PathBuf>,
) -> Result<SearchStart, String> {
    let note = match manifest_dir {
        Some(dir) if dir.is_dir() => {
            return Ok(SearchStart {
                dir: dir.to_path_buf(),
                via: GitSearchStart::ManifestDir,
                note: None,
            });
        }
        Some(dir) => Some(format!(
            "the manifest directory {} recorded at compile time does not exist here \
             (binary moved or built elsewhere?), so the repository was searched for \
             from the current working directory instead",
            dir.display()
        )),
        None => None,
    };
    match cwd() {
        Ok(dir) => Ok(SearchStart {
            dir,
            via: GitSearchStart::WorkingDir,
            note,
        }),
        Err(err) => {
            let cwd_problem = format!(
                "cannot read the current working directory ({err}), so no repository \
                 could be searched for"
            );
            Err(match note {
                Some(note) => format!("{note}; {cwd_problem}"),
                None => cwd_problem,
            })
        }
    }
}
