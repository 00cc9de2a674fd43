//! The source to rebuild: a detached `git worktree` of the recorded commit
//! in a temporary folder, with the stored patch of a dirty build applied
//! and checked against the recorded `diff_hash` (docs/GIT.md).
//!
//! Git's own command-line tool does the work (`git worktree add --detach`,
//! `git apply --binary`), as a user would by hand; the user's working tree,
//! index and branches are never touched.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::{Refusal, output};

fn git_program() -> &'static OsStr {
    OsStr::new("git")
}

/// `git -C dir args…`, its standard output trimmed.
fn git(dir: &Path, args: &[&OsStr]) -> Result<String, String> {
    let out = output(git_program(), dir, args)?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// The top folder of the repository holding `dir`.
///
/// # Errors
/// `dir` is in no repository (or git cannot be run).
pub(crate) fn toplevel(dir: &Path) -> Result<PathBuf, String> {
    git(dir, &["rev-parse".as_ref(), "--show-toplevel".as_ref()]).map(PathBuf::from)
}

/// The full id of the commit `rev` names in `repo`.
///
/// # Errors
/// The repository has no such commit.
pub(crate) fn commit(repo: &Path, rev: &str) -> Result<String, Refusal> {
    let spec = format!("{rev}^{{commit}}");
    git(
        repo,
        &[
            "rev-parse".as_ref(),
            "--verify".as_ref(),
            "--quiet".as_ref(),
            spec.as_ref(),
        ],
    )
    .ok()
    .filter(|sha| !sha.is_empty())
    .ok_or_else(|| {
        Refusal::new(format!(
            "commit {rev} is not in the repository at {} (fetch it, or give the clone that \
             has it with --repo)",
            repo.display()
        ))
    })
}

/// A worktree of one commit in a temporary folder; removed (with its
/// administrative files in the repository) when dropped, unless kept.
pub(crate) struct Worktree {
    repo: PathBuf,
    path: PathBuf,
    folder: Option<tempfile::TempDir>,
}

impl Worktree {
    /// `git worktree add --detach` of `sha` into a new temporary folder
    /// named after the repository's folder.
    ///
    /// # Errors
    /// The folder cannot be made or git refuses.
    pub(crate) fn add(repo: &Path, sha: &str) -> Result<Worktree, Refusal> {
        let folder = tempfile::Builder::new()
            .prefix("provenance-rerun-")
            .tempdir()
            .map_err(|e| Refusal::new(format!("cannot make a temporary folder: {e}")))?;
        let name = repo.file_name().unwrap_or(OsStr::new("source"));
        let path = folder.path().join(name);
        git(
            repo,
            &[
                "worktree".as_ref(),
                "add".as_ref(),
                "--quiet".as_ref(),
                "--detach".as_ref(),
                path.as_os_str(),
                sha.as_ref(),
            ],
        )
        .map_err(|e| Refusal::new(format!("cannot make a worktree of {sha}: {e}")))?;
        Ok(Worktree {
            repo: repo.to_path_buf(),
            path,
            folder: Some(folder),
        })
    }

    /// The worktree's root folder.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Leaves the worktree in place when dropped (`--keep`); returns its
    /// path. `git worktree remove <path>` removes it later.
    pub(crate) fn keep(&mut self) -> PathBuf {
        if let Some(folder) = self.folder.take() {
            let _ = folder.keep();
        }
        self.path.clone()
    }

    /// `git apply --binary` of `patch` in the worktree.
    ///
    /// # Errors
    /// The patch does not apply to the commit.
    pub(crate) fn apply(&self, patch: &Path) -> Result<(), Refusal> {
        git(
            &self.path,
            &[
                "apply".as_ref(),
                "--binary".as_ref(),
                "--whitespace=nowarn".as_ref(),
                patch.as_os_str(),
            ],
        )
        .map(drop)
        .map_err(|e| {
            Refusal::new(format!(
                "the patch {} does not apply to the recorded commit: {e}",
                patch.display()
            ))
        })
    }

    /// The worktree's `diff_hash` by the recipe of docs/GIT.md (`None`
    /// when clean).
    ///
    /// # Errors
    /// git fails, or a path cannot be hashed.
    pub(crate) fn diff_hash(&self) -> Result<Option<String>, String> {
        diff_hash(&self.path)
    }
}

impl Drop for Worktree {
    fn drop(&mut self) {
        if self.folder.is_none() {
            return;
        }
        let _ = git(
            &self.repo,
            &[
                "worktree".as_ref(),
                "remove".as_ref(),
                "--force".as_ref(),
                self.path.as_os_str(),
            ],
        );
        // The folder goes with `folder`'s drop; a worktree git could not
        // remove leaves administrative files that `prune` clears.
        self.folder.take();
        let _ = git(&self.repo, &["worktree".as_ref(), "prune".as_ref()]);
    }
}

/// `diff_hash` of the tree at `root` (docs/GIT.md, *`diff_hash`*): every
/// changed, deleted or untracked path, sorted by bytes, as
/// `<path>\0<blob id | deleted | directory>\n`, hashed with SHA-256.
fn diff_hash(root: &Path) -> Result<Option<String>, String> {
    let status = output(
        git_program(),
        root,
        [
            "status",
            "--porcelain",
            "-z",
            "--untracked-files=all",
            "--no-renames",
            "--ignore-submodules=all",
        ],
    )?;
    let mut paths: Vec<&[u8]> = status
        .split(|&b| b == 0)
        .filter(|entry| entry.len() > 3)
        .map(|entry| &entry[3..])
        .collect();
    paths.sort_unstable();
    paths.dedup();
    if paths.is_empty() {
        return Ok(None);
    }
    let mut lines = Vec::new();
    for path in paths {
        let text = String::from_utf8_lossy(path);
        lines.extend_from_slice(path);
        lines.push(0);
        let full = root.join(&*text);
        let state = if path.ends_with(b"/") {
            "directory".to_string()
        } else {
            match full.symlink_metadata() {
                Ok(meta) if meta.file_type().is_symlink() => {
                    let target = std::fs::read_link(&full).map_err(|e| format!("{text}: {e}"))?;
                    blob_id(target.to_string_lossy().as_bytes())
                }
                Ok(meta) if meta.is_file() => {
                    let bytes = std::fs::read(&full).map_err(|e| format!("{text}: {e}"))?;
                    blob_id(&bytes)
                }
                _ => "deleted".to_string(),
            }
        };
        lines.extend_from_slice(state.as_bytes());
        lines.push(b'\n');
    }
    Ok(Some(
        ith_provenance_runtime::Sha256Hash::of(&lines).to_string(),
    ))
}

/// The git blob id of `bytes` (`git hash-object --no-filters`): SHA-1 of
/// `blob <len>\0` and the bytes.
fn blob_id(bytes: &[u8]) -> String {
    use sha1::{Digest, Sha1};
    let mut hasher = Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
