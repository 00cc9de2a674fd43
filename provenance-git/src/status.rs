//! Lists the paths whose working-tree state differs from HEAD.

use std::ffi::CString;
use std::path::Path;
use std::sync::mpsc;

use git2::{Repository, Status, StatusOptions, StatusShow};

use super::split::{self, Group};

/// One path whose working-tree state differs from HEAD, with every way it
/// differs (staged and unstaged flags merged).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Changed {
    /// Repository-relative, as git prints it (`/`-separated bytes).
    pub(crate) path: Vec<u8>,
    pub(crate) status: Status,
}

impl AsRef<[u8]> for Changed {
    fn as_ref(&self) -> &[u8] {
        &self.path
    }
}

/// How many statuses may run side by side. Beyond four, `lstat`s contend in
/// the kernel more than they gain (git's own preload stops splitting there
/// too, at 20 threads but with far smaller chunks of work each).
const MAX_THREADS: usize = 4;

/// About 2,000 index entries (62 bytes each plus the path); see
/// `large_index`.
const MIN_INDEX_BYTES: u64 = 160 * 1024;

/// Whether to split the status over threads.
#[derive(Clone, Copy, Debug)]
pub(super) enum Split {
    /// Split when the machine has several cores, the index is large and the
    /// top-level entries can be balanced over the threads.
    Auto,
    /// Split into (at most) this many groups whenever it can be done at all,
    /// however small the repository: for tests that compare both ways.
    #[cfg(test)]
    Into(usize),
}

/// Every path that is staged, modified, deleted, type-changed, conflicted or
/// untracked-and-not-ignored, as repository-relative bytes, sorted by bytes
/// and without duplicates (a path both staged and modified is one entry
/// with both flags). Empty means clean.
///
/// On a large repository the work is split over threads by top-level entry
/// (see `split`); the result is the same as one status of the whole tree,
/// which is what runs whenever splitting is not possible or not worth it.
#[cfg(test)]
pub(super) fn changed_paths(repo: &Repository) -> Result<Vec<Changed>, git2::Error> {
    changed_paths_with(repo, Split::Auto)
}

/// [`changed_paths`] with the choice of splitting made by the caller.
pub(super) fn changed_paths_with(
    repo: &Repository,
    split: Split,
) -> Result<Vec<Changed>, git2::Error> {
    if let Some(paths) = split_changed_paths(repo, split) {
        return Ok(paths);
    }
    let statuses = repo.statuses(Some(&mut options()))?;
    Ok(sorted_unique(changed(&statuses)))
}

/// Sorts by path bytes and merges the entries of one path (libgit2 lists a
/// path once per side it differs on when renames are off).
fn sorted_unique(mut paths: Vec<Changed>) -> Vec<Changed> {
    paths.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    paths.dedup_by(|later, kept| {
        let same = later.path == kept.path;
        if same {
            kept.status |= later.status;
        }
        same
    });
    paths
}

/// The options are chosen for speed as much as meaning: no rename detection
/// (a rename is a deletion plus an addition, which is also how `diff_hash`
/// wants it), no ignored files (walking `target/` would dominate), no
/// submodules (their state is their own repository's business), and no index
/// write-back (capture must not modify the repository it describes).
fn options() -> StatusOptions {
    let mut options = StatusOptions::new();
    options
        .show(StatusShow::IndexAndWorkdir)
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .include_unmodified(false)
        .exclude_submodules(true)
        .renames_head_to_index(false)
        .renames_index_to_workdir(false)
        .update_index(false);
    options
}

fn changed(statuses: &git2::Statuses<'_>) -> Vec<Changed> {
    statuses
        .iter()
        .filter(|entry| !(entry.status() - Status::IGNORED).is_empty())
        .map(|entry| Changed {
            path: entry.path_bytes().to_vec(),
            status: entry.status() - Status::IGNORED,
        })
        .collect()
}

