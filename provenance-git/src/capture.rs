//! Finds the repository and reads HEAD, the branch and the working-tree
//! state, turning every odd case into a `reason` instead of an error.

use std::path::{Path, PathBuf};

use git2::{ErrorCode, Repository};

use super::redact::SecretNames;
use super::start::SearchStart;
use super::state::{
    DIRTY_PATHS_CAP, DirtyPath, GitSearchStart, GitState, PathStatus, UncommittedPatch,
};
use super::status::{Changed, Split};
use super::{abbrev, diff_hash, own_logs, patch, remote, status};

/// Captures everything from `start`, and the patch of a dirty tree when
/// `patch` gives the secret names to redact in it; never fails, never
/// panics.
pub(super) fn capture_from(start: SearchStart, patch: Option<&SecretNames>) -> GitState {
    capture_with(start, Split::Auto, patch)
}

/// [`capture_from`] with the choice of splitting the status over threads
/// made by the caller, so tests can compare the split and single ways.
pub(super) fn capture_with(
    start: SearchStart,
    split: Split,
    patch: Option<&SecretNames>,
) -> GitState {
    let mut reasons: Vec<String> = start.note.into_iter().collect();
    let mut info = GitState {
        searched_from: Some(start.dir.clone()),
        found_via: Some(start.via),
        ..GitState::default()
    };
    fill(&mut info, &start.dir, start.via, split, patch, &mut reasons);
    if !reasons.is_empty() {
        info.reason = Some(reasons.join("; "));
    }
    info
}

fn fill(
    info: &mut GitState,
    start: &Path,
    via: GitSearchStart,
    split: Split,
    secrets: Option<&SecretNames>,
    reasons: &mut Vec<String>,
) {
    let repo = match Repository::discover(start) {
        Ok(repo) => repo,
        Err(err) => {
            reasons.push(discover_failure(start, via, &err));
            return;
        }
    };
    // libgit2 ends the workdir with a separator; `git rev-parse
    // --show-toplevel` does not, and neither should the record.
    let Some(workdir) = repo
        .workdir()
        .map(|dir| dir.components().collect::<PathBuf>())
    else {
        reasons.push(format!(
            "{} is a bare repository (no working tree), so no checked-out commit can be \
             named; run the experiment from a clone or worktree of it",
            repo.path().display()
        ));
        return;
    };
    info.repo_root = Some(workdir.clone());
    info.watched = watched(&repo);

    if !read_head(&repo, info, reasons) {
        // HEAD is unreadable: the status would fail the same way, or worse,
        // describe a tree nobody can name.
        return;
    }
    info.remote_url = remote::remote_url(&repo, info.branch.as_deref());

    match status::changed_paths_with(&repo, split) {
        Ok(paths) => {
            // Our own logs are left out of both the flag and the hash, so a
            // tree whose only changes are logs records exactly what a clean
            // one does.
            let paths = own_logs::without_own_logs(&workdir, paths);
            info.dirty = Some(!paths.is_empty());
            info.dirty_path_count = paths.len();
            info.dirty_paths = paths.iter().take(DIRTY_PATHS_CAP).map(dirty_path).collect();
            if !paths.is_empty() {
                let hashed = diff_hash::diff_hash(&workdir, &paths);
                // From the same list of paths, in the same moment, so the
                // patch applied to a clean checkout gives back this hash.
                info.patch = secrets.map(|secrets| match &hashed {
                    Ok(_) => patch::patch(&repo, &paths, secrets),
                    Err(_) => UncommittedPatch::not_stored(
                        "no diff_hash could be computed to name it (see the git record's reason)",
                    ),
                });
                match hashed {
                    Ok(hash) => info.diff_hash = Some(hash),
                    Err(problem) => reasons.push(problem),
                }
            }
        }
        Err(err) => reasons.push(format!(
            "cannot read the working-tree status of {} ({}), so whether it has \
             uncommitted edits is unknown; check `git status` there",
            workdir.display(),
            err.message()
        )),
    }
}

/// Reads the commit and branch HEAD names. Returns `false` when HEAD itself
/// is unreadable (corrupt repository), `true` otherwise, including the unborn
/// case where there is simply nothing to name yet.
fn read_head(repo: &Repository, info: &mut GitState, reasons: &mut Vec<String>) -> bool {
    let head = match repo.head() {
        Ok(head) => head,
        Err(err) if err.code() == ErrorCode::UnbornBranch => {
            info.branch = unborn_branch(repo);
            reasons.push(format!(
                "the repository at {} has no commits yet (HEAD is unborn), so no commit \
                 can be named; commit once so runs record their source",
                repo.path().display()
            ));
            return true;
        }
        Err(err) => {
            reasons.push(format!(
                "cannot read HEAD of the repository at {} ({}); its .git may be corrupt, \
                 check with `git status` there",
                repo.path().display(),
                err.message()
            ));
            return false;
        }
    };
    let commit = match head.peel_to_commit() {
        Ok(commit) => commit,
        Err(err) => {
            let target = head.target().map(|id| format!(" {id}")).unwrap_or_default();
            reasons.push(format!(
                "HEAD of the repository at {} names commit{target} but it cannot be read \
                 ({}); the object database may be corrupt or incomplete, check with \
                 `git fsck` there",
                repo.path().display(),
                err.message()
            ));
            return false;
        }
    };
    info.sha = Some(commit.id().to_string());
    info.short_sha = abbrev::short_sha(repo, commit.as_object());

    if head.is_branch() {
        info.branch = Some(String::from_utf8_lossy(head.shorthand_bytes()).into_owned());
    } else if repo.head_detached().unwrap_or(false) {
        reasons.push(format!(
            "detached HEAD (as in CI checkouts): commit {} is recorded, but no branch",
            commit.id()
        ));
    } else {
        reasons.push(format!(
            "HEAD points at {}, which is not a local branch, so no branch is recorded",
            String::from_utf8_lossy(head.name_bytes())
        ));
    }
    true
}

