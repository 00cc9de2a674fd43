//! A user's own experiment crate
//! (`provenance-cli/tests/fixtures/parallel_experiment`), copied into a
//! fresh folder — a new git repository, or a folder outside any — and
//! built there, as a user builds theirs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use crate::binaries::{cargo, workspace_root};
use crate::git::git;

/// The crate's folder and its binary (kept outside that folder, so the
/// repository holds nothing but the crate's source).
pub struct Experiment {
    /// The crate's folder.
    pub dir: tempfile::TempDir,
    _bin_dir: tempfile::TempDir,
    /// Its binary, as last built.
    pub binary: PathBuf,
}

impl Experiment {
    /// Runs the binary with `args` from the crate's folder with
    /// `PROVENANCE_SEED=7`, its log at `log` (`None`: the default folder);
    /// panics when it fails.
    pub fn run(&self, args: &[&str], log: Option<&Path>) -> Output {
        self.run_with(args, log, &[])
    }

    /// [`Experiment::run`] with more variables set (`PROVENANCE_QUIET` is
    /// unset unless given).
    pub fn run_with(&self, args: &[&str], log: Option<&Path>, env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(&self.binary);
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("PROVENANCE_SEED", "7")
            .env_remove("PROVENANCE_QUIET")
            .envs(env.iter().copied());
        match log {
            Some(log) => command.env("PROVENANCE_LOG", log),
            None => command.env_remove("PROVENANCE_LOG"),
        };
        let out = command.output().expect("the experiment runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

/// Whether the crate's folder is a git repository with the crate committed.
#[derive(Clone, Copy, PartialEq)]
pub enum Git {
    /// A new repository on branch `main`, the crate committed.
    Repository,
    /// A folder outside any repository.
    None,
}

/// Copies the crate into a fresh folder (a new git repository with the
/// crate committed, or no repository) and builds it.
pub fn build(git_state: Git) -> Experiment {
    let workspace = std::fs::canonicalize(workspace_root()).unwrap();
    let fixture = workspace.join("provenance-cli/tests/fixtures/parallel_experiment");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let manifest = std::fs::read_to_string(fixture.join("Cargo.toml.in"))
        .unwrap()
        .replace("@PROVENANCE@", &workspace.display().to_string());
    // Cargo hashes a root package by its path relative to its workspace,
    // which is the same for every copy: without something unique, copies
    // built into the shared target folder share one fingerprint, and cargo
    // takes one copy's build for another's (fresh when it is not). A
    // feature named after the folder tells them apart and changes nothing
    // else.
    let folder = dir.path().file_name().unwrap().to_string_lossy();
    let checkout: String = folder
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let manifest = format!(
        "{manifest}\n[features]\ndefault = [\"checkout{checkout}\"]\ncheckout{checkout} = []\n"
    );
    std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::copy(fixture.join("src/main.rs"), dir.path().join("src/main.rs")).unwrap();
    // The workspace's own lock: the same dependency versions, already built.
    std::fs::copy(workspace.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();

    if git_state == Git::Repository {
        // Committed before the build, as a user builds a checkout: the
        // binary records the commit it was built from (docs/GIT.md, *Built
        // from*). `cargo metadata` first writes the lock cargo wants, so
        // the build leaves the tree clean.
        let metadata = cargo()
            .args([
                "metadata",
                "--quiet",
                "--format-version",
                "1",
                "--manifest-path",
            ])
            .arg(dir.path().join("Cargo.toml"))
            .output()
            .expect("cargo runs");
        assert!(
            metadata.status.success(),
            "cargo metadata: {}",
            String::from_utf8_lossy(&metadata.stderr)
        );
        git(dir.path(), &["init", "-q", "-b", "main"]);
        git(dir.path(), &["add", "-A"]);
        git(dir.path(), &["commit", "-q", "-m", "experiment"]);
    }
    let bin_dir = tempfile::tempdir().expect("a temporary folder");
    let binary = bin_dir.path().join("parallel-experiment");
    compile(dir.path(), &binary);
    if git_state == Git::Repository {
        assert_eq!(
            git(dir.path(), &["status", "--porcelain"]),
            "",
            "a clean start"
        );
    }
    Experiment {
        dir,
        _bin_dir: bin_dir,
        binary,
    }
}

impl Experiment {
    /// Builds the crate again from its folder as it is now (as a user runs
    /// `cargo build` after editing or committing), replacing `binary`.
    pub fn rebuild(&self) {
        compile(self.dir.path(), &self.binary);
    }
}

/// `cargo build` of the crate in `dir`, its binary copied to `binary`.
/// Builds share one target folder (kept between test runs, so only the
/// crate itself is compiled again), whose binary each build overwrites:
/// one build at a time, and each copies its binary out at once.
fn compile(dir: &Path, binary: &Path) {
    static BUILDING: Mutex<()> = Mutex::new(());
    let workspace = std::fs::canonicalize(workspace_root()).unwrap();
    let target = workspace.join("target/parallel-experiment");
    let _one = BUILDING.lock().unwrap_or_else(|e| e.into_inner());
    let build = cargo()
        .args(["build", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    assert!(
        build.status.success(),
        "the experiment crate does not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    std::fs::copy(target.join("debug/parallel-experiment"), binary).unwrap();
}
