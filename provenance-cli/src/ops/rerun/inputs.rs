//! The inputs a rerun will read, checked before anything is built, as
//! `provenance verify` checks them: each file input's bytes are hashed
//! again where the rerun will find them.
//!
//! A file inside the recorded repository is read, in the rerun, from the
//! worktree: the commit's (or the patch's) copy when it has one, else the
//! file in the user's repository (data that git ignores), which is then
//! linked into the worktree at the same place. A file outside the
//! repository is read where it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::commands::verify::{Status, file_sha256, not_a_file};
use crate::ops::scan::Input;

/// One file input, checked.
#[derive(Debug)]
pub(crate) struct Checked {
    /// The input's name as `verify` shows it.
    pub(crate) name: String,
    /// Where the rerun reads it.
    pub(crate) path: PathBuf,
    /// `ok`, `changed`, `missing` or `error`.
    pub(crate) status: Status,
    /// What is wrong, when something is.
    pub(crate) message: Option<String>,
    /// The worktree path to link to `path` (a file the commit does not
    /// hold).
    link: Option<PathBuf>,
}

/// Where the recorded run and its rerun are.
pub(crate) struct Places<'p> {
    /// The recorded `git.repo_root`.
    pub(crate) recorded_root: Option<&'p Path>,
    /// The repository the worktree was made from.
    pub(crate) repo: &'p Path,
    /// The worktree.
    pub(crate) worktree: &'p Path,
    /// The recorded working folder (for relative paths of old logs).
    pub(crate) working_dir: Option<&'p Path>,
}

/// Checks every file input of `inputs` (each path once).
pub(crate) fn check(inputs: &[Input], places: &Places<'_>) -> Vec<Checked> {
    let mut seen: BTreeMap<PathBuf, ()> = BTreeMap::new();
    let mut checked = Vec::new();
    for input in inputs {
        if not_a_file(input).is_some() {
            continue;
        }
        let Some(source) = input.source_path.as_deref() else {
            continue;
        };
        let recorded = absolute(Path::new(source), input, places);
        if seen.insert(recorded.clone(), ()).is_some() {
            continue;
        }
        let (path, link) = match places
            .recorded_root
            .and_then(|root| recorded.strip_prefix(root).ok())
        {
            Some(relative) => {
                let in_worktree = places.worktree.join(relative);
                if in_worktree.symlink_metadata().is_ok() {
                    (in_worktree, None)
                } else {
                    (places.repo.join(relative), Some(in_worktree))
                }
            }
            None => (recorded.clone(), None),
        };
        let (status, message) = match file_sha256(&path) {
            Ok(actual) if actual == input.sha256 => (Status::Ok, None),
            Ok(actual) => (
                Status::Changed,
                Some(format!("recorded {}, now {actual}", input.sha256)),
            ),
            Err((status, message)) => (status, Some(message)),
        };
        checked.push(Checked {
            name: input.name.clone(),
            path,
            status,
            message,
            link,
        });
    }
    checked
}

/// `source` as an absolute path: recorded absolute since `data.load`
/// version 2; older lines are joined to their `working_dir`, else the
/// context's.
fn absolute(source: &Path, input: &Input, places: &Places<'_>) -> PathBuf {
    if source.is_absolute() {
        return source.to_path_buf();
    }
    match input
        .working_dir
        .as_deref()
        .map(Path::new)
        .or(places.working_dir)
    {
        Some(dir) => dir.join(source),
        None => places.repo.join(source),
    }
}

/// Links each input the worktree lacks to the user's file, so the program
/// finds it at the recorded place.
///
/// # Errors
/// A link cannot be made (named).
pub(crate) fn link(checked: &[Checked]) -> Result<usize, String> {
    let mut linked = 0;
    for c in checked {
        let Some(link) = &c.link else { continue };
        if !c.path.exists() {
            continue;
        }
        if let Some(parent) = link.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot make {}: {e}", parent.display()))?;
        }
        symlink(&c.path, link).map_err(|e| {
            format!(
                "cannot link {} to {}: {e}",
                link.display(),
                c.path.display()
            )
        })?;
        linked += 1;
    }
    Ok(linked)
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    // A copy where symlinks need privileges: the bytes were just checked.
    std::fs::copy(target, link).map(drop)
}
