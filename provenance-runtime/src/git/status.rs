//! Lists the paths whose working-tree state differs from HEAD.

use git2::{Repository, Status, StatusOptions, StatusShow};

/// Every path that is staged, modified, deleted, type-changed, conflicted or
/// untracked-and-not-ignored, as repository-relative bytes, sorted by bytes
/// and without duplicates. Empty means clean.
///
/// The options are chosen for speed as much as meaning: no rename detection
/// (a rename is a deletion plus an addition, which is also how `diff_hash`
/// wants it), no ignored files (walking `target/` would dominate), no
/// submodules (their state is their own repository's business), and no index
/// write-back (capture must not modify the repository it describes).
pub(super) fn changed_paths(repo: &Repository) -> Result<Vec<Vec<u8>>, git2::Error> {
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
    let statuses = repo.statuses(Some(&mut options))?;
    let mut paths: Vec<Vec<u8>> = statuses
        .iter()
        .filter(|entry| !(entry.status() - Status::IGNORED).is_empty())
        .map(|entry| entry.path_bytes().to_vec())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    Ok(paths)
}
