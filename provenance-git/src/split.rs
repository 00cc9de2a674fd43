//! Splits one working-tree status into several that run side by side, one
//! per group of top-level entries, the way git's `core.preloadIndex` spreads
//! its `lstat`s over threads (libgit2 runs them all on one).
//!
//! Each group is a list of literal top-level names handed to libgit2 as a
//! pathspec with pattern matching off, so every name is covered by exactly
//! one group and nothing is matched twice or missed. One libgit2 quirk
//! shapes the grouping: its walk of a literal path list can drop a name
//! that is a prefix of another name in the list (with `src` and `src-gen`
//! in one list and `src.rs` outside it, every `src/…` file is missed, and
//! reported as untracked), so such names always go to different groups.

use std::collections::BTreeMap;
use std::path::Path;

use git2::{ErrorCode, Index, Repository};

/// One group: the top-level names it covers, and how many index entries lie
/// under them (the work its status will do, roughly).
#[derive(Debug, Default)]
pub(super) struct Group {
    pub(super) names: Vec<Vec<u8>>,
    pub(super) weight: usize,
}

/// All names that share one ASCII-lowercased spelling: they travel together,
/// so a case-insensitive repository never matches one of them in two groups.
#[derive(Default)]
struct Unit {
    names: Vec<Vec<u8>>,
    weight: usize,
}

/// Groups the top-level entries of the working tree, the index and HEAD's
/// tree into at most `count` non-empty groups of similar weight.
///
/// `None` when the status cannot be split safely or usefully: fewer than two
/// groups would result, a name cannot be passed to libgit2 literally, the
/// root directory or HEAD's tree cannot be read, or names are nested as
/// prefixes more deeply than there are groups.
pub(super) fn plan(
    repo: &Repository,
    index: &Index,
    workdir: &Path,
    count: usize,
) -> Option<Vec<Group>> {
    if count < 2 {
        return None;
    }
    let units = units(repo, index, workdir)?;
    assign(units, count)
}

/// The top-level names, keyed by their lowercased spelling, with weights.
fn units(repo: &Repository, index: &Index, workdir: &Path) -> Option<BTreeMap<Vec<u8>, Unit>> {
    let mut weights: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
    // The index is sorted by path, so entries under one top-level name are
    // contiguous: count runs instead of looking every entry up.
    let mut run: Option<(Vec<u8>, usize)> = None;
    for entry in index.iter() {
        let top = top_level(&entry.path);
        match &mut run {
            Some((name, n)) if name.as_slice() == top => *n += 1,
            _ => {
                if let Some((name, n)) = run.replace((top.to_vec(), 1)) {
                    *weights.entry(name).or_default() += n;
                }
            }
        }
    }
    if let Some((name, n)) = run {
        *weights.entry(name).or_default() += n;
    }
    // Untracked entries exist only on disk; entries deleted from both the
    // index and the disk exist only in HEAD. Both must be in some group.
    // The repository's own `.git` is never reported (libgit2 skips it), and
    // leaving it out keeps `.gitignore` from chaining onto it as a prefix.
    for entry in std::fs::read_dir(workdir).ok()? {
        let name = file_name_bytes(&entry.ok()?)?;
        if name != b".git" {
            weights.entry(name).or_insert(1);
        }
    }
    match repo.head() {
        Ok(head) => {
            for entry in head.peel_to_tree().ok()?.iter() {
                weights.entry(entry.name_bytes().to_vec()).or_insert(1);
            }
        }
        Err(err) if err.code() == ErrorCode::UnbornBranch => {}
        Err(_) => return None,
    }

    let mut units: BTreeMap<Vec<u8>, Unit> = BTreeMap::new();
    for (name, weight) in weights {
        if !is_literal_name(&name) {
            return None;
        }
        let unit = units.entry(name.to_ascii_lowercase()).or_default();
        unit.names.push(name);
        unit.weight += weight;
    }
    Some(units)
}

/// Spreads `units` (sorted by key) over `count` groups so that no group
/// holds two units one of whose keys is a prefix of the other's, heaviest
/// units first onto the lightest group.
fn assign(units: BTreeMap<Vec<u8>, Unit>, count: usize) -> Option<Vec<Group>> {
    let mut groups: Vec<Group> = (0..count).map(|_| Group::default()).collect();

    // Keys that are prefixes of one another form chains in sorted order
    // (`src`, `src.rs`, `src.rs.orig`); a key's depth is how many keys
    // before it are its prefixes. Chained units get distinct groups by depth,
    // rotated per chain so the chains' roots do not all pile onto one group.
    let keys: Vec<&Vec<u8>> = units.keys().collect();
    let mut placement: Vec<Option<usize>> = vec![None; keys.len()];
    let mut ancestors: Vec<usize> = Vec::new();
    let mut chain = 0usize;
    for (i, key) in keys.iter().enumerate() {
        while let Some(&top) = ancestors.last() {
            if key.starts_with(keys[top]) {
                break;
            }
            ancestors.pop();
        }
        if let Some(&root) = ancestors.first() {
            if ancestors.len() >= count {
                return None;
            }
            if placement[root].is_none() {
                chain += 1;
                placement[root] = Some(chain % count);
            }
            placement[i] = placement[root].map(|first| (first + ancestors.len()) % count);
        }
        ancestors.push(i);
    }

    let mut free: Vec<Unit> = Vec::new();
    for (unit, group) in units.into_values().zip(placement) {
        match group.and_then(|g| groups.get_mut(g)) {
            Some(group) => {
                group.weight += unit.weight;
                group.names.extend(unit.names);
            }
            None => free.push(unit),
        }
    }
    // Heaviest first, each onto the currently lightest group; the sort is
    // stable, so equal weights keep their name order and the plan is
    // deterministic.
    free.sort_by_key(|unit| std::cmp::Reverse(unit.weight));
    for unit in free {
        let lightest = groups.iter_mut().min_by_key(|group| group.weight)?;
        lightest.weight += unit.weight;
        lightest.names.extend(unit.names);
    }
    groups.retain(|group| !group.names.is_empty());
    (groups.len() >= 2).then_some(groups)
}

/// The first component of a repository-relative path.
fn top_level(path: &[u8]) -> &[u8] {
    match path.iter().position(|&byte| byte == b'/') {
        Some(end) => &path[..end],
        None => path,
    }
}

/// Whether libgit2 receives `name` exactly as written: no separator that a
/// path conversion could alter, no NUL that would end it early.
fn is_literal_name(name: &[u8]) -> bool {
    !name.is_empty()
        && !name
            .iter()
            .any(|&byte| matches!(byte, b'\0' | b'/' | b'\\'))
}

#[cfg(unix)]
fn file_name_bytes(entry: &std::fs::DirEntry) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    Some(entry.file_name().as_bytes().to_vec())
}

#[cfg(not(unix))]
fn file_name_bytes(entry: &std::fs::DirEntry) -> Option<Vec<u8>> {
    // git paths are UTF-8 on Windows; any other name is left to the single
    // status, which knows how to report it.
    entry.file_name().into_string().ok().map(String::into_bytes)
}
