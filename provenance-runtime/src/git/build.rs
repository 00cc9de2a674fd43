//! The source state the binary was built from, as `crate_info!()` captured
//! it when the experiment crate was compiled, and how it is reconciled with
//! the tree as it is when a run starts.
//!
//! Git is read when the program runs, so a binary built before a commit (or
//! an edit) and run after it would otherwise record a commit its code did
//! not come from. The build's state is the one that produced the results;
//! the run's is kept beside it when they differ, and the session says so.

use std::path::PathBuf;

use super::info::{CapturedAt, GitInfo};
use super::patch::BuildPatch;
use ith_provenance_git::{DirtyPath, GitSearchStart, PathStatus};

/// A git state as `crate_info!()` captured it at compile time, in `'static`
/// data the expansion can build; not public API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuildGit {
    pub sha: Option<&'static str>,
    pub short_sha: Option<&'static str>,
    pub dirty: Option<bool>,
    pub branch: Option<&'static str>,
    pub diff_hash: Option<[u8; 32]>,
    pub dirty_paths: &'static [(&'static str, PathStatus)],
    pub dirty_path_count: Option<usize>,
    pub repo_root: Option<&'static str>,
    pub remote_url: Option<&'static str>,
    pub searched_from: Option<&'static str>,
    pub found_via: Option<GitSearchStart>,
    pub reason: Option<&'static str>,
    /// The uncommitted changes, when `dirty` (`docs/GIT.md`, *The patch*).
    pub patch: Option<BuildPatch>,
}

impl BuildGit {
    /// The record, marked as read at build time.
    pub(crate) fn info(&self) -> GitInfo {
        let owned = |s: Option<&str>| s.map(str::to_owned);
        GitInfo {
            sha: owned(self.sha),
            short_sha: owned(self.short_sha),
            dirty: self.dirty,
            branch: owned(self.branch),
            diff_hash: self.diff_hash.map(crate::Sha256Hash::from_bytes),
            dirty_paths: self
                .dirty_paths
                .iter()
                .map(|&(path, status)| DirtyPath {
                    path: path.to_owned(),
                    status,
                })
                .collect(),
            dirty_path_count: self.dirty_path_count,
            captured_at: Some(CapturedAt::Build),
            repo_root: self.repo_root.map(PathBuf::from),
            remote_url: owned(self.remote_url),
            searched_from: self.searched_from.map(PathBuf::from),
            found_via: self.found_via,
            reason: owned(self.reason),
            // Settled by the context's builder, which knows whether it may
            // be stored, and by the log, which knows where.
            patch: None,
        }
    }
}

/// A binary whose source differs from the tree it runs in: what the
/// session's one stderr line names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stale {
    pub(crate) built: String,
    pub(crate) now: String,
}

/// The context's `git` and `git_at_run`: the build's state when the binary
/// carries one, with the run's beside it only when the two name different
/// sources; the run's alone when nothing was captured at build time (a
/// context built by hand, without `crate_info!()`).
pub(crate) fn reconcile(build: Option<&BuildGit>, run: GitInfo) -> (GitInfo, Option<GitInfo>) {
    let Some(build) = build else {
        return (run, None);
    };
    let built = build.info();
    if built.same_source(&run) {
        return (built, None);
    }
    (built, Some(run))
}

impl Stale {
    /// `Some` when `git_at_run` describes the same source folder as `git`
    /// in another state that can change what the binary would compute: a
    /// binary not rebuilt since a commit, a checkout, or an edit of a
    /// tracked file. New untracked files alone (outputs a run wrote, a
    /// scratch file) are recorded in `git_at_run` and named by `diff`, but
    /// are not worth a line on every run. A run on a machine where the
    /// crate's folder does not exist (the search fell back to the working
    /// directory) reads some other tree, and is recorded without a line.
    pub(crate) fn of(git: &GitInfo, at_run: Option<&GitInfo>) -> Option<Stale> {
        let now = at_run?;
        if now.found_via != Some(GitSearchStart::ManifestDir) || now.sha.is_none() {
            return None;
        }
        let tracked = |g: &GitInfo| -> Vec<(String, PathStatus)> {
            g.dirty_paths
                .iter()
                .filter(|p| p.status != PathStatus::Untracked)
                .map(|p| (p.path.clone(), p.status))
                .collect()
        };
        let listed_all = |g: &GitInfo| g.dirty_path_count == Some(g.dirty_paths.len());
        let same_tracked = tracked(git) == tracked(now)
            // Equal lists of edited files may hold other edits: only an
            // empty list, fully listed on both sides, is known unchanged.
            && tracked(now).is_empty()
            && listed_all(git)
            && listed_all(now);
        if git.sha == now.sha && same_tracked {
            return None;
        }
        Some(Stale {
            built: describe(git),
            now: describe(now),
        })
    }
}

