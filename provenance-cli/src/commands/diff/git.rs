//! What the two sessions' git records say beyond commit, dirty flag and
//! `diff_hash` (compared with the rest of the context): which paths made
//! each tree dirty, and whether a binary ran against a source other than
//! the one it was built from.

use std::collections::BTreeMap;

use serde_json::Value;

use super::difference::{Comparison, Difference};
use crate::ops::git_state::{describe, dirty_paths, lists_all};
use crate::ops::scan::{GitRecord, Session};

/// Pushes one difference per dirty path that differs between the sides
/// when their uncommitted contents differ; the same for the trees the runs
/// ran in (`git_at_run`, else `git`), when a side recorded one apart from
/// its build's; and one note per side whose binary was built from another
/// state of its source than the one it ran in.
pub(super) fn compare(c: &mut Comparison, a: &Session, b: &Session) {
    let (git_a, git_b) = (built(a), built(b));
    if diff_hash(git_a) != diff_hash(git_b) {
        name_dirty_paths(c, "git", git_a, git_b);
    }
    let (now_a, now_b) = (at_run(a), at_run(b));
    if now_a.is_some() || now_b.is_some() {
        let (run_a, run_b) = (now_a.or(git_a), now_b.or(git_b));
        let sha = |g: Option<&GitRecord>| g?.sha.clone().map(Value::from);
        let dirty = |g: Option<&GitRecord>| g?.dirty.map(Value::from);
        let hash = |g: Option<&GitRecord>| diff_hash(g).map(Value::from);
        c.push(
            false,
            "git",
            "git_at_run.sha".into(),
            sha(run_a),
            sha(run_b),
        );
        c.push(
            false,
            "git",
            "git_at_run.dirty".into(),
            dirty(run_a),
            dirty(run_b),
        );
        c.push(
            false,
            "git",
            "git_at_run.diff_hash".into(),
            hash(run_a),
            hash(run_b),
        );
        if diff_hash(run_a) != diff_hash(run_b) {
            name_dirty_paths(c, "git_at_run", run_a, run_b);
        }
    }
    for (side, session, now) in [("A", a, now_a), ("B", b, now_b)] {
        if let Some(now) = now {
            // The note carries the record as written, for `--json`.
            let recorded = session
                .context
                .as_ref()
                .map(|c| c.recorded()["git_at_run"].clone());
            c.notes.push(Difference {
                what: "git",
                path: format!("git_at_run.{side}"),
                a: recorded.clone().filter(|_| side == "A"),
                b: recorded.filter(|_| side == "B"),
                text: Some(format!(
                    "{side} ran a binary built from {}, but its source was at {} when it ran \
                     (the build's commit produced the results)",
                    describe(built(session)),
                    describe(Some(now))
                )),
                ..Difference::default()
            });
        }
    }
}

fn diff_hash(git: Option<&GitRecord>) -> Option<&str> {
    git?.diff_hash.as_deref()
}

/// The context's `git`: the source the binary was built from.
fn built(s: &Session) -> Option<&GitRecord> {
    s.context.as_ref()?.git.as_ref()
}

/// The context's `git_at_run`, when the tree at run time differed.
fn at_run(s: &Session) -> Option<&GitRecord> {
    s.context.as_ref()?.git_at_run.as_ref()
}

fn name_dirty_paths(
    c: &mut Comparison,
    record: &str,
    a: Option<&GitRecord>,
    b: Option<&GitRecord>,
) {
    let paths_a: BTreeMap<&str, &str> = dirty_paths(a).into_iter().collect();
    let paths_b: BTreeMap<&str, &str> = dirty_paths(b).into_iter().collect();
    let all = |g: Option<&GitRecord>| {
        lists_all(g).unwrap_or_else(|| g.is_some_and(|g| g.dirty == Some(false)))
    };
    let mut named = false;
    let mut union: Vec<&str> = paths_a.keys().chain(paths_b.keys()).copied().collect();
    union.sort_unstable();
    union.dedup();
    for path in union {
        let (sa, sb) = (paths_a.get(path).copied(), paths_b.get(path).copied());
        let text = match (sa, sb) {
            (Some(x), Some(y)) if x == y => continue,
            _ => format!(
                "{} {path}: {} → {}",
                if record == "git" {
                    "dirty path"
                } else {
                    "dirty path at run"
                },
                sa.unwrap_or("(not dirty)"),
                sb.unwrap_or("(not dirty)")
            ),
        };
        named = true;
        c.differences.push(Difference {
            what: "git",
            path: format!("{record}.dirty_paths.{path}"),
            a: sa.map(Value::from),
            b: sb.map(Value::from),
            text: Some(text),
            ..Difference::default()
        });
    }
    // Same paths, other contents (or lists too long to tell): say which
    // paths could hold the change rather than nothing.
    if !named {
        let both: Vec<&str> = paths_a.keys().copied().collect();
        let text = if both.is_empty() {
            "dirty paths not recorded (a log written before they were); the uncommitted \
             contents differ"
                .to_string()
        } else if all(a) && all(b) {
            format!(
                "dirty paths the same on both sides ({}), their contents differ",
                both.join(", ")
            )
        } else {
            "the listed dirty paths are the same on both sides and more are not listed; \
             the uncommitted contents differ"
                .to_string()
        };
        c.notes.push(Difference {
            what: "git",
            path: format!("{record}.dirty_paths"),
            a: None,
            b: None,
            text: Some(text),
            ..Difference::default()
        });
    }
}
