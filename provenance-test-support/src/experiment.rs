//! A user's own experiment crate, copied into a fresh folder (a new git
//! repository, or a folder outside any) and built there, as a user builds
//! theirs: `provenance-cli/tests/fixtures/parallel_experiment`, or the
//! workspace's main example as a user's example ([`Fixture`]).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

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
    fixture: Fixture,
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

/// Which user crate to copy.
#[derive(Clone, Copy, PartialEq)]
pub enum Fixture {
    /// `provenance-cli/tests/fixtures/parallel_experiment`: loops, threads,
    /// rayon, a pipeline (its binary is `parallel-experiment`).
    Parallel,
    /// The workspace's main example, `examples/ith_epochs.rs`, as the
    /// example `ith_epochs` of a user's crate `ith-demo` (an empty library
    /// beside it; `data/` ignored by git).
    MainExample,
}

impl Fixture {
    /// The cargo target that is built, as `cargo build` takes it.
    pub fn target(self) -> [&'static str; 2] {
        match self {
            Fixture::Parallel => ["--bin", "parallel-experiment"],
            Fixture::MainExample => ["--example", "ith_epochs"],
        }
    }

    /// Where cargo puts the binary, under `target/debug/`.
    fn artifact(self) -> &'static str {
        match self {
            Fixture::Parallel => "parallel-experiment",
            Fixture::MainExample => "examples/ith_epochs",
        }
    }
}

/// The main example's crate: its manifest (with `@PROVENANCE@` for the
/// workspace) and files.
const MAIN_EXAMPLE_MANIFEST: &str = r#"[package]
name = "ith-demo"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
ith-provenance = { path = "@PROVENANCE@" }
rand_core = "0.10"
serde = { version = "1", features = ["derive"] }

[workspace]
"#;

/// Copies the crate into a fresh folder (a new git repository with the
/// crate committed, or no repository) and builds it.
pub fn build(git_state: Git) -> Experiment {
    build_fixture(Fixture::Parallel, git_state)
}

/// Copies `fixture` into a fresh folder (a new git repository with the
/// crate committed, or no repository) and builds it.
pub fn build_fixture(fixture: Fixture, git_state: Git) -> Experiment {
    let workspace = std::fs::canonicalize(workspace_root()).unwrap();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let template = match fixture {
        Fixture::Parallel => std::fs::read_to_string(
            workspace.join("provenance-cli/tests/fixtures/parallel_experiment/Cargo.toml.in"),
        )
        .unwrap(),
        Fixture::MainExample => MAIN_EXAMPLE_MANIFEST.to_string(),
    };
    let manifest = template.replace("@PROVENANCE@", &workspace.display().to_string());
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
    match fixture {
        Fixture::Parallel => {
            let source = workspace.join("provenance-cli/tests/fixtures/parallel_experiment");
            std::fs::copy(source.join("src/main.rs"), dir.path().join("src/main.rs")).unwrap();
        }
        Fixture::MainExample => {
            std::fs::write(
                dir.path().join("src/lib.rs"),
                "//! The crate around the example.\n",
            )
            .unwrap();
            std::fs::create_dir(dir.path().join("examples")).unwrap();
            std::fs::copy(
                workspace.join("examples/ith_epochs.rs"),
                dir.path().join("examples/ith_epochs.rs"),
            )
            .unwrap();
            std::fs::write(dir.path().join(".gitignore"), "/data/\n").unwrap();
        }
    }
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
    compile(dir.path(), fixture, &binary);
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
        fixture,
    }
}

impl Experiment {
    /// Builds the crate again from its folder as it is now (as a user runs
    /// `cargo build` after editing or committing), replacing `binary`.
    pub fn rebuild(&self) {
        compile(self.dir.path(), self.fixture, &self.binary);
    }
}

/// The target folder every copy is built in (kept between test runs, so
/// only the crate itself is compiled again).
pub fn target_dir() -> PathBuf {
    std::fs::canonicalize(workspace_root())
        .unwrap()
        .join("target/parallel-experiment")
}

/// One build at a time in [`target_dir`]: a test that has something else
/// (`provenance rerun`) build there holds this meanwhile, so no copy takes
/// another's binary.
pub fn building() -> MutexGuard<'static, ()> {
    BUILDING.lock().unwrap_or_else(|e| e.into_inner())
}

static BUILDING: Mutex<()> = Mutex::new(());

/// `cargo build` of the crate in `dir`, its binary copied to `binary`.
/// Builds share one target folder, whose binary each build overwrites:
/// one build at a time, and each copies its binary out at once.
fn compile(dir: &Path, fixture: Fixture, binary: &Path) {
    let target = target_dir();
    let _one = building();
    let build = cargo()
        .args(["build", "--quiet"])
        .args(fixture.target())
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    assert!(
        build.status.success(),
        "the experiment crate does not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    std::fs::copy(target.join("debug").join(fixture.artifact()), binary).unwrap();
}
