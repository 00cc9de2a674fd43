//! The source a binary was built from, as a user meets it: a crate in a
//! fresh git repository, built, then a commit made without rebuilding and
//! the old binary run (issue: a stale binary records someone else's
//! commit); and outputs left unignored in the tree, which make the second
//! identical run dirty (issue: say why a tree is dirty).

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use provenance_test_support::experiment::{self, Experiment, Git};
use provenance_test_support::{git, provenance};

/// Runs the experiment in its repository, its log at `log` (outside the
/// repository), `PROVENANCE_QUIET=1` when `quiet`.
fn run(exp: &Experiment, log: &Path, args: &[&str], quiet: bool) -> Output {
    let env: &[(&str, &str)] = if quiet {
        &[("PROVENANCE_QUIET", "1")]
    } else {
        &[]
    };
    exp.run_with(args, Some(log), env)
}

fn context(log: &Path) -> Value {
    let text = std::fs::read_to_string(log).expect("the log");
    let first: Value = serde_json::from_str(text.lines().next().expect("a line")).unwrap();
    first["context"].clone()
}

/// Runs the CLI on `args`: its exit status and stdout.
fn cli(args: &[&str]) -> (i32, String) {
    let out = provenance(Path::new("."), args);
    (out.code, out.stdout)
}

