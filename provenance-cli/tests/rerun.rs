//! `provenance rerun`, as a user meets it: an experiment crate of their own
//! in a fresh git repository (the workspace's main example, or the rayon
//! experiment), built and run, its log written outside the repository;
//! then the one command that rebuilds the recorded commit (and stored
//! uncommitted changes) in a temporary worktree, runs it as recorded and
//! compares the logs.

use std::path::{Path, PathBuf};

use serde_json::Value;

use provenance_test_support::experiment::{self, Experiment, Fixture, Git};
use provenance_test_support::{Outcome, git, provenance};

/// `provenance rerun LOG [extra…]` from the repository, building in the
/// tests' shared target folder (one build there at a time).
fn rerun(exp: &Experiment, log: &Path, extra: &[&str]) -> Outcome {
    let target = experiment::target_dir();
    let mut args: Vec<&std::ffi::OsStr> = vec!["rerun".as_ref(), "--target-dir".as_ref()];
    args.push(target.as_os_str());
    args.push(log.as_os_str());
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let _one = experiment::building();
    provenance(exp.dir.path(), &args).no_panic(extra)
}

fn last_line(text: &str) -> &str {
    text.trim_end().lines().last().unwrap_or("")
}

fn context(log: &Path) -> Value {
    let text = std::fs::read_to_string(log).expect("the log");
    let first: Value = serde_json::from_str(text.lines().next().expect("a line")).unwrap();
    first["context"].clone()
}

/// What the user's repository looks like: `git status`, the worktrees git
/// knows, and the bytes of `files`.
fn snapshot(exp: &Experiment, files: &[&str]) -> (String, String, Vec<Vec<u8>>) {
    let dir = exp.dir.path();
    (
        git(dir, &["status", "--porcelain", "--untracked-files=all"]),
        git(dir, &["worktree", "list", "--porcelain"]),
        files
            .iter()
            .map(|f| std::fs::read(dir.join(f)).unwrap_or_default())
            .collect(),
    )
}

/// The logs `rerun` wrote beside `log`.
fn reruns_beside(log: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(log.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".rerun-"))
        .collect()
}

