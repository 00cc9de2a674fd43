//! The README's command-line loop, run as written: every line of the block
//! after `<!-- cli-loop` is executed in a fresh folder (the example and the
//! CLI built by this test run stand in for their `cargo run` commands), its
//! exit status must be the one its `# exit N` comment states, and every
//! word after `exit N:` must appear in what it printed.

mod support;

use std::collections::HashMap;
use std::process::Command;
/// One command of the block.
struct Step {
    env: Vec<(String, String)>,
    program: &'static str,
    args: Vec<String>,
    exit: i32,
    words: Vec<String>,
    text: String,
}

fn steps() -> Vec<Step> {
    let block = support::readme_block("cli-loop");
    let mut exported: Vec<(String, String)> = Vec::new();
    let mut steps = Vec::new();
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let (command, comment) = match line.split_once('#') {
            Some((c, k)) => (c.trim(), k.trim()),
            None => (line.trim(), ""),
        };
        let mut words = command.split_whitespace().map(String::from).peekable();
        if words.peek().map(String::as_str) == Some("export") {
            words.next();
            for assignment in words {
                let (k, v) = assignment.split_once('=').expect("export K=V");
                exported.push((k.into(), v.into()));
            }
            continue;
        }
        let mut env = exported.clone();
        while let Some((k, v)) = words.peek().and_then(|w| w.split_once('=')) {
            env.push((k.into(), v.into()));
            words.next();
        }
        let rest: Vec<String> = words.collect();
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        let (program, args): (&'static str, &[&str]) = match rest.as_slice() {
            [
                "cargo",
                "run",
                "-q",
                "--example",
                "ith_epochs",
                "--",
                args @ ..,
            ] => ("example", args),
            ["cargo", "run", "-q", "--example", "ith_epochs"] => ("example", &[]),
            [
                "cargo",
                "run",
                "-q",
                "-p",
                "ith-provenance-cli",
                "--",
                args @ ..,
            ] => ("cli", args),
            other => panic!("the README loop runs an unexpected command: {other:?}"),
        };
        let (exit, words) = match comment.strip_prefix("exit ") {
            Some(rest) => {
                let (code, said) = rest.split_once(':').unwrap_or((rest, ""));
                let words = said
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|w| !w.is_empty() && !["and", "the", "->"].contains(w))
                    .map(String::from)
                    .collect();
                (code.trim().parse().expect("exit N"), words)
            }
            None => (0, Vec::new()),
        };
        steps.push(Step {
            env,
            program,
            args: args.iter().map(|a| a.to_string()).collect(),
            exit,
            words,
            text: line.to_string(),
        });
    }
    steps
}

#[test]
fn the_readme_loop_works_as_written() {
    let example = provenance_test_support::example_binary("ith_epochs");
    let cli = provenance_test_support::provenance_binary();
    let dir = tempfile::tempdir().unwrap();
    let steps = steps();
    assert!(steps.len() >= 6, "the loop has its commands");
    let mut diffs = HashMap::new();
    for step in &steps {
        let program = if step.program == "cli" {
            cli.clone()
        } else {
            example.clone()
        };
        let out = Command::new(program)
            .args(&step.args)
            .env_remove("PROVENANCE_SEED")
            .env_remove("PROVENANCE_LOG")
            .envs(step.env.iter().map(|(k, v)| (k, v)))
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(step.exit),
            "`{}` exited {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            step.text,
            out.status.code()
        );
        for word in &step.words {
            assert!(
                stdout.contains(word.as_str()),
                "`{}` does not say {word:?}:\n{stdout}",
                step.text
            );
        }
        if step.args.first().map(String::as_str) == Some("diff") {
            diffs.insert(step.args[2].clone(), stdout.into_owned());
        }
    }
    assert_eq!(diffs.len(), 4, "four diffs in the loop");
}
