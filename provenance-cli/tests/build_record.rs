//! "Why does it differ?" beyond the commit: a scratch experiment crate is
//! built twice, changing one thing each time (a dependency version in its
//! Cargo.lock, the profile, `-C target-feature=+fma`, `RAYON_NUM_THREADS`),
//! and `provenance diff` of the two logs must exit 1 and name exactly that
//! change.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use provenance_test_support::provenance;
use serde_json::Value;

const MAIN: &str = r#"
use ith_provenance::provenance;

#[provenance(experiment = "build-record", seed = 7)]
fn mean(#[config] n: u32) -> f64 {
    (0..n).map(f64::from).sum::<f64>() / f64::from(n)
}

fn main() {
    println!("{}", mean(helper::N));
}
"#;

/// How one build differs from the baseline.
#[derive(Clone, Copy, Default)]
struct Variant {
    helper_version: Option<&'static str>,
    release: bool,
    rustflags: Option<&'static str>,
}

/// Builds the scratch crate (outside any git repository, so git says the
/// same on both sides) and returns its binary, copied out of the shared
/// target folder.
fn build(variant: Variant) -> (tempfile::TempDir, PathBuf) {
    static BUILDING: Mutex<()> = Mutex::new(());
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = std::fs::canonicalize(manifest_dir.join("..")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "Cargo.toml",
        &format!(
            "[package]\nname = \"build-record\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\
             publish = false\n\n[dependencies]\n\
             ith-provenance = {{ path = {:?}, default-features = false }}\n\
             helper = {{ path = \"helper\" }}\n\n[workspace]\n",
            workspace.display().to_string()
        ),
    );
    write("src/main.rs", MAIN);
    write(
        "helper/Cargo.toml",
        &format!(
            "[package]\nname = \"helper\"\nversion = \"{}\"\nedition = \"2024\"\n",
            variant.helper_version.unwrap_or("0.1.0")
        ),
    );
    write("helper/src/lib.rs", "pub const N: u32 = 10;\n");
    // The workspace's lock: the same dependency versions, already built.
    std::fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();

    let target = workspace.join("target/build-record-experiment");
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .args(["build", "--quiet", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    if variant.release {
        cargo.arg("--release");
    }
    if let Some(flags) = variant.rustflags {
        cargo.env("RUSTFLAGS", flags);
    }
    let binary = root.join("build-record-bin");
    let _one = BUILDING.lock().unwrap_or_else(|e| e.into_inner());
    let out = cargo.output().expect("cargo runs");
    assert!(
        out.status.success(),
        "the scratch crate does not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let profile = if variant.release { "release" } else { "debug" };
    std::fs::copy(target.join(profile).join("build-record"), &binary).unwrap();
    (dir, binary)
}

/// Runs the binary and returns its log.
fn run(binary: &Path, log_dir: &Path, label: &str, env: &[(&str, &str)]) -> PathBuf {
    let log = log_dir.join(format!("{label}.ndjson"));
    let mut command = Command::new(binary);
    command
        .env("PROVENANCE_LOG", &log)
        .env("PROVENANCE_SEED", "7")
        .env_remove("PROVENANCE_ENV");
    // The thread-count variables the context records, none set.
    for var in [
        "RAYON_NUM_THREADS",
        "TOKIO_WORKER_THREADS",
        "OMP_NUM_THREADS",
    ] {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{label}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "4.5");
    log
}

/// `diff A B`: exit status, the `--json` differences' paths, the text.
fn diff(a: &Path, b: &Path) -> (i32, Vec<String>, String) {
    let cwd = a.parent().unwrap();
    let (a, b) = (a.as_os_str(), b.as_os_str());
    let json = provenance(cwd, &["diff".as_ref(), "--json".as_ref(), a, b]);
    let paths = json.json()["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    let text = provenance(cwd, &["diff".as_ref(), a, b]);
    assert_eq!(text.code, json.code, "text and --json agree on the verdict");
    (text.code, paths, text.stdout)
}

#[test]
fn each_change_of_build_or_threads_is_named_alone() {
    let logs = tempfile::tempdir().unwrap();
    let (_base_dir, base) = build(Variant::default());
    let baseline = run(&base, logs.path(), "baseline", &[]);
    let again = run(&base, logs.path(), "again", &[]);
    let (code, paths, text) = diff(&baseline, &again);
    assert_eq!(
        (code, paths.as_slice()),
        (0, &[][..]),
        "the same build twice:\n{text}"
    );

    let context = support::context(&baseline);
    let record = &context["build"];
    assert_eq!(record["profile"], "debug");
    assert_eq!(record["debug_assertions"], true);
    let helper = record["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "helper")
        .expect("the path dependency is recorded");
    assert_eq!(helper["version"], "0.1.0");
    assert_eq!(helper["source"], Value::Null);
    assert!(
        record["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["name"] == "serde_json"),
        "transitive dependencies are recorded"
    );

    // (label, build, run environment, the one difference, its text line)
    type Case = (
        &'static str,
        Variant,
        &'static [(&'static str, &'static str)],
        &'static str,
        &'static str,
    );
    let cases: [Case; 4] = [
        (
            "dependency",
            Variant {
                helper_version: Some("0.1.1"),
                ..Variant::default()
            },
            &[],
            "build.dependencies.helper",
            "dependency helper 0.1.0 → 0.1.1",
        ),
        (
            "profile",
            Variant {
                release: true,
                ..Variant::default()
            },
            &[],
            "build.profile",
            "build profile debug",
        ),
        (
            "fma",
            Variant {
                rustflags: Some("-C target-feature=+fma"),
                ..Variant::default()
            },
            &[],
            "build.target_features",
            "fma off → on",
        ),
        (
            "threads",
            Variant::default(),
            &[("RAYON_NUM_THREADS", "3")],
            "env.RAYON_NUM_THREADS",
            "RAYON_NUM_THREADS (unset) → 3",
        ),
    ];
    for (label, variant, env, path, line) in cases {
        if label == "fma" && !cfg!(any(target_arch = "x86", target_arch = "x86_64")) {
            continue;
        }
        let (_dir, binary) = match label {
            "threads" => (tempfile::tempdir().unwrap(), base.clone()),
            _ => build(variant),
        };
        let log = run(&binary, logs.path(), label, env);
        let (code, paths, text) = diff(&baseline, &log);
        assert_eq!(code, 1, "{label}: a difference\n{text}");
        assert_eq!(paths, [path], "{label}: exactly that change\n{text}");
        assert!(text.contains(line), "{label}: no line {line:?} in\n{text}");
    }
}
