//! A small JSON Schema checker, and a log checker built on it: every line
//! of a log validates against the schema the log itself carries for it.
//!
//! The checker knows exactly the keywords our schemas use and fails loudly
//! on any other, so no keyword is silently ignored.

use std::collections::BTreeMap;

use ith_provenance::{
    Event,
    events::{ENVELOPE_FIELDS, EventSchemaLine, OPTIONAL_ENVELOPE_FIELDS, SessionStart},
};
use serde_json::Value;

/// The errors of `value` against `schema`; empty when it is valid.
pub fn validate(schema: &Value, value: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, value, "$", &mut errors);
    errors
}

fn check(schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let schema = match schema {
        Value::Bool(true) => return,
        Value::Bool(false) => return errors.push(format!("{path}: no value is allowed")),
        Value::Object(schema) => schema,
        other => panic!("{path}: a schema must be an object or a boolean, not {other}"),
    };
    for (keyword, arg) in schema {
        match (keyword.as_str(), value) {
            // `format` is an annotation in draft 2020-12 unless a validator
            // opts in; ours checks `date-time` loosely, as a string.
            ("$schema" | "$id" | "title" | "description", _) => {}
            ("format", _) => assert_eq!(arg, "date-time", "{path}: unknown format"),
            ("type", _) => {
                let allowed: Vec<&str> = match arg {
                    Value::String(t) => vec![t],
                    Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                    _ => panic!("{path}: bad type {arg}"),
                };
                if !allowed.iter().any(|t| has_type(value, t)) {
                    errors.push(format!("{path}: {value} is not of type {arg}"));
                }
            }
            ("enum", _) => {
                if !arg.as_array().unwrap().contains(value) {
                    errors.push(format!("{path}: {value} is not one of {arg}"));
                }
            }
            ("anyOf", _) => {
                let fits = arg.as_array().unwrap().iter().any(|sub| {
                    let mut sub_errors = Vec::new();
                    check(sub, value, path, &mut sub_errors);
                    sub_errors.is_empty()
                });
                if !fits {
                    errors.push(format!("{path}: {value} fits none of {arg}"));
                }
            }
            ("properties", Value::Object(object)) => {
                for (name, sub) in arg.as_object().unwrap() {
                    if let Some(v) = object.get(name) {
                        check(sub, v, &format!("{path}.{name}"), errors);
                    }
                }
            }
            ("required", Value::Object(object)) => {
                for name in arg.as_array().unwrap() {
                    if !object.contains_key(name.as_str().unwrap()) {
                        errors.push(format!("{path}: required field {name} is missing"));
                    }
                }
            }
            ("additionalProperties", Value::Object(object)) => {
                let known = schema.get("properties").and_then(Value::as_object);
                for (name, v) in object {
                    if !known.is_some_and(|k| k.contains_key(name)) {
                        check(arg, v, &format!("{path}.{name}"), errors);
                    }
                }
            }
            ("prefixItems", Value::Array(items)) => {
                for (i, (sub, v)) in arg.as_array().unwrap().iter().zip(items).enumerate() {
                    check(sub, v, &format!("{path}[{i}]"), errors);
                }
            }
            ("items", Value::Array(items)) => {
                // Items after `prefixItems` ones, or all of them.
                let skip = schema
                    .get("prefixItems")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                for (i, v) in items.iter().enumerate().skip(skip) {
                    check(arg, v, &format!("{path}[{i}]"), errors);
                }
            }
            ("uniqueItems", Value::Array(items)) if arg == true => {
                for (i, v) in items.iter().enumerate() {
                    if items[..i].contains(v) {
                        errors.push(format!("{path}[{i}]: {v} repeats an earlier item"));
                    }
                }
            }
            ("minItems", Value::Array(items)) if (items.len() as u64) < arg.as_u64().unwrap() => {
                errors.push(format!("{path}: fewer than {arg} items"));
            }
            ("maxItems", Value::Array(items)) if (items.len() as u64) > arg.as_u64().unwrap() => {
                errors.push(format!("{path}: more than {arg} items"));
            }
            ("minimum", Value::Number(n)) if n.as_f64().unwrap() < arg.as_f64().unwrap() => {
                errors.push(format!("{path}: {n} is below the minimum {arg}"));
            }
            ("minLength", Value::String(s))
                if (s.chars().count() as u64) < arg.as_u64().unwrap() =>
            {
                errors.push(format!("{path}: {s:?} is shorter than {arg}"));
            }
            ("maxLength", Value::String(s))
                if (s.chars().count() as u64) > arg.as_u64().unwrap() =>
            {
                errors.push(format!("{path}: {s:?} is longer than {arg}"));
            }
            ("pattern", Value::String(s)) if !Pattern::new(arg.as_str().unwrap()).matches(s) => {
                errors.push(format!("{path}: {s:?} does not match {arg}"));
            }
            (
                "properties"
                | "required"
                | "additionalProperties"
                | "prefixItems"
                | "items"
                | "uniqueItems"
                | "minItems"
                | "maxItems"
                | "minimum"
                | "minLength"
                | "maxLength"
                | "pattern",
                _,
            ) => {}
            (other, _) => panic!("{path}: the test's schema checker does not know `{other}`"),
        }
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|x| x.fract() == 0.0)
        }
        other => panic!("unknown JSON Schema type {other:?}"),
    }
}

