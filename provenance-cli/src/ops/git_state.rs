//! The words `summary` and `diff` use for a recorded git state (a
//! context's `git` or `git_at_run`, `docs/CONTEXT.md`).

use crate::ops::scan::GitRecord;

/// `abc1234 (clean)`, `abc1234 (dirty: 2 paths)`, `no commit`: the words
/// the runtime's stderr line uses.
pub(crate) fn describe(git: Option<&GitRecord>) -> String {
    let Some(git) = git else {
        return "no recorded state".to_string();
    };
    let Some(sha) = git.short_sha.as_deref().or(git.sha.as_deref()) else {
        return "no commit".to_string();
    };
    let state = match (git.dirty, git.dirty_path_count) {
        (Some(false), _) => "clean".to_string(),
        (Some(true), Some(1)) => "dirty: 1 path".to_string(),
        (Some(true), Some(n)) => format!("dirty: {n} paths"),
        (Some(true), None) => "dirty".to_string(),
        (None, _) => "dirty state unknown".to_string(),
    };
    format!("{sha} ({state})")
}

/// The listed dirty paths as `(path, status)`, in the record's order.
pub(crate) fn dirty_paths(git: Option<&GitRecord>) -> Vec<(&str, &str)> {
    git.into_iter()
        .flat_map(|g| &g.dirty_paths)
        .map(|p| (p.path.as_str(), p.status.as_str()))
        .collect()
}

/// Whether `dirty_paths` lists every dirty path; `None` when the record
/// does not say (written before paths were recorded).
pub(crate) fn lists_all(git: Option<&GitRecord>) -> Option<bool> {
    let git = git?;
    let count = git.dirty_path_count?;
    Some(count as usize == git.dirty_paths.len())
}
