//! Running the rebuilt program as it was run: the recorded arguments, root
//! seed and named environment variables, from the recorded working folder
//! inside the worktree, its log going to a new file.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use serde_json::Value;

use super::Refusal;
use crate::ops::scan::Context;

/// How to run the program.
pub(crate) struct Launch {
    /// The program's arguments (after its name).
    pub(crate) args: Vec<String>,
    /// Variables to set.
    pub(crate) set: Vec<(String, String)>,
    /// Variables to remove.
    pub(crate) unset: Vec<String>,
    /// What the user should know about the variables (one line each).
    pub(crate) notes: Vec<String>,
}

/// The marker the writer puts where a secret was (`docs/CONTEXT.md`,
/// *Secrets*).
const REDACTED: &str = ith_provenance_runtime::REDACTED;

/// The recorded arguments, or `given` when the user passed their own.
///
/// # Errors
/// A recorded argument holds a redacted secret and none were given.
pub(crate) fn arguments(context: &Context, given: &[String]) -> Result<Vec<String>, Refusal> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let recorded = context.command_line.as_ref().ok_or_else(|| {
        Refusal::new(
            "the log records no command_line; give the program's arguments after --: \
             provenance rerun LOG -- ARGS…",
        )
    })?;
    let mut args = Vec::new();
    for (i, word) in recorded.iter().enumerate().skip(1) {
        let Some(word) = word.as_str() else {
            return Err(Refusal::new(format!(
                "argument {i} of the recorded command line is not a string ({word}); give \
                 the arguments after --"
            )));
        };
        if word.contains(REDACTED) {
            return Err(Refusal::new(format!(
                "argument {i} of the recorded command line ({word:?}) held a secret, which the \
                 log never keeps; give the arguments after --: provenance rerun LOG -- ARGS…"
            )));
        }
        args.push(word.to_string());
    }
    Ok(args)
}

/// The variables to set and remove: `PROVENANCE_SEED` from the root seed
/// (unless the code chose it), `PROVENANCE_LOG`, and each recorded
/// variable as recorded (a secret recorded as a keyed hash is taken from
/// the current environment, and said so).
pub(crate) fn variables(context: &Context, log: &Path) -> Launch {
    let mut launch = Launch {
        args: Vec::new(),
        set: vec![("PROVENANCE_LOG".into(), log.display().to_string())],
        unset: Vec::new(),
        notes: Vec::new(),
    };
    match context.root_seed.as_ref() {
        Some(root) if root.source.as_deref() != Some("explicit") => {
            if let Some(seed) = seed_text(&root.seed) {
                launch.set.push(("PROVENANCE_SEED".into(), seed));
            }
        }
        _ => launch.unset.push("PROVENANCE_SEED".into()),
    }
    let Some(env) = context.env.as_ref() else {
        return launch;
    };
    let threads = ith_provenance_runtime::THREAD_ENV_VARS;
    // A thread-count variable the run did not have is removed: the record
    // lists every one that was set.
    for name in threads {
        if !env.iter().any(|(n, _)| n == name) {
            launch.unset.push((*name).to_string());
        }
    }
    let mut named = Vec::new();
    for (name, value) in env {
        if !threads.contains(&name.as_str()) {
            named.push(name.clone());
        }
        match value {
            None => launch.unset.push(name.clone()),
            Some(value)
                if value.starts_with(ith_provenance_runtime::KEYED_HASH_PREFIX)
                    || value.contains(REDACTED) =>
            {
                let now = std::env::var_os(name).is_some();
                let kept = if value.starts_with(ith_provenance_runtime::KEYED_HASH_PREFIX) {
                    "only a hash of it"
                } else {
                    "it with its secrets redacted"
                };
                launch.notes.push(if now {
                    format!("{name} is taken from your environment (the log keeps {kept})")
                } else {
                    format!("{name} was set but is not now, and the log keeps {kept}: set it to rerun as recorded")
                });
            }
            Some(value) => launch.set.push((name.clone(), value.clone())),
        }
    }
    if named.is_empty() {
        launch.unset.push("PROVENANCE_ENV".into());
    } else {
        launch.set.push(("PROVENANCE_ENV".into(), named.join(",")));
    }
    launch
}

/// The seed as `PROVENANCE_SEED` takes it: the `0x…` string, or a
/// version-1 integer.
fn seed_text(seed: &Value) -> Option<String> {
    match seed {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => n.as_u64().map(|n| n.to_string()),
        _ => None,
    }
}

/// Runs `program` as `launch` says, from `dir`; its output goes to the
/// terminal.
///
/// # Errors
/// It cannot be started.
pub(crate) fn run(program: &Path, dir: &Path, launch: &Launch) -> Result<ExitStatus, Refusal> {
    let mut command = Command::new(program);
    command.args(&launch.args).current_dir(dir);
    for name in &launch.unset {
        command.env_remove(name);
    }
    for (name, value) in &launch.set {
        command.env(name, value);
    }
    command
        .status()
        .map_err(|e| Refusal::new(format!("cannot run {}: {e}", program.display())))
}

/// Where the new log goes: beside `old`, named after the session it
/// reruns and the time (`<session>.rerun-<UTC>.ndjson`); absolute, since
/// the program runs in another folder.
pub(crate) fn log_path(old: &Path, session: &str) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ");
    let dir = old
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    dir.join(format!("{session}.rerun-{stamp}.ndjson"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A variable unset now: the note says what the log kept of it.
    #[test]
    fn a_note_says_whether_the_log_kept_a_hash_or_a_redacted_value() {
        let context: Context = serde_json::from_value(serde_json::json!({
            "env": {
                "PROVENANCE_TEST_UNSET_DB_URL": "postgres://<redacted>@db/prices",
                "PROVENANCE_TEST_UNSET_API_KEY": format!("{}00ff", ith_provenance_runtime::KEYED_HASH_PREFIX),
            }
        }))
        .expect("a context of its env alone");
        let launch = variables(&context, Path::new("new.ndjson"));
        assert!(launch.notes.contains(&"PROVENANCE_TEST_UNSET_DB_URL was set but is not now, and the log keeps it with its secrets redacted: set it to rerun as recorded".to_string()), "{:?}", launch.notes);
        assert!(launch.notes.contains(&"PROVENANCE_TEST_UNSET_API_KEY was set but is not now, and the log keeps only a hash of it: set it to rerun as recorded".to_string()), "{:?}", launch.notes);
    }
}