/// An anchored regular expression of literals, `\`-escapes, `.`, `[a-z0-9]`
/// classes and the quantifiers `{n}`, `{n,m}`, `{n,}`, `?`, `*`, `+`:
/// enough for the patterns in our schemas, and a panic on anything else.
pub struct Pattern(Vec<(Atom, usize, usize)>);

enum Atom {
    Any,
    Ranges(Vec<(char, char)>),
}

impl Atom {
    fn matches(&self, c: char) -> bool {
        match self {
            Atom::Any => true,
            Atom::Ranges(ranges) => ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi),
        }
    }
}

impl Pattern {
    pub fn new(pattern: &str) -> Pattern {
        let body = pattern
            .strip_prefix('^')
            .and_then(|p| p.strip_suffix('$'))
            .unwrap_or_else(|| panic!("pattern {pattern:?} must be anchored with ^ and $"));
        let mut chars = body.chars().peekable();
        let mut atoms = Vec::new();
        while let Some(c) = chars.next() {
            let atom = match c {
                '.' => Atom::Any,
                '\\' => match chars.next().unwrap() {
                    'd' => Atom::Ranges(vec![('0', '9')]),
                    c if c.is_ascii_alphanumeric() => panic!("unsupported escape \\{c}"),
                    c => Atom::Ranges(vec![(c, c)]),
                },
                '[' => {
                    let mut ranges = Vec::new();
                    loop {
                        let lo = chars.next().unwrap();
                        if lo == ']' {
                            break;
                        }
                        assert!(
                            !matches!(lo, '^' | '\\'),
                            "unsupported class in {pattern:?}"
                        );
                        if chars.peek() == Some(&'-') {
                            chars.next();
                            ranges.push((lo, chars.next().unwrap()));
                        } else {
                            ranges.push((lo, lo));
                        }
                    }
                    Atom::Ranges(ranges)
                }
                '(' | ')' | '|' | '^' | '$' | '{' | '*' | '+' | '?' => {
                    panic!("unsupported {c:?} in pattern {pattern:?}")
                }
                c => Atom::Ranges(vec![(c, c)]),
            };
            let (min, max) = match chars.peek() {
                Some('?') => (0, 1),
                Some('*') => (0, usize::MAX),
                Some('+') => (1, usize::MAX),
                Some('{') => {
                    chars.next();
                    let spec: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    let bound = |s: &str| s.trim().parse::<usize>().unwrap();
                    match spec.split_once(',') {
                        None => (bound(&spec), bound(&spec)),
                        Some((lo, "")) => (bound(lo), usize::MAX),
                        Some((lo, hi)) => (bound(lo), bound(hi)),
                    }
                }
                _ => (1, 1),
            };
            if matches!(chars.peek(), Some('?' | '*' | '+')) {
                chars.next();
            }
            atoms.push((atom, min, max));
        }
        Pattern(atoms)
    }