fn head(dir: &Path, short: bool) -> String {
    let args: &[&str] = if short {
        &["rev-parse", "--short", "HEAD"]
    } else {
        &["rev-parse", "HEAD"]
    };
    git(dir, args).trim().to_string()
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

#[test]
fn a_stale_binary_records_the_commit_it_was_built_from_and_names_both() {
    let exp = experiment::build(Git::Repository);
    let dir = exp.dir.path();
    let logs = tempfile::tempdir().unwrap();
    let (built, built_short) = (head(dir, false), head(dir, true));

    // A commit that changes the source, and no rebuild.
    let main = dir.join("src/main.rs");
    let source = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{source}\n// tuned later\n")).unwrap();
    commit(dir, "tune");
    let (now, now_short) = (head(dir, false), head(dir, true));

    let stale_log = logs.path().join("stale.ndjson");
    let out = run(&exp, &stale_log, &["loop"], false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("runs a binary built from"))
        .collect();
    assert_eq!(lines.len(), 1, "one line for the session: {stderr}");
    assert!(
        lines[0].contains(&format!("built from {built_short} (clean)"))
            && lines[0].contains(&format!("now at {now_short} (clean)")),
        "{} (built {built_short}, now {now_short})",
        lines[0]
    );

    let ctx = context(&stale_log);
    assert_eq!(ctx["git"]["sha"], built.as_str(), "the build's commit");
    assert_eq!(ctx["git_sha"], built.as_str());
    assert_eq!(ctx["git"]["captured_at"], "build");
    assert_eq!(ctx["git_at_run"]["sha"], now.as_str(), "and the tree's");
    assert_eq!(ctx["git_at_run"]["captured_at"], "run");

    let (code, summary) = cli(&["summary", stale_log.to_str().unwrap()]);
    assert_eq!(code, 0, "{summary}");
    let stale_line = summary
        .lines()
        .find(|l| l.starts_with("stale"))
        .unwrap_or_else(|| panic!("summary names the stale binary:\n{summary}"));
    assert!(
        stale_line.contains(&built_short) && stale_line.contains(&now_short),
        "{stale_line}"
    );

    // PROVENANCE_QUIET silences the line, not the record.
    let quiet_log = logs.path().join("quiet.ndjson");
    let out = run(&exp, &quiet_log, &["loop"], true);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("built from"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(context(&quiet_log)["git_at_run"]["sha"], now.as_str());

    // Rebuilt, the binary records the new commit and nothing else.
    exp.rebuild();
    let fresh_log = logs.path().join("fresh.ndjson");
    let out = run(&exp, &fresh_log, &["loop"], false);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("built from"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ctx = context(&fresh_log);
    assert_eq!(ctx["git"]["sha"], now.as_str());
    assert!(ctx.get("git_at_run").is_none(), "{ctx}");

    // diff: the commits differ, and the stale side is named.
    let (code, text) = cli(&[
        "diff",
        stale_log.to_str().unwrap(),
        fresh_log.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!("git.sha: \"{built}\" → \"{now}\"")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "A ran a binary built from {built_short} (clean), but its source was at {now_short} (clean)"
        )),
        "{text}"
    );

    // A commit that touches no source file still moves HEAD: cargo must
    // rebuild, or the binary would keep the previous commit.
    std::fs::write(dir.join("NOTES.md"), "why the tuning\n").unwrap();
    commit(dir, "notes");
    let notes = head(dir, false);
    exp.rebuild();
    let after_log = logs.path().join("after.ndjson");
    run(&exp, &after_log, &["loop"], false);
    let ctx = context(&after_log);
    assert_eq!(ctx["git"]["sha"], notes.as_str(), "{ctx}");
    assert!(ctx.get("git_at_run").is_none(), "{ctx}");
}

#[test]
fn unignored_outputs_are_named_as_what_makes_the_tree_dirty() {
    let exp = experiment::build(Git::Repository);
    let dir = exp.dir.path();
    std::fs::write(dir.join("raw.csv"), "1\n2\n3\n4\n").unwrap();
    std::fs::write(dir.join("params.txt"), "window = 2\n").unwrap();
    std::fs::write(dir.join("old.txt"), "superseded\n").unwrap();
    commit(dir, "data");
    exp.rebuild();
    let logs = tempfile::tempdir().unwrap();

    // Stage 1 writes features.csv into the repository, which does not
    // ignore it: the second identical run finds it untracked.
    let first = logs.path().join("first.ndjson");
    let second = logs.path().join("second.ndjson");
    let out = run(&exp, &first, &["stage1", "raw.csv"], false);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("built from"),
        "an untracked output is no reason for a line on every run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    run(&exp, &second, &["stage1", "raw.csv"], false);

    let ctx = context(&second);
    assert_eq!(ctx["git"]["dirty"], false, "built from a clean tree");
    let at_run = &ctx["git_at_run"];
    assert_eq!(at_run["dirty"], true);
    assert_eq!(at_run["dirty_path_count"], 1);
    assert_eq!(
        at_run["dirty_paths"],
        serde_json::json!([{"path": "features.csv", "status": "untracked"}])
    );

    let (code, text) = cli(&["diff", first.to_str().unwrap(), second.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("dirty path at run features.csv: (not dirty) → untracked"),
        "{text}"
    );
    let (_, summary) = cli(&["summary", second.to_str().unwrap()]);
    assert!(summary.contains("features.csv (untracked)"), "{summary}");

    // A tracked file edited, another deleted, a new one staged (which
    // changes the index, so cargo rebuilds): the build's own record names
    // each with its status.
    std::fs::write(dir.join("params.txt"), "window = 3\n").unwrap();
    std::fs::remove_file(dir.join("old.txt")).unwrap();
    std::fs::write(dir.join("staged.txt"), "new\n").unwrap();
    git(dir, &["add", "staged.txt"]);
    exp.rebuild();
    let third = logs.path().join("third.ndjson");
    run(&exp, &third, &["stage1", "raw.csv"], true);
    let ctx = context(&third);
    assert_eq!(
        ctx["git"]["dirty_paths"],
        serde_json::json!([
            {"path": "features.csv", "status": "untracked"},
            {"path": "old.txt", "status": "deleted"},
            {"path": "params.txt", "status": "modified"},
            {"path": "staged.txt", "status": "added"},
        ]),
        "git status --porcelain says:\n{}",
        git(dir, &["status", "--porcelain"])
    );
    assert_eq!(ctx["git"]["dirty_path_count"], 4);
    assert!(ctx.get("git_at_run").is_none(), "{ctx}");
    let (_, summary) = cli(&["summary", third.to_str().unwrap()]);
    assert!(
        summary.contains(
            "dirty by   features.csv (untracked), old.txt (deleted), params.txt (modified), \
             staged.txt (added)"
        ),
        "{summary}"
    );
}
