//! Version 2's `non_finite` envelope field: a non-finite float is written
//! as `null`, and the line's last field lists where, as RFC 6901 JSON
//! Pointers from the line's root with the value each stands for:
//! `"non_finite": [{"pointer": "/excess_loss", "value": "NaN"}]`.
//!
//! The CLI keeps a restored line in version 1's in-memory form (the
//! strings `"NaN"`, `"Infinity"`, `"-Infinity"` in place), so comparisons
//! see the same values whichever version wrote the line; `validate` checks
//! the line as written (nulls in place) against its schema, and the list
//! itself here.

use serde_json::{Map, Value};

use crate::ops::line::{Problem, is_envelope_field, kind_of};

/// The envelope field's name (the contract's last optional one).
pub const FIELD: &str = ith_provenance_runtime::OPTIONAL_ENVELOPE_FIELDS[2];

/// The values an entry may stand for.
pub const VALUES: [&str; 3] = ["NaN", "Infinity", "-Infinity"];

/// Everything wrong with a `non_finite` list, given the payload as
/// written (the envelope fields aside: a pointer into one points at no
/// `null`). Each problem names the entry.
pub fn check(list: &Value, payload: &Map<String, Value>) -> Vec<Problem> {
    let problem = |message: String| Problem::Meta { message };
    let Value::Array(entries) = list else {
        return vec![problem(format!(
            "{FIELD}: expected an array of {{pointer, value}}, found a {}",
            kind_of(list)
        ))];
    };
    if entries.is_empty() {
        return vec![problem(format!(
            "{FIELD}: empty (the field is present only when the line has a non-finite float)"
        ))];
    }
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("{FIELD}[{i}]");
        let (pointer, value) = match entry {
            Value::Object(e) => (
                e.get("pointer").and_then(Value::as_str),
                e.get("value").and_then(Value::as_str),
            ),
            _ => (None, None),
        };
        let (Some(pointer), Some(value)) = (pointer, value) else {
            problems.push(problem(format!(
                "{at}: expected {{\"pointer\": string, \"value\": string}}, found {}",
                short(entry)
            )));
            continue;
        };
        if !VALUES.contains(&value) {
            problems.push(problem(format!(
                "{at}: value {value:?} is not \"NaN\", \"Infinity\" or \"-Infinity\""
            )));
        }
        if seen.contains(&pointer) {
            problems.push(problem(format!(
                "{at}: pointer {pointer:?} is listed twice"
            )));
            continue;
        }
        seen.push(pointer);
        match resolve(payload, pointer) {
            Target::Value(Value::Null) => {}
            Target::Value(other) => problems.push(problem(format!(
                "{at}: pointer {pointer:?} points at {}, not null (a non-finite float is \
                 written as null)",
                short(other)
            ))),
            Target::Envelope(field) => problems.push(problem(format!(
                "{at}: pointer {pointer:?} points at the envelope field {field:?}, not a null \
                 in the payload"
            ))),
            Target::Root => problems.push(problem(format!(
                "{at}: pointer {pointer:?} points at the whole line, not a null"
            ))),
            Target::Nothing => problems.push(problem(format!(
                "{at}: pointer {pointer:?} points at nothing in the line"
            ))),
            Target::NotAPointer => problems.push(problem(format!(
                "{at}: {pointer:?} is not a JSON Pointer (RFC 6901: empty or starting with /)"
            ))),
        }
    }
    problems
}

/// Puts each listed float back in place, as the string version 1 writes
/// (`"NaN"`, …): only entries that are well-formed and point at a `null`
/// (`validate` reports the others).
pub fn restore(list: &Value, payload: &mut Map<String, Value>) {
    let Value::Array(entries) = list else {
        return;
    };
    for entry in entries {
        let (Some(pointer), Some(value)) = (
            entry.get("pointer").and_then(Value::as_str),
            entry.get("value").and_then(Value::as_str),
        ) else {
            continue;
        };
        if !VALUES.contains(&value) {
            continue;
        }
        if let Some(slot) = resolve_mut(payload, pointer)
            && slot.is_null()
        {
            *slot = Value::String(value.to_string());
        }
    }
}

/// What a pointer names in a line split into envelope and payload.
enum Target<'a> {
    Value(&'a Value),
    Envelope(String),
    Root,
    Nothing,
    NotAPointer,
}

/// The first reference token of `pointer` (decoded) and the rest (still a
/// pointer, for serde_json), or `None` when it is not a pointer.
fn split(pointer: &str) -> Option<(String, &str)> {
    let rest = pointer.strip_prefix('/')?;
    let (first, tail) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    Some((first.replace("~1", "/").replace("~0", "~"), tail))
}

fn resolve<'a>(payload: &'a Map<String, Value>, pointer: &str) -> Target<'a> {
    if pointer.is_empty() {
        return Target::Root;
    }
    let Some((first, tail)) = split(pointer) else {
        return Target::NotAPointer;
    };
    if is_envelope_field(&first) || first == FIELD {
        return Target::Envelope(first);
    }
    match payload.get(&first).and_then(|v| v.pointer(tail)) {
        Some(v) => Target::Value(v),
        None => Target::Nothing,
    }
}

fn resolve_mut<'a>(payload: &'a mut Map<String, Value>, pointer: &str) -> Option<&'a mut Value> {
    let (first, tail) = split(pointer)?;
    payload.get_mut(&first)?.pointer_mut(tail)
}

/// A value for a message: compact JSON, cut short.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(40).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn restores_nulls_and_names_each_bad_entry() {
        let mut payload = map(json!({"a": null, "m": {"x/y": [1, null]}, "b": 2.0}));
        let list = json!([
            {"pointer": "/a", "value": "NaN"},
            {"pointer": "/m/x~1y/1", "value": "-Infinity"}
        ]);
        assert!(check(&list, &payload).is_empty());
        restore(&list, &mut payload);
        assert_eq!(
            Value::Object(payload.clone()),
            json!({"a": "NaN", "m": {"x/y": [1, "-Infinity"]}, "b": 2.0})
        );
        let bad = json!([
            {"pointer": "/b", "value": "NaN"},
            {"pointer": "/seq", "value": "NaN"},
            {"pointer": "/zz", "value": "nan"},
            {"pointer": "b", "value": "NaN"},
            "x",
        ]);
        let payload = map(json!({"a": null, "b": 2.0}));
        let messages: Vec<String> = check(&bad, &payload)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(messages.len(), 6, "{messages:#?}");
        assert!(messages[0].starts_with("non_finite[0]: pointer \"/b\" points at 2.0, not null"));
        assert!(messages[1].contains("envelope field \"seq\""));
        assert!(messages[2].contains("\"nan\" is not"));
        assert!(messages[3].contains("points at nothing"));
        assert!(messages[4].contains("not a JSON Pointer"));
        assert!(messages[5].starts_with("non_finite[4]: expected"));
        assert_eq!(check(&json!([]), &payload).len(), 1);
        assert_eq!(check(&json!({}), &payload).len(), 1);
    }
}
