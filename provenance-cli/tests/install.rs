//! The CLI installs as users install tools: `cargo package` makes the
//! workspace's tarballs, and `cargo install` builds the `provenance` binary
//! from the CLI's tarball alone. Our other crates come from their own
//! tarballs too (a `[patch.crates-io]` per crate, given on the command
//! line, stands in for the registry that will serve them), so a file the
//! build needs but a package leaves out fails here, as it would for a user.
//!
//! `.ci/run` also runs `cargo package --workspace`, which builds every
//! package from its tarball; this test is the user's last step on top of
//! it. It builds in the dev profile (`--debug`) into a target folder kept
//! under `target/tmp/`, so only a first run pays for the dependencies.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The crates the CLI depends on, each patched to its unpacked tarball.
const OURS: [&str; 4] = [
    "ith-provenance-contract",
    "ith-provenance-git",
    "ith-provenance-macros",
    "ith-provenance-runtime",
];

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs `command`, failing the test with its output when it fails.
fn run(command: &mut Command, what: &str) -> String {
    let out = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The folder `<name>-<version>` a `.crate` tarball unpacks to.
fn unpack(tarball: &Path, into: &Path) -> PathBuf {
    run(
        Command::new("tar")
            .arg("-xzf")
            .arg(tarball)
            .arg("-C")
            .arg(into),
        &format!("tar -xzf {}", tarball.display()),
    );
    let stem = tarball.file_stem().expect("a .crate file name");
    into.join(stem)
}

#[test]
fn cargo_install_from_the_packaged_tarball_gives_the_provenance_binary() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the CLI sits in the workspace");
    let version = env!("CARGO_PKG_VERSION");
    let tmp = tempfile::tempdir().unwrap();

    // The tarballs, as `cargo publish` would upload them. Not verified here
    // (CI's `cargo package --workspace` does that); `--allow-dirty` so a
    // developer's uncommitted edits are what gets tested.
    let packaged = tmp.path().join("packaged");
    run(
        cargo()
            .current_dir(workspace)
            .args(["package", "--workspace", "--no-verify", "--allow-dirty"])
            .arg("--target-dir")
            .arg(&packaged),
        "cargo package --workspace",
    );
    let src = tmp.path().join("src");
    std::fs::create_dir(&src).unwrap();
    let tarball = |name: &str| {
        packaged
            .join("package")
            .join(format!("{name}-{version}.crate"))
    };
    let cli = unpack(&tarball("ith-provenance-cli"), &src);
    let manifest = std::fs::read_to_string(cli.join("Cargo.toml")).unwrap();
    assert!(
        !manifest.contains("path = \"..")
            && manifest.contains("[dependencies.ith-provenance-runtime]"),
        "the packaged manifest takes the runtime by version, from no workspace path:\n{manifest}"
    );

    let root = tmp.path().join("root");
    let mut install = cargo();
    install
        .current_dir(tmp.path())
        .args(["install", "--debug", "--locked", "--path"])
        .arg(&cli)
        .arg("--root")
        .arg(&root)
        .arg("--target-dir")
        .arg(Path::new(env!("CARGO_TARGET_TMPDIR")).join("install-check"));
    for name in OURS {
        let dir = unpack(&tarball(name), &src);
        install.arg("--config").arg(format!(
            "patch.crates-io.{name}.path={:?}",
            dir.to_str().expect("a UTF-8 temporary path")
        ));
    }
    run(&mut install, "cargo install ith-provenance-cli");

    let binary = root
        .join("bin")
        .join(format!("provenance{}", std::env::consts::EXE_SUFFIX));
    let said = run(
        Command::new(&binary).arg("--version"),
        "provenance --version",
    );
    assert_eq!(said, format!("provenance {version}\n"));

    // And it reads a real log: one the example wrote, checked in for the
    // benchmarks.
    let log = workspace.join("provenance-cli/benches/support/ith_epochs_v2.jsonl");
    let said = run(
        Command::new(&binary).arg("summary").arg(&log),
        "provenance summary",
    );
    assert!(said.contains("ith-bull-demo"), "{said}");
}