/// The split status, or `None` to say "run the single one": not worth it,
/// not possible, or something failed (the single status then reports the
/// failure in its own words, or succeeds where a helper could not).
///
/// Helper threads start first, each opening the repository and reading the
/// index (the part of a status that cannot be split), while this thread
/// reads its own index and plans the groups; then every thread `lstat`s its
/// share of the tree.
pub(super) fn split_changed_paths(repo: &Repository, split: Split) -> Option<Vec<Changed>> {
    let auto = matches!(split, Split::Auto);
    if auto && !large_index(repo.path()) {
        return None;
    }
    let threads = match split {
        Split::Auto => std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(MAX_THREADS),
        #[cfg(test)]
        Split::Into(count) => count,
    };
    if threads < 2 {
        return None;
    }
    let workdir = repo.workdir()?;
    // Helpers own what they use and are not scoped: one that gets no group
    // (no plan, or fewer groups than threads) finishes reading its index in
    // the background instead of holding this thread up.
    let helpers: Vec<_> = (1..threads)
        .filter_map(|_| {
            let (give, take) = mpsc::channel::<Group>();
            let (gitdir, workdir) = (repo.path().to_path_buf(), workdir.to_path_buf());
            std::thread::Builder::new()
                .name("provenance-git-status".to_owned())
                .spawn(move || {
                    let repo = open_like(&gitdir, &workdir)?;
                    // Loaded before the group is known, and reused by the
                    // status below.
                    repo.index().ok()?;
                    group_paths(&repo, &take.recv().ok()?)
                })
                .ok()
                .map(|handle| (give, handle))
        })
        .collect();
    let mut groups = plan(repo, workdir, helpers.len() + 1, auto)?.into_iter();
    let mine = groups.next()?;
    let mut running = Vec::with_capacity(helpers.len());
    for ((give, handle), group) in helpers.into_iter().zip(groups) {
        give.send(group).ok()?;
        running.push(handle);
    }
    let mut paths = group_paths(repo, &mine);
    // Every helper that got a group is joined, so none outlives the capture
    // and a panic in one ends up here as a failure rather than re-raised.
    for handle in running {
        match (&mut paths, handle.join().ok().flatten()) {
            (Some(paths), Some(found)) => paths.extend(found),
            _ => paths = None,
        }
    }
    Some(sorted_unique(paths?))
}

/// Whether the index file is big enough for a split to pay: below about
/// 2,000 entries a single status takes a few milliseconds, and a second
/// repository with its own copy of the index costs about as much as it
/// saves. Read from the file's size so no thread waits for the index.
fn large_index(gitdir: &Path) -> bool {
    std::fs::metadata(gitdir.join("index")).is_ok_and(|meta| meta.len() >= MIN_INDEX_BYTES)
}

/// The groups for `count` threads; with `auto`, only if they are balanced.
fn plan(repo: &Repository, workdir: &Path, count: usize, auto: bool) -> Option<Vec<Group>> {
    // The single status would load the index too; loaded here, it is reused
    // by this thread's share of the work.
    let index = repo.index().ok()?;
    let groups = split::plan(repo, &index, workdir, count)?;
    (!auto || balanced(&groups)).then_some(groups)
}

/// Splitting pays only if no group holds most of the work (a repository
/// with everything under `src/` cannot be split by top-level entry).
fn balanced(groups: &[Group]) -> bool {
    let total: usize = groups.iter().map(|group| group.weight).sum();
    let heaviest = groups.iter().map(|group| group.weight).max().unwrap_or(0);
    heaviest.saturating_mul(4) <= total.saturating_mul(3)
}

/// Opens the repository `gitdir` names again, for another thread, with the
/// same working directory as the one being captured.
fn open_like(gitdir: &Path, workdir: &Path) -> Option<Repository> {
    let repo = Repository::open(gitdir).ok()?;
    if repo.path() != gitdir {
        return None;
    }
    if repo.workdir() != Some(workdir) {
        repo.set_workdir(workdir, false).ok()?;
    }
    Some(repo)
}

/// The changed paths under one group's top-level names. Pattern matching is
/// off, so a name containing `*`, `?` or `[` matches only itself.
fn group_paths(repo: &Repository, group: &Group) -> Option<Vec<Changed>> {
    let mut options = options();
    options.disable_pathspec_match(true);
    for name in &group.names {
        // Checked here rather than trusting `split`: git2 panics on a NUL.
        options.pathspec(CString::new(name.as_slice()).ok()?);
    }
    let statuses = repo.statuses(Some(&mut options)).ok()?;
    Some(changed(&statuses))
}
