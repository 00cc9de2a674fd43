//! Inputs and seeds of two sessions, item by item: each is paired with
//! its counterpart in the same run (B's runs in A's terms, as
//! [`super::pairing`] paired them) and of the same name; an input is
//! otherwise paired with one of the same fingerprint in that run, so equal
//! inputs are never on one side only.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::difference::{Comparison, Difference};
use super::pairing::Pairing;
use super::value::push_key;
use crate::ops::scan::Session;
use crate::seed::seeds_equal;

/// The two sessions and how their runs pair.
pub(super) struct Sides<'s> {
    pub(super) a: &'s Session,
    pub(super) b: &'s Session,
    pub(super) pairing: &'s Pairing<'s>,
}

/// Where a run-scoped item is reported: `<run_id>.<kind>.<name>`, in that
/// run; a session-level one at `<kind>.<name>`.
fn scoped_path(kind: &str, run: Option<&str>, name: &str) -> String {
    let mut path = match run {
        Some(run) => format!("{run}.{kind}"),
        None => kind.to_string(),
    };
    push_key(&mut path, name);
    path
}

impl Sides<'_> {
    /// Pushes a difference in `run` (A's id, or B's for a run only B has)
    /// or in the session.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        c: &mut Comparison,
        note: bool,
        what: &'static str,
        run: Option<&str>,
        path: String,
        a: Option<Value>,
        b: Option<Value>,
        follows: Option<&'static str>,
    ) {
        if a == b {
            return;
        }
        let Some(id) = run else {
            return c.push(note, what, path, a, b);
        };
        let run_b = self.pairing.in_b(id);
        let algorithm = self
            .a
            .runs
            .iter()
            .chain(&self.b.runs)
            .find(|r| r.id == id)
            .and_then(|r| r.algorithm_name.clone());
        let d = Difference {
            what,
            path,
            run: Some(id.to_string()),
            run_b: run_b.map(String::from),
            algorithm,
            a,
            b,
            follows: follows.filter(|_| run_b.is_some()),
            text: None,
        };
        if note {
            c.notes.push(d);
        } else {
            c.differences.push(d);
        }
    }
}

/// How one kind of run-scoped item (inputs, seeds) is compared.
struct Scoped<T: 'static> {
    /// `input`, `seed`: the difference's `what` and the path's kind.
    kind: &'static str,
    items: fn(&Session) -> &[T],
    /// (run, name): what pairs an item with its counterpart.
    key: fn(&T) -> (Option<&str>, &str),
    /// What must be equal...
    value: fn(&T) -> Value,
    /// ...in this sense (seeds compare as `u64`, whatever their form).
    equal: fn(&Value, &Value) -> bool,
    /// A field compared as a note (`source_path`, `source`)...
    note_field: &'static str,
    note: fn(&T) -> Option<Value>,
    /// ...only when the values agree, or whenever both sides have the item.
    note_only_when_equal: bool,
    /// An item of one name only on one side pairs with the other side's
    /// item of the same run and value (an input under another name).
    by_value: bool,
    /// What a difference in a run paired under another id follows from
    /// (`id`: seeds derive from the run id).
    in_renamed_run: Option<&'static str>,
}

/// A (run, name) key, B's runs in A's terms.
type Key = (Option<String>, String);

/// Pairs the items of both sides by run and name: each value that differs
/// is a difference, its note field a note.
fn scoped<T>(c: &mut Comparison, sides: &Sides<'_>, how: &Scoped<T>) {
    let (a, b) = (sides.a, sides.b);
    let key_a = |item: &T| -> Key {
        let (run, name) = (how.key)(item);
        (run.map(String::from), name.to_string())
    };
    let key_b = |item: &T| -> Key {
        let (run, name) = (how.key)(item);
        let run = run.map(|r| sides.pairing.in_a(r).to_string());
        (run, name.to_string())
    };
    let (index_a, index_b) = (by_key((how.items)(a), key_a), by_key((how.items)(b), key_b));
    let renamed = if how.by_value {
        same_value(&index_a, &index_b, how)
    } else {
        HashMap::new()
    };
    let renamed_b: HashSet<&Key> = renamed.values().collect();
    let mut seen = HashSet::new();
    let keys = (how.items)(a)
        .iter()
        .map(key_a)
        .chain((how.items)(b).iter().map(key_b));
    for key in keys {
        if renamed_b.contains(&key) || !seen.insert(key.clone()) {
            continue;
        }
        let (run, name) = (key.0.as_deref(), key.1.as_str());
        let path = scoped_path(how.kind, run, name);
        let x = index_a.get(&key);
        let other = renamed.get(&key);
        let y = index_b.get(other.unwrap_or(&key));
        if let Some((_, other_name)) = other {
            let path = format!("{path}.name");
            let (na, nb) = (Some(name.into()), Some(other_name.clone().into()));
            sides.push(c, true, how.kind, run, path, na, nb, None);
        }
        let value = |i: Option<&&T>| i.map(|i| (how.value)(i));
        let (va, vb) = (value(x), value(y));
        let equal = match (&va, &vb) {
            (Some(p), Some(q)) => (how.equal)(p, q),
            _ => va == vb,
        };
        if let (Some(x), Some(y)) = (x, y)
            && (equal || !how.note_only_when_equal)
        {
            let path = format!("{path}.{}", how.note_field);
            let (na, nb) = ((how.note)(x), (how.note)(y));
            sides.push(c, true, how.kind, run, path, na, nb, None);
        }
        if !equal {
            let follows = how.in_renamed_run;
            sides.push(c, false, how.kind, run, path, va, vb, follows);
        }
    }
}