/// `abc1234 (clean)`, `abc1234 (dirty: 2 paths)`, `no commit`.
fn describe(git: &GitInfo) -> String {
    let Some(sha) = git.short_sha.as_deref().or(git.sha.as_deref()) else {
        return "no commit".to_owned();
    };
    let state = match (git.dirty, git.dirty_path_count) {
        (Some(false), _) => "clean".to_owned(),
        (Some(true), Some(1)) => "dirty: 1 path".to_owned(),
        (Some(true), Some(n)) => format!("dirty: {n} paths"),
        (Some(true), None) => "dirty".to_owned(),
        (None, _) => "dirty state unknown".to_owned(),
    };
    format!("{sha} ({state})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_state(sha: &str, dirty: bool) -> GitInfo {
        GitInfo {
            sha: Some(sha.repeat(40)),
            short_sha: Some(sha.repeat(7)),
            dirty: Some(dirty),
            dirty_path_count: Some(usize::from(dirty)),
            found_via: Some(GitSearchStart::ManifestDir),
            captured_at: Some(CapturedAt::Run),
            ..GitInfo::unknown("")
        }
    }

    const BUILT: BuildGit = BuildGit {
        sha: Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        short_sha: Some("aaaaaaa"),
        dirty: Some(false),
        branch: Some("main"),
        diff_hash: None,
        dirty_paths: &[],
        dirty_path_count: Some(0),
        repo_root: Some("/src"),
        remote_url: None,
        searched_from: Some("/src"),
        found_via: Some(GitSearchStart::ManifestDir),
        reason: None,
        patch: None,
    };

    #[test]
    fn the_same_source_keeps_one_record_read_at_build() {
        let (git, at_run) = reconcile(Some(&BUILT), run_state("a", false));
        assert_eq!(git.captured_at, Some(CapturedAt::Build));
        assert_eq!(git.sha.as_deref(), BUILT.sha);
        assert_eq!(at_run, None);
        assert_eq!(Stale::of(&git, at_run.as_ref()), None);
    }

    #[test]
    fn a_later_commit_keeps_both_and_names_both() {
        let (git, at_run) = reconcile(Some(&BUILT), run_state("b", false));
        assert_eq!(
            git.sha.as_deref(),
            BUILT.sha,
            "the build's commit produced the results"
        );
        assert_eq!(
            at_run.as_ref().and_then(|r| r.sha.clone()),
            Some("b".repeat(40))
        );
        let stale = Stale::of(&git, at_run.as_ref()).expect("stale");
        assert_eq!(stale.built, "aaaaaaa (clean)");
        assert_eq!(stale.now, "bbbbbbb (clean)");
    }

    #[test]
    fn no_build_record_means_the_run_state_alone() {
        let (git, at_run) = reconcile(None, run_state("b", true));
        assert_eq!(git.captured_at, Some(CapturedAt::Run));
        assert_eq!(at_run, None);
    }

    #[test]
    fn new_untracked_files_are_recorded_without_a_warning() {
        let mut with_output = run_state("a", true);
        with_output.dirty_paths = vec![DirtyPath {
            path: "results.csv".into(),
            status: PathStatus::Untracked,
        }];
        let (git, at_run) = reconcile(Some(&BUILT), with_output.clone());
        assert_eq!(at_run, Some(with_output.clone()), "the record keeps both");
        assert_eq!(Stale::of(&git, at_run.as_ref()), None);

        let mut edited = with_output;
        edited.dirty_paths[0] = DirtyPath {
            path: "src/main.rs".into(),
            status: PathStatus::Modified,
        };
        let (git, at_run) = reconcile(Some(&BUILT), edited);
        let stale = Stale::of(&git, at_run.as_ref()).expect("an edited source is named");
        assert_eq!(stale.now, "aaaaaaa (dirty: 1 path)");
    }

    #[test]
    fn another_machine_is_recorded_without_a_warning() {
        let mut elsewhere = run_state("c", false);
        elsewhere.found_via = Some(GitSearchStart::WorkingDir);
        let (git, at_run) = reconcile(Some(&BUILT), elsewhere);
        assert!(at_run.is_some());
        assert_eq!(Stale::of(&git, at_run.as_ref()), None);
    }
}
