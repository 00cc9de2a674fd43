//! No secret in clear (docs/CONTEXT.md, *Secrets*): a user's experiment
//! crate run with secrets on its command line and in the variables it
//! records; neither its log's bytes nor `provenance summary` hold one, and
//! a secret variable is a keyed hash that compares under one key only.

mod support;

use std::path::Path;
use std::sync::OnceLock;

use provenance_test_support::experiment::{self, Experiment, Git};
use serde_json::Value;

/// Every secret the run is given: none may be written or printed.
const SECRETS: &[&str] = &[
    "hunter2X", "apikeyY7", "tokZ9", "urlpwQ3", "qtokT5", "envpwS1", "envurlS2", "sigS3",
];

fn secret_args() -> Vec<&'static str> {
    vec![
        "loop",
        "--password",
        "hunter2X",
        "--api-key=apikeyY7",
        "--token",
        "tokZ9",
        "https://ana:urlpwQ3@host.example/data?token=qtokT5&page=2",
        "--sig=sigS3",
    ]
}

fn secret_env(key_file: &str) -> Vec<(&str, &str)> {
    vec![
        ("PROVENANCE_HASH_KEY_FILE", key_file),
        (
            "PROVENANCE_ENV",
            "DB_PASSWORD,DATABASE_URL,MY_SIG,RUN_LABEL",
        ),
        ("PROVENANCE_REDACT", "sig"),
        ("DB_PASSWORD", "envpwS1"),
        ("DATABASE_URL", "postgres://ana:envurlS2@db/prices"),
        ("MY_SIG", "sigS3"),
        ("RUN_LABEL", "nightly"),
    ]
}

fn experiment() -> &'static Experiment {
    static BUILT: OnceLock<Experiment> = OnceLock::new();
    BUILT.get_or_init(|| experiment::build(Git::None))
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} holds {secret:?}:\n{text}");
    }
}

/// Runs the experiment with the secrets, its key at `key_file`; returns the
/// log's context and the run's stderr.
fn run(dir: &Path, label: &str, key_file: &Path) -> (Value, String) {
    let log = dir.join(format!("{label}.ndjson"));
    let key = key_file.to_str().unwrap();
    let out = experiment().run_with(&secret_args(), Some(&log), &secret_env(key));
    let bytes = std::fs::read_to_string(&log).unwrap();
    assert_no_secret(&log.display().to_string(), &bytes);
    let summary = provenance_test_support::provenance(dir, &["summary", log.to_str().unwrap()]);
    assert_eq!(summary.code, 0, "{}", summary.stderr);
    assert_no_secret("summary", &summary.stdout);
    assert!(
        summary
            .stdout
            .contains("--password <redacted> --api-key=<redacted>"),
        "{}",
        summary.stdout
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_no_secret("stderr", &stderr);
    (support::context(&log), stderr)
}

#[test]
fn secrets_are_redacted_before_the_log_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("keys/secret-hash.key");
    let (ctx, _) = run(dir.path(), "first", &key_file);

    let args: Vec<&str> = ctx["command_line"].as_array().unwrap()[1..]
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        args,
        [
            "loop",
            "--password",
            "<redacted>",
            "--api-key=<redacted>",
            "--token",
            "<redacted>",
            "https://<redacted>@host.example/data?token=<redacted>&page=2",
            "--sig=<redacted>",
        ]
    );
    let env = &ctx["env"];
    assert_eq!(env["DATABASE_URL"], "postgres://<redacted>@db/prices");
    assert_eq!(env["RUN_LABEL"], "nightly", "other values stay as they are");
    let hash = env["DB_PASSWORD"].as_str().unwrap();
    assert!(
        hash.starts_with("hmac-sha256:") && hash.len() == 12 + 64,
        "{hash}"
    );
    assert!(env["MY_SIG"].as_str().unwrap().starts_with("hmac-sha256:"));

    // The key was drawn on first use, private to the user.
    let key = std::fs::read_to_string(&key_file).unwrap();
    assert_eq!(key.trim().len(), 64, "{key:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Under the same key the hash compares; under another it does not.
    let (again, _) = run(dir.path(), "again", &key_file);
    assert_eq!(again["env"]["DB_PASSWORD"], hash);
    let (other, _) = run(dir.path(), "other", &dir.path().join("other.key"));
    assert_ne!(other["env"]["DB_PASSWORD"], hash);
}

#[test]
fn without_a_usable_key_a_secret_is_redacted_and_stderr_says_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-file"), "").unwrap();
    // A key file under a file: it can be neither read nor created, not even by root.
    let key_file = dir.path().join("a-file/secret-hash.key");
    let (ctx, stderr) = run(dir.path(), "nokey", &key_file);
    assert_eq!(ctx["env"]["DB_PASSWORD"], "<redacted>");
    assert_eq!(ctx["env"]["MY_SIG"], "<redacted>");
    let line = stderr
        .lines()
        .find(|l| l.contains("not as a keyed hash"))
        .unwrap_or_else(|| panic!("no line says why:\n{stderr}"));
    assert!(
        line.starts_with("provenance: DB_PASSWORD is recorded as <redacted>, not as a keyed hash: cannot read the key file ")
            && line.contains(&key_file.display().to_string())
            && line.contains("PROVENANCE_HASH_KEY_FILE"),
        "{line}"
    );
    assert_eq!(
        stderr.matches("not as a keyed hash").count(),
        1,
        "said once: {stderr}"
    );
}