    pub fn matches(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        match_from(&self.0, &chars)
    }
}

/// Backtracking match of `atoms` against all of `s`.
fn match_from(atoms: &[(Atom, usize, usize)], s: &[char]) -> bool {
    let Some(((atom, min, max), rest)) = atoms.split_first() else {
        return s.is_empty();
    };
    let run = s.iter().take_while(|&&c| atom.matches(c)).count();
    (*min..=run.min(*max))
        .rev()
        .any(|n| match_from(rest, &s[n..]))
}

/// A line's payload: the line without its envelope fields (the optional
/// ones included).
pub fn payload_of(line: &Value) -> Value {
    let mut payload = line.as_object().expect("a line is an object").clone();
    payload.retain(|k, _| {
        !ENVELOPE_FIELDS.contains(&k.as_str()) && !OPTIONAL_ENVELOPE_FIELDS.contains(&k.as_str())
    });
    Value::Object(payload)
}

/// Checks that a log describes itself: in every session, each line's
/// payload validates against the schema its session's latest `event.schema`
/// line for its event type carries, that line comes right before the line
/// it announces, and no type and version is described twice
/// (`session.start` and `event.schema` lines validate against the
/// contract's own schemas).
/// Returns how many lines were checked against a schema the log carried.
pub fn assert_log_describes_itself(lines: &[String]) -> usize {
    let mut sessions: BTreeMap<String, Vec<(usize, Value)>> = BTreeMap::new();
    for (n, line) in lines.iter().enumerate() {
        let value: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("line {n} is not JSON ({e}): {line}"));
        let session = value["session_id"].as_str().unwrap().to_string();
        sessions.entry(session).or_default().push((n, value));
    }
    let mut checked = 0;
    for session in sessions.values() {
        let mut carried: BTreeMap<&str, Value> = BTreeMap::new();
        let mut described_versions: Vec<(&str, &Value)> = Vec::new();
        for (i, (n, value)) in session.iter().enumerate() {
            let event_type = value["event_type"].as_str().unwrap();
            let payload = payload_of(value);
            let schema = match event_type {
                SessionStart::EVENT_TYPE => SessionStart::payload_schema(),
                EventSchemaLine::EVENT_TYPE => EventSchemaLine::payload_schema(),
                _ => {
                    checked += 1;
                    carried
                        .get(event_type)
                        .unwrap_or_else(|| {
                            panic!(
                                "line {n}: no event.schema line for {event_type} before it: {value}"
                            )
                        })
                        .clone()
                }
            };
            let errors = validate(&schema, &payload);
            assert!(
                errors.is_empty(),
                "line {n} ({event_type}): {errors:?}\n{value}"
            );
            if event_type != EventSchemaLine::EVENT_TYPE {
                continue;
            }
            let described = value["describes"].as_str().unwrap();
            let text = value["payload_schema"]
                .as_str()
                .expect("the schema is JSON text");
            let carried_schema: Value = serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("line {n}: payload_schema is not JSON ({e})"));
            carried.insert(described, carried_schema);
            let version = (described, &value["event_version"]);
            assert!(
                !described_versions.contains(&version),
                "line {n}: {described} {} is described twice in its session",
                value["event_version"]
            );
            described_versions.push(version);
            let (_, next) = session
                .get(i + 1)
                .expect("a schema line is followed by its event");
            assert_eq!(
                (&next["event_type"], next["seq"].as_u64()),
                (&value["describes"], value["seq"].as_u64().map(|s| s + 1)),
                "line {n}: an event.schema line comes right before its type's first line"
            );
        }
    }
    checked
}