/// One changed path as the record names it. A path is listed once however
/// many ways it differs, by the one that matters most to a reader: a
/// conflict, then a file gone, then a file git does not know, then a new
/// staged file; anything else is a modification.
fn dirty_path(changed: &Changed) -> DirtyPath {
    use git2::Status;
    let s = changed.status;
    let status = if s.contains(Status::CONFLICTED) {
        PathStatus::Conflicted
    } else if s.contains(Status::WT_DELETED)
        || (s.contains(Status::INDEX_DELETED) && !s.contains(Status::WT_NEW))
    {
        PathStatus::Deleted
    } else if s.contains(Status::WT_NEW) {
        // Also `git rm --cached`: deleted from the index, still on disk.
        PathStatus::Untracked
    } else if s.contains(Status::INDEX_NEW) {
        PathStatus::Added
    } else {
        PathStatus::Modified
    };
    DirtyPath {
        path: String::from_utf8_lossy(&changed.path).into_owned(),
        status,
    }
}

/// The files whose change means HEAD, the checked-out branch or the index
/// changed: `HEAD` and its reflog, the index (a worktree has its own of
/// both), the branch's loose ref and `packed-refs` (shared by worktrees).
/// Only those that exist and can be read: the macros `include_bytes!` them.
fn watched(repo: &Repository) -> Vec<PathBuf> {
    let (gitdir, common) = (repo.path(), repo.commondir());
    let mut files = vec![
        gitdir.join("HEAD"),
        gitdir.join("logs").join("HEAD"),
        gitdir.join("index"),
        common.join("packed-refs"),
    ];
    if let Some(target) = repo
        .find_reference("HEAD")
        .ok()
        .and_then(|head| head.symbolic_target_bytes().map(<[u8]>::to_vec))
    {
        files.push(common.join(super::diff_hash::relative(&target)));
    }
    // Only files this process can read: an unreadable one would make
    // `include_bytes!` fail the build instead of merely not being watched.
    files.retain(|file| file.is_file() && std::fs::File::open(file).is_ok());
    files
}

/// The branch an unborn HEAD points at (`main` in a fresh `git init`), read
/// from the symbolic reference itself since it resolves to nothing.
fn unborn_branch(repo: &Repository) -> Option<String> {
    let head = repo.find_reference("HEAD").ok()?;
    let target = head.symbolic_target_bytes()?;
    let name = target.strip_prefix(b"refs/heads/")?;
    Some(String::from_utf8_lossy(name).into_owned())
}

fn discover_failure(start: &Path, via: GitSearchStart, err: &git2::Error) -> String {
    match err.code() {
        ErrorCode::NotFound => match dot_git_above(start) {
            Some(dot_git) => format!(
                "{} exists but is not a usable git repository ({}); it may be corrupt \
                 or point to a missing git directory, check with `git status` there",
                dot_git.display(),
                err.message()
            ),
            // Where the search started decides what helps: the crate's
            // folder is fixed when it is compiled, so running the binary
            // from elsewhere changes nothing.
            None => match via {
                GitSearchStart::ManifestDir => format!(
                    "no git repository found in {} or any parent directory; that is the \
                     experiment crate's folder as compiled (crate_info!), which is where git \
                     is searched, not the directory the program runs in: build the crate \
                     from a git clone of its source to record its commit",
                    start.display()
                ),
                GitSearchStart::WorkingDir => format!(
                    "no git repository found in {} (the working directory, searched because \
                     the crate's compiled-in folder is not on this machine) or any parent \
                     directory: run the program from inside a clone of its source, or build \
                     it on this machine from one, to record its commit",
                    start.display()
                ),
            },
        },
        ErrorCode::Owner => format!(
            "the repository containing {} is owned by another user and is refused, as \
             git itself refuses it ({}); mark it safe with `git config --global --add \
             safe.directory <path>`",
            start.display(),
            err.message()
        ),
        _ => format!(
            "cannot open the git repository containing {} ({}); its .git may be \
             corrupt, check with `git status` there",
            start.display(),
            err.message()
        ),
    }
}

/// The nearest `.git` entry at or above `start`: when discovery says "not
/// found" but one exists, it is broken rather than absent, and the user
/// deserves to hear which one.
fn dot_git_above(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(".git"))
        .find(|candidate| candidate.symlink_metadata().is_ok())
}
