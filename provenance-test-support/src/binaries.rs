//! Where the programs the tests run are: the workspace's examples and the
//! `provenance` binary, found in the target folder next to the running test.
//!
//! `env!("CARGO_BIN_EXE_provenance")` is set only while cargo compiles the
//! CLI's own tests, not this crate, so the binary is found the way
//! cargo-test-support finds cargo's: beside the test executable's `deps/`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace's root folder (the one holding its `Cargo.toml`).
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("provenance-test-support sits in the workspace's root folder")
}

/// `target/<profile>/`: the folder holding the running test executable's
/// `deps/` folder.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    exe.parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| {
            panic!(
                "{} is not in target/<profile>/deps/: run it with cargo test",
                exe.display()
            )
        })
        .to_path_buf()
}

/// The `provenance` binary cargo built for the CLI's tests
/// (`target/<profile>/provenance`).
///
/// Cargo builds it before any test of the `ith-provenance-cli` package;
/// from another package's tests it is missing, and this panics saying so.
pub fn provenance_binary() -> PathBuf {
    let binary = profile_dir().join(format!("provenance{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "no provenance binary at {}: only the ith-provenance-cli package's tests and \
         benchmarks have cargo build it",
        binary.display()
    );
    binary
}

/// The example `name`'s binary (`target/<profile>/examples/<name>`), built
/// with cargo when absent (a test run filtered with `--test` does not
/// build examples).
pub fn example_binary(name: &str) -> PathBuf {
    let binary = profile_dir()
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !binary.exists() {
        let status = cargo()
            .args([
                "build",
                "--quiet",
                "-p",
                "ith-provenance",
                "--example",
                name,
            ])
            .current_dir(workspace_root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build --example {name} failed");
    }
    assert!(binary.exists(), "no example binary at {}", binary.display());
    binary
}

/// The cargo running the tests (`$CARGO`), or the one on `PATH`.
pub(crate) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}
