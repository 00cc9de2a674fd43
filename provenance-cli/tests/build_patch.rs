//! The uncommitted changes of a dirty build, as a user meets them (issue
//! 24): a crate in a fresh git repository, edited and built without a
//! commit, then run. The patch the binary carries is written beside the
//! log, named after `diff_hash`; applied to a clean worktree of the commit
//! it gives back that `diff_hash`. `PROVENANCE_PATCH=off` keeps it out,
//! and a log on standard output has no folder for it; both say why.

use std::path::Path;

use serde_json::Value;

use ith_provenance_runtime::Sha256Hash;
use provenance_test_support::experiment::{self, Git};
use provenance_test_support::{git, provenance};

fn context(log: &Path) -> Value {
    let text = std::fs::read_to_string(log).expect("the log");
    let first: Value = serde_json::from_str(text.lines().next().expect("a line")).unwrap();
    first["context"].clone()
}

/// `diff_hash` of the tree at `dir` by the shell recipe of docs/GIT.md.
fn diff_hash_by_recipe(dir: &Path) -> String {
    const RECIPE: &str = r#"git status --porcelain -z --untracked-files=all --no-renames --ignore-submodules=all |
  tr '\0' '\n' | cut -c4- | LC_ALL=C sort -u |
  while IFS= read -r p; do
    case "$p" in
      */) state=directory ;;
      *) if [ -L "$p" ]; then state=$(readlink -n -- "$p" | git hash-object --no-filters --stdin)
         elif [ -f "$p" ]; then state=$(git hash-object --no-filters -- "$p")
         else state=deleted; fi ;;
    esac
    printf '%s\0%s\n' "$p" "$state"
  done | sha256sum"#;
    let out = std::process::Command::new("sh")
        .args(["-c", RECIPE])
        .current_dir(dir)
        .output()
        .expect("sh runs");
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace().next().unwrap_or("").to_string()
}

#[test]
fn a_dirty_build_stores_its_patch_beside_the_log_and_it_gives_back_diff_hash() {
    let exp = experiment::build(Git::Repository);
    let dir = exp.dir.path();
    let main = dir.join("src/main.rs");
    let source = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{source}\n// tuned, not committed\n")).unwrap();
    std::fs::create_dir(dir.join("notes")).unwrap();
    std::fs::write(dir.join("notes/todo.md"), "- try window 30\n").unwrap();
    std::fs::write(dir.join("notes/weights.bin"), [0u8, 255, 1, 0, 42]).unwrap();
    exp.rebuild();

    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("run.ndjson");
    exp.run(&["loop"], Some(&log));
    let recorded = context(&log);
    let git_record = &recorded["git"];
    assert_eq!(git_record["dirty"], true, "{git_record}");
    let diff_hash = git_record["diff_hash"].as_str().expect("a diff_hash");
    let hex = diff_hash.strip_prefix("sha256:").unwrap();
    let patch = &git_record["patch"];
    assert_eq!(patch["file"], format!("patches/{hex}.patch"), "{patch}");
    assert_eq!(patch["redacted"], serde_json::json!([]), "{patch}");
    assert!(patch.get("reason").is_none(), "{patch}");
    let file = logs.path().join(patch["file"].as_str().unwrap());
    let bytes = std::fs::read(&file).expect("the patch beside the log");
    assert_eq!(patch["bytes"], bytes.len());
    assert_eq!(patch["sha256"], Sha256Hash::of(&bytes).to_string());
    let ignore = std::fs::read_to_string(logs.path().join("patches/.gitignore")).unwrap();
    assert_eq!(
        ignore.lines().last(),
        Some("*"),
        "never committed by accident"
    );
    assert!(
        recorded.get("git_at_run").is_none(),
        "the run's tree is the build's"
    );

    let validated = provenance(logs.path(), &["validate", log.to_str().unwrap()]);
    assert_eq!(validated.code, 0, "{validated:?}");

    // A clean worktree of the commit, the patch applied as `rerun` does.
    let clean = tempfile::tempdir().unwrap();
    let worktree = clean.path().join("wt");
    let worktree_arg = worktree.to_str().unwrap();
    git(
        dir,
        &["worktree", "add", "-q", "--detach", worktree_arg, "HEAD"],
    );
    git(&worktree, &["apply", "--binary", file.to_str().unwrap()]);
    assert_eq!(diff_hash_by_recipe(&worktree), hex);
    git(dir, &["worktree", "remove", "--force", worktree_arg]);

    // Turned off when the run starts: no file, a reason.
    let off_logs = tempfile::tempdir().unwrap();
    let off_log = off_logs.path().join("off.ndjson");
    exp.run_with(&["loop"], Some(&off_log), &[("PROVENANCE_PATCH", "off")]);
    let off = &context(&off_log)["git"]["patch"];
    assert_eq!(off["file"], Value::Null, "{off}");
    let reason = off["reason"].as_str().expect("a reason");
    assert!(reason.starts_with("not stored: "), "{reason}");
    assert!(reason.contains("PROVENANCE_PATCH=off"), "{reason}");
    assert!(!off_logs.path().join("patches").exists());

    // A log on standard output has no folder to put it beside.
    let out = exp.run_with(&["loop"], Some(Path::new("-")), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let start = stdout.lines().find(|l| l.contains("\"session.start\""));
    let first: Value = serde_json::from_str(start.expect("session.start")).unwrap();
    let piped = &first["context"]["git"]["patch"];
    assert_eq!(piped["file"], Value::Null, "{piped}");
    assert!(
        piped["reason"]
            .as_str()
            .is_some_and(|r| r.contains("standard output")),
        "{piped}"
    );
}
