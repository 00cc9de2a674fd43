//! The uncommitted changes of a dirty tree as a patch that `git apply
//! --binary` applies to a clean checkout of the commit (`docs/GIT.md`, *The
//! patch*), so a dirty build can be rebuilt (`provenance rerun`).
//!
//! libgit2 rather than the git CLI: the capture already holds the
//! repository and the exact list of paths `diff_hash` hashed (our own logs
//! left out), so the diff is limited to those paths literally and the two
//! cannot disagree; a build needs no `git` program; and untracked files
//! come in without touching the index (the CLI only diffs them after `git
//! add -N`, which would modify the repository the capture describes).

use std::borrow::Cow;

use git2::{Diff, DiffFormat, DiffOptions, Repository, Status};

use super::redact::SecretNames;
use super::state::{PATCH_CAP_BYTES, UncommittedPatch};
use super::status::Changed;

/// The patch of `paths` (sorted, unique, our logs already left out: the
/// paths `diff_hash` hashes) from HEAD to the working tree, redacted.
pub(super) fn patch(
    repo: &Repository,
    paths: &[Changed],
    secrets: &SecretNames,
) -> UncommittedPatch {
    if let Some(why) = unpatchable(paths) {
        return UncommittedPatch::not_stored(why);
    }
    let diff = match diff(repo, paths) {
        Ok(diff) => diff,
        Err(err) => {
            return UncommittedPatch::not_stored(format!(
                "libgit2 could not diff the working tree ({})",
                err.message()
            ));
        }
    };
    print(&diff, secrets)
}

/// Why some change cannot be carried by a patch git applies, if one cannot.
fn unpatchable(paths: &[Changed]) -> Option<String> {
    paths.iter().find_map(|changed| {
        let path = String::from_utf8_lossy(&changed.path);
        if changed.path.ends_with(b"/") {
            Some(format!(
                "{path} is an untracked nested repository, whose content a patch cannot hold"
            ))
        } else if changed.status.contains(Status::CONFLICTED) {
            Some(format!(
                "{path} is conflicted (an unfinished merge), which a patch cannot hold"
            ))
        } else {
            None
        }
    })
}

/// HEAD's tree (none when unborn) against the working tree through the
/// index, as `git diff HEAD` sees it plus the untracked files, limited to
/// exactly `paths`.
fn diff<'r>(repo: &'r Repository, paths: &[Changed]) -> Result<Diff<'r>, git2::Error> {
    let head = match repo.head() {
        Ok(head) => Some(head.peel_to_tree()?),
        Err(err) if err.code() == git2::ErrorCode::UnbornBranch => None,
        Err(err) => return Err(err),
    };
    let mut options = DiffOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .show_untracked_content(true)
        .include_ignored(false)
        .ignore_submodules(true)
        // A type change as a deletion plus an addition, as git prints it.
        .include_typechange(false)
        .show_binary(true)
        // `git apply` refuses a binary patch without full blob ids.
        .id_abbrev(40)
        // Literal paths: `*` or `[` in a name matches only itself.
        .disable_pathspec_match(true);
    for changed in paths {
        options.pathspec(changed.path.as_slice());
    }
    repo.diff_tree_to_workdir_with_index(head.as_ref(), Some(&mut options))
}

/// The diff as patch text, values of secret names on added lines replaced
/// by `<redacted>`, stopped as soon as it passes [`PATCH_CAP_BYTES`].
fn print(diff: &Diff<'_>, secrets: &SecretNames) -> UncommittedPatch {
    let mut text = Vec::new();
    let mut redacted: Vec<String> = Vec::new();
    let printed = diff.print(DiffFormat::Patch, |delta, _hunk, line| {
        let origin = line.origin();
        if matches!(origin, '+' | '-' | ' ') {
            text.push(origin as u8);
        }
        let content = line.content();
        let clean = match (origin, std::str::from_utf8(content)) {
            ('+', Ok(added)) => secrets.redact_assignment(added),
            _ => Cow::Borrowed(""),
        };
        if let Cow::Owned(clean) = clean {
            text.extend_from_slice(clean.as_bytes());
            let path = delta
                .new_file()
                .path_bytes()
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .unwrap_or_default();
            if redacted.last() != Some(&path) {
                redacted.push(path);
            }
        } else {
            text.extend_from_slice(content);
        }
        text.len() <= PATCH_CAP_BYTES
    });
    if text.len() > PATCH_CAP_BYTES {
        return UncommittedPatch::not_stored(format!(
            "the patch is larger than {PATCH_CAP_BYTES} bytes (1 MiB), the cap; commit the \
             changes, or ignore the data files left in the tree"
        ));
    }
    if let Err(err) = printed {
        return UncommittedPatch::not_stored(format!(
            "libgit2 could not print the patch ({})",
            err.message()
        ));
    }
    redacted.sort_unstable();
    redacted.dedup();
    UncommittedPatch {
        bytes: Some(text),
        redacted,
        reason: None,
    }
}
