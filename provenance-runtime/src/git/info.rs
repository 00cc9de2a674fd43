//! What is recorded of the source's git state: [`GitInfo`], and where the
//! repository search started ([`GitSearchStart`]).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The git state of the experiment's source at the moment of capture.
///
/// Every field is optional because every one of them can be unknowable: a run
/// outside any repository has no `sha`, a detached checkout has no `branch`,
/// a clean tree has no `diff_hash`. Whenever something is missing for a reason
/// other than "clean tree", `reason` says why in words a user can act on.
///
/// ```
/// use provenance::{git::{GitInfo, GitSearchStart}};
///
/// let info = GitInfo {
///     sha: Some("0123456789abcdef0123456789abcdef01234567".into()),
///     short_sha: Some("0123456".into()),
///     dirty: Some(false),
///     branch: Some("main".into()),
///     diff_hash: None,
///     repo_root: Some("/src/experiment".into()),
///     remote_url: Some("https://github.com/ana/experiment.git".into()),
///     searched_from: Some("/src/experiment/crates/train".into()),
///     found_via: Some(GitSearchStart::ManifestDir),
///     reason: None,
/// };
/// let json = serde_json::to_string(&info).unwrap();
/// assert!(json.contains(r#""found_via":"manifest_dir""#));
/// assert_eq!(serde_json::from_str::<GitInfo>(&json).unwrap(), info);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitInfo {
    /// The full 40-hex id of the commit HEAD names (`git rev-parse HEAD`);
    /// `None` when no commit can be named (not a repository, no commits yet,
    /// bare or corrupt repository, built without the `git` feature).
    pub sha: Option<String>,
    /// The abbreviated id as `git rev-parse --short HEAD` prints it: at least
    /// as long as git's `core.abbrev` (including git's automatic length,
    /// which grows with the number of packed objects), and longer if needed
    /// to be unique.
    pub short_sha: Option<String>,
    /// Whether the working tree differs from HEAD: any staged or unstaged
    /// addition, modification, deletion, rename or type change, any conflict,
    /// and any untracked file that is not ignored. Submodules are not looked
    /// into, and provenance's own event logs never count, wherever they are
    /// (`docs/GIT.md`, *Our own logs*). `None` when the status could not be
    /// read.
    pub dirty: Option<bool>,
    /// The checked-out branch (`git symbolic-ref --short HEAD`); `None` on a
    /// detached HEAD.
    pub branch: Option<String>,
    /// A hash of the uncommitted working-tree contents, `Some` only when
    /// `dirty` is `Some(true)`: equal edits give equal hashes, different
    /// edits different ones. Defined byte for byte in `docs/GIT.md`.
    pub diff_hash: Option<crate::Sha256Hash>,
    /// The working directory of the repository found.
    pub repo_root: Option<PathBuf>,
    /// Where others can fetch the commit from: the URL of the remote the
    /// branch tracks (`branch.<name>.remote`), else of `origin`, as `git
    /// remote get-url` prints it but with any user name and password
    /// removed from a `scheme://user:password@host` URL. `None` without
    /// such a remote. Absent in contexts written before it existed.
    #[serde(default)]
    pub remote_url: Option<String>,
    /// The directory the search for a repository started from.
    pub searched_from: Option<PathBuf>,
    /// Whether that directory was the experiment's manifest directory or the
    /// process's current working directory.
    pub found_via: Option<GitSearchStart>,
    /// Why something is missing or unusual (not a repository, no commits yet,
    /// detached HEAD, manifest directory gone, feature off, ...); `None` when
    /// everything was captured normally.
    pub reason: Option<String>,
}

/// Where the search for the repository started.
///
/// ```
/// use provenance::git::GitSearchStart;
///
/// assert_eq!(serde_json::to_string(&GitSearchStart::WorkingDir).unwrap(), r#""working_dir""#);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GitSearchStart {
    /// The experiment crate's `CARGO_MANIFEST_DIR`, recorded at compile time,
    /// so a binary run from elsewhere still records its own source's commit.
    ManifestDir,
    /// The process's current working directory: no manifest directory was
    /// given, or it does not exist on the machine the binary runs on.
    WorkingDir,
}

impl GitInfo {
    /// A capture that found nothing, for `reason`: every field `None`.
    /// For a context that should not (or cannot) record git state, e.g. in
    /// tests: `ProvenanceContext::builder(..).git(GitInfo::unknown("not captured"))`.
    pub fn unknown(reason: impl Into<String>) -> GitInfo {
        let reason = reason.into();
        GitInfo {
            sha: None,
            short_sha: None,
            dirty: None,
            branch: None,
            diff_hash: None,
            repo_root: None,
            remote_url: None,
            searched_from: None,
            found_via: None,
            reason: Some(reason),
        }
    }
}
