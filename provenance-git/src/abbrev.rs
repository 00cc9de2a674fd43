//! The abbreviated commit id exactly as `git rev-parse --short` prints it.
//!
//! libgit2's `short_id` starts from `core.abbrev` (7 when unset or `auto`)
//! and lengthens until unique. git agrees when `core.abbrev` is a number,
//! but when it is unset or `auto`, git starts from a length that grows with
//! the number of *packed* objects (loose objects are not counted): at least
//! 7, and `ceil((msb(count) + 1) / 2)` hex digits, so 8 from 2^14 packed
//! objects, 9 from 2^16, and so on. We reproduce that starting length and
//! take the longer of the two, since a prefix unique at one length is unique
//! at every longer one.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use git2::{Object, Repository};

/// git's fallback (and minimum automatic) abbreviation length.
const DEFAULT_ABBREV: usize = 7;

pub(super) fn short_sha(repo: &Repository, commit: &Object<'_>) -> Option<String> {
    let unique = commit.short_id().ok()?.as_str().ok()?.to_owned();
    if !abbrev_is_auto(repo) {
        return Some(unique);
    }
    let full = commit.id().to_string();
    let len = automatic_length(packed_object_count(repo))
        .max(unique.len())
        .min(full.len());
    Some(full[..len].to_owned())
}

/// Whether `core.abbrev` leaves the length to git: unset, or `auto`.
fn abbrev_is_auto(repo: &Repository) -> bool {
    let Ok(config) = repo.config() else {
        return true;
    };
    match config.get_string("core.abbrev") {
        Ok(value) => value.eq_ignore_ascii_case("auto"),
        Err(_) => true,
    }
}

/// git's `find_unique_abbrev_r` starting length for `count` objects.
fn automatic_length(count: u64) -> usize {
    let bits = if count == 0 {
        1
    } else {
        64 - count.leading_zeros() as usize
    };
    bits.div_ceil(2).max(DEFAULT_ABBREV)
}

/// The objects in every pack of the repository and its alternates, as git's
/// `repo_approximate_object_count` counts them: the object count from each
/// `.idx` file's fan-out table.
fn packed_object_count(repo: &Repository) -> u64 {
    let objects = repo.commondir().join("objects");
    let mut dirs = vec![objects.clone()];
    dirs.extend(alternates(&objects));
    dirs.iter()
        .flat_map(|dir| std::fs::read_dir(dir.join("pack")).into_iter().flatten())
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "idx"))
        .filter_map(|path| idx_object_count(&path))
        .sum()
}

/// Object directories listed in `objects/info/alternates` (one level deep,
/// which covers `git clone --reference` and `--shared`).
fn alternates(objects: &Path) -> Vec<PathBuf> {
    let Ok(list) = std::fs::read_to_string(objects.join("info").join("alternates")) else {
        return Vec::new();
    };
    list.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| objects.join(line))
        .collect()
}

/// The last fan-out entry of a pack index: the number of objects in the pack.
/// Version 2+ indexes start with an 8-byte header; version 1 has none.
fn idx_object_count(path: &Path) -> Option<u64> {
    const MAGIC: [u8; 4] = [0xff, b't', b'O', b'c'];
    let mut head = [0u8; 8 + 256 * 4];
    File::open(path).ok()?.read_exact(&mut head).ok()?;
    let fanout = if head[..4] == MAGIC { 8 } else { 0 };
    let last = fanout + 255 * 4;
    let bytes: [u8; 4] = head.get(last..last + 4)?.try_into().ok()?;
    Some(u64::from(u32::from_be_bytes(bytes)))
}

#[cfg(test)]
mod tests {
    use super::automatic_length;

    #[test]
    fn automatic_length_follows_git() {
        // git: len = msb(count) + 1, then ceil(len / 2), at least 7.
        assert_eq!(automatic_length(0), 7);
        assert_eq!(automatic_length(16_383), 7);
        assert_eq!(automatic_length(16_384), 8);
        assert_eq!(automatic_length(65_535), 8);
        assert_eq!(automatic_length(65_536), 9);
        assert_eq!(automatic_length(1 << 20), 11);
    }
}