/// For each item only A has, the item only B has in the same run with an
/// equal value, if any (the first such, each used once).
fn same_value<T>(
    index_a: &HashMap<Key, &T>,
    index_b: &HashMap<Key, &T>,
    how: &Scoped<T>,
) -> HashMap<Key, Key> {
    let sorted = |index: &HashMap<Key, &T>, other: &HashMap<Key, &T>| {
        let mut keys: Vec<Key> = index
            .keys()
            .filter(|k| !other.contains_key(*k))
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    let mut only_b = sorted(index_b, index_a);
    let mut found = HashMap::new();
    for key in sorted(index_a, index_b) {
        let value = (how.value)(index_a[&key]);
        let twin = only_b
            .iter()
            .position(|k| k.0 == key.0 && (how.equal)(&value, &(how.value)(index_b[k])));
        if let Some(i) = twin {
            found.insert(key, only_b.remove(i));
        }
    }
    found
}

/// Items by key; the first of a key wins.
fn by_key<T>(items: &[T], key: impl Fn(&T) -> Key) -> HashMap<Key, &T> {
    items.iter().rev().map(|item| (key(item), item)).collect()
}

/// Inputs by run and name, else by run and fingerprint.
pub(super) fn inputs(c: &mut Comparison, sides: &Sides<'_>) {
    scoped(
        c,
        sides,
        &Scoped {
            kind: "input",
            items: |s| &s.inputs,
            key: |i| (i.run.as_deref(), i.name.as_str()),
            value: |i| i.sha256.clone().into(),
            equal: |a, b| a == b,
            note_field: "source_path",
            note: |i| i.source_path.clone().map(Value::from),
            note_only_when_equal: true,
            by_value: true,
            in_renamed_run: None,
        },
    );
}

/// Seeds by run and component.
pub(super) fn seeds(c: &mut Comparison, sides: &Sides<'_>) {
    scoped(
        c,
        sides,
        &Scoped {
            kind: "seed",
            items: |s| &s.seeds,
            key: |s| (s.run.as_deref(), s.component.as_str()),
            value: |s| s.seed.clone(),
            equal: seeds_equal,
            note_field: "source",
            note: |s| s.source.clone().map(Value::from),
            note_only_when_equal: false,
            by_value: false,
            in_renamed_run: Some("id"),
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::diff::pairing::pair;
    use crate::commands::diff::pairing::tests::input;
    use crate::ops::scan::{Input, Run};

    fn session(run: &str, inputs: Vec<Input>) -> Session {
        let mut r = Run::default();
        r.id = run.into();
        r.algorithm_name = Some("rule".into());
        let mut s = Session::default();
        s.runs = vec![r];
        s.inputs = inputs;
        s
    }

    #[test]
    fn inputs_compare_by_content_in_paired_runs() {
        let a = session(
            "rule@1#1",
            vec![
                input("rule@1#1", "prices", "sha256:p"),
                input("rule@1#1", "old_name", "sha256:n"),
                input("rule@1#1", "gone", "sha256:g"),
            ],
        );
        let b = session(
            "rule@2#1",
            vec![
                input("rule@2#1", "prices", "sha256:p"),
                input("rule@2#1", "new_name", "sha256:n"),
                input("rule@2#1", "added", "sha256:x"),
            ],
        );
        let pairing = pair(&a, &b);
        let mut c = Comparison::default();
        inputs(
            &mut c,
            &Sides {
                a: &a,
                b: &b,
                pairing: &pairing,
            },
        );
        let paths: Vec<(&str, Option<&str>)> = c
            .differences
            .iter()
            .map(|d| (d.path.as_str(), d.run_b.as_deref()))
            .collect();
        assert_eq!(
            paths,
            [
                ("rule@1#1.input.gone", Some("rule@2#1")),
                ("rule@1#1.input.added", Some("rule@2#1")),
            ]
        );
        assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
        assert_eq!(c.notes[0].path, "rule@1#1.input.old_name.name");
        assert_eq!(c.notes[0].b, Some("new_name".into()));
    }
}