/// A refusal: exit 2, and the last line of stderr is the one line that
/// says why, holding `words`.
fn assert_refused(out: &Outcome, words: &[&str]) {
    assert_eq!(out.code, 2, "{out:?}");
    let line = last_line(&out.stderr);
    assert!(line.starts_with("provenance: rerun: "), "{out:?}");
    for word in words {
        assert!(line.contains(word), "{word:?} not in {line:?}");
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_clean_run_of_the_main_example_reruns_identical() {
    let exp = experiment::build_fixture(Fixture::MainExample, Git::Repository);
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("run.ndjson");
    exp.run(&["--bars", "400"], Some(&log));
    let cargo = &context(&log)["build"]["cargo"];
    assert_eq!(cargo["target_kind"], "example", "{cargo}");
    assert_eq!(cargo["target_name"], "ith_epochs", "{cargo}");
    let before = snapshot(&exp, &["examples/ith_epochs.rs"]);

    let out = rerun(&exp, &log, &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(last_line(&out.stdout), "reproduced: identical", "{out:?}");
    for step in ["Worktree", "Building", "Running", "Comparing"] {
        assert!(out.stderr.contains(step), "no {step} line: {}", out.stderr);
    }
    let new = reruns_beside(&log);
    assert_eq!(new.len(), 1, "one new log beside the old one: {new:?}");
    let rerun_context = context(&new[0]);
    assert_eq!(rerun_context["git"]["sha"], context(&log)["git"]["sha"]);
    assert_eq!(
        rerun_context["root_seed"]["seed"],
        context(&log)["root_seed"]["seed"]
    );
    assert_eq!(
        snapshot(&exp, &["examples/ith_epochs.rs"]),
        before,
        "the user's tree is as it was, and the worktree is gone"
    );
}

#[test]
fn a_run_with_uncommitted_edits_reruns_from_its_patch() {
    let exp = experiment::build_fixture(Fixture::MainExample, Git::Repository);
    let dir = exp.dir.path();
    // A tracked file changed and a new untracked source file it uses.
    edit(&dir.join("src/lib.rs"), "\n", "\npub mod scale;\n");
    std::fs::write(
        dir.join("src/scale.rs"),
        "//! Where the walk starts.\n\n/// The first NAV level.\npub const LEVEL: f64 = 2.5;\n",
    )
    .unwrap();
    edit(
        &dir.join("examples/ith_epochs.rs"),
        "let mut level = 1.0_f64;",
        "let mut level = ith_demo::scale::LEVEL;",
    );
    exp.rebuild();
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("run.ndjson");
    exp.run(&["--bars", "400"], Some(&log));
    let recorded = context(&log);
    assert_eq!(recorded["git"]["dirty"], true, "{}", recorded["git"]);
    let patch = logs.path().join(
        recorded["git"]["patch"]["file"]
            .as_str()
            .expect("a stored patch"),
    );
    assert!(patch.is_file(), "{}", patch.display());
    let files = ["src/lib.rs", "src/scale.rs", "examples/ith_epochs.rs"];
    let before = snapshot(&exp, &files);

    let out = rerun(&exp, &log, &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(last_line(&out.stdout), "reproduced: identical", "{out:?}");
    assert!(out.stderr.contains("Patched"), "{}", out.stderr);
    let new = reruns_beside(&log);
    assert_eq!(
        context(&new[0])["git"]["diff_hash"],
        recorded["git"]["diff_hash"]
    );
    assert_eq!(
        snapshot(&exp, &files),
        before,
        "the user's own tree is untouched"
    );
}

#[test]
fn a_changed_input_stops_the_rerun_unless_allowed() {
    let exp = experiment::build_fixture(Fixture::MainExample, Git::Repository);
    let dir = exp.dir.path();
    std::fs::create_dir(dir.join("data")).unwrap();
    let logs = tempfile::tempdir().unwrap();
    exp.run(
        &["--bars", "300", "--save-data", "data/nav.txt"],
        Some(&logs.path().join("save.ndjson")),
    );
    let log = logs.path().join("run.ndjson");
    exp.run(&["--data", "data/nav.txt"], Some(&log));
    // Same bytes: the ignored data file is found in the user's tree.
    let out = rerun(&exp, &log, &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("1 input file(s), 1 as recorded"),
        "{}",
        out.stderr
    );
    // Read from the worktree's copy of the folder: the same path, not a
    // change nor a note.
    assert!(!out.stdout.contains("source_path"), "{}", out.stdout);

    let nav = dir.join("data/nav.txt");
    let mut text = std::fs::read_to_string(&nav).unwrap();
    text.push_str("1.5\n");
    std::fs::write(&nav, text).unwrap();
    let refused = rerun(&exp, &log, &[]);
    assert_refused(
        &refused,
        &[
            "input data is changed",
            "data/nav.txt",
            "--allow-changed-inputs",
        ],
    );
    assert!(
        !refused.stderr.contains("Building"),
        "nothing is built: {}",
        refused.stderr
    );

    let allowed = rerun(&exp, &log, &["--allow-changed-inputs"]);
    assert_eq!(allowed.code, 1, "{allowed:?}");
    assert!(allowed.stderr.contains("Warning"), "{}", allowed.stderr);
    let verdict = last_line(&allowed.stdout);
    assert!(verdict.starts_with("not reproduced: "), "{verdict}");
    assert!(
        verdict.contains("input.data"),
        "the input is named: {verdict}"
    );
}

#[test]
fn at_another_commit_names_exactly_the_result_it_changed() {
    let exp = experiment::build_fixture(Fixture::MainExample, Git::Repository);
    let dir = exp.dir.path();
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("run.ndjson");
    exp.run(&["--bars", "400"], Some(&log));
    edit(
        &dir.join("examples/ith_epochs.rs"),
        "run.record_metric(\"max_excess_gain\", max_gain);",
        "run.record_metric(\"max_excess_gain\", max_gain * 2.0);",
    );
    git(dir, &["commit", "-q", "-am", "double the reported gain"]);
    let head = git(dir, &["rev-parse", "--short=7", "HEAD"]);

    let out = rerun(&exp, &log, &["--at", "HEAD"]);
    assert_eq!(out.code, 1, "{out:?}");
    let verdict = last_line(&out.stdout);
    assert_eq!(
        verdict,
        format!(
            "not reproduced (at HEAD = {head}): ith_experiment#1/bull_ith#1.final_metrics.max_excess_gain, \
             events algorithm.result from event 0.final_metrics.max_excess_gain"
        ),
        "{out:?}"
    );
}

#[test]
fn a_rayon_parallel_experiment_reruns_identical() {
    let exp = experiment::build_fixture(Fixture::Parallel, Git::Repository);
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("run.ndjson");
    exp.run_with(&["rayon"], Some(&log), &[("RAYON_NUM_THREADS", "2")]);
    assert_eq!(context(&log)["env"]["RAYON_NUM_THREADS"], "2");
    let out = rerun(&exp, &log, &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(last_line(&out.stdout), "reproduced: identical", "{out:?}");
}

#[test]
fn what_cannot_be_rerun_is_refused_in_one_line() {
    let exp = experiment::build_fixture(Fixture::MainExample, Git::Repository);
    let dir = exp.dir.path();
    let logs = tempfile::tempdir().unwrap();

    // A commit the repository does not have.
    let clean = logs.path().join("clean.ndjson");
    exp.run(&["--bars", "200"], Some(&clean));
    let sha = context(&clean)["git"]["sha"].as_str().unwrap().to_string();
    let unknown = logs.path().join("unknown.ndjson");
    let bogus = "0123456789abcdef0123456789abcdef01234567";
    std::fs::write(
        &unknown,
        std::fs::read_to_string(&clean)
            .unwrap()
            .replace(&sha, bogus),
    )
    .unwrap();
    assert_refused(
        &rerun(&exp, &unknown, &[]),
        &["commit", bogus, "not in the repository"],
    );

    // A log that does not say what to build (written before build.cargo),
    // and one whose command line held a secret.
    let rewrite = |name: &str, change: &dyn Fn(&mut Value)| {
        let text = std::fs::read_to_string(&clean).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let mut first: Value = serde_json::from_str(&lines[0]).unwrap();
        change(&mut first["context"]);
        lines[0] = first.to_string();
        let path = logs.path().join(name);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path
    };
    let old = rewrite("old.ndjson", &|c| {
        c["build"].as_object_mut().unwrap().remove("cargo");
    });
    assert_refused(
        &rerun(&exp, &old, &[]),
        &["does not record the cargo target"],
    );
    let secret = rewrite("secret.ndjson", &|c| {
        c["command_line"] = serde_json::json!(["ith_epochs", "--api-key", "<redacted>"]);
    });
    assert_refused(
        &rerun(&exp, &secret, &[]),
        &["argument 2", "held a secret", "give the arguments after --"],
    );
    // Given after --, the arguments are the user's.
    let given = rerun(&exp, &secret, &["--", "--bars", "200"]);
    assert_eq!(given.code, 0, "{given:?}");
    // The line that says what runs shows them as the log would record
    // them: secrets given after -- stay out of terminals and CI logs (the
    // example then refuses the option it does not know).
    let shown = rerun(
        &exp,
        &secret,
        &["--", "--bars", "200", "--api-key", "sk-CLIKEY999"],
    );
    assert!(
        shown.stderr.contains("--bars 200 --api-key <redacted> in "),
        "{shown:?}"
    );
    assert!(!shown.stderr.contains("sk-CLIKEY999"), "{shown:?}");

    // A target that no longer builds, at a later commit.
    std::fs::write(dir.join("src/lib.rs"), "pub fn broken( {\n").unwrap();
    git(dir, &["commit", "-q", "-am", "break the build"]);
    assert_refused(
        &rerun(&exp, &clean, &["--at", "HEAD"]),
        &["no longer builds"],
    );
    git(dir, &["reset", "-q", "--hard", "HEAD~1"]);

    // A dirty run whose patch is missing, and one whose patch was altered.
    std::fs::write(dir.join("NOTES.md"), "tried a lower hurdle\n").unwrap();
    exp.rebuild();
    let missing_dir = logs.path().join("missing");
    let altered_dir = logs.path().join("altered");
    for folder in [&missing_dir, &altered_dir] {
        std::fs::create_dir(folder).unwrap();
        exp.run(&["--bars", "200"], Some(&folder.join("run.ndjson")));
    }
    let patch = |folder: &Path| {
        let log = folder.join("run.ndjson");
        folder.join(
            context(&log)["git"]["patch"]["file"]
                .as_str()
                .expect("a stored patch"),
        )
    };
    std::fs::remove_file(patch(&missing_dir)).unwrap();
    assert_refused(
        &rerun(&exp, &missing_dir.join("run.ndjson"), &[]),
        &["patch", "missing"],
    );
    let altered = patch(&altered_dir);
    let mut bytes = std::fs::read(&altered).unwrap();
    bytes.extend_from_slice(b"+one more line\n");
    std::fs::write(&altered, bytes).unwrap();
    assert_refused(
        &rerun(&exp, &altered_dir.join("run.ndjson"), &[]),
        &["does not match", "diff_hash"],
    );
}
