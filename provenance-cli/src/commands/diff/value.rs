//! Comparing JSON values: where two values differ, with numbers equal
//! within a tolerance.

use serde_json::{Number, Value};

/// When two numbers count as equal.
///
/// Integers written without a fraction or exponent (seeds, counts, indices)
/// are compared exactly whatever the tolerance: a relative tolerance must
/// not make two 64-bit seeds equal. Any other pair of numbers is equal when
/// `|a - b| <= atol + rtol * |b|`. Non-finite floats are the strings
/// `"NaN"`, `"Infinity"`, `"-Infinity"` in a log (a version-2 line's are
/// restored to them), so they compare as strings: `"NaN"` equals `"NaN"`.
/// A seed written as an integer (version 1) equals the same seed written
/// as `"0x"` + 16 hex digits (version 2).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tolerance {
    /// Relative tolerance (of the second value).
    pub rtol: f64,
    /// Absolute tolerance.
    pub atol: f64,
}

impl Tolerance {
    /// Exact comparison.
    pub const EXACT: Tolerance = Tolerance {
        rtol: 0.0,
        atol: 0.0,
    };

    /// Whether two numbers count as equal.
    pub fn numbers_equal(&self, a: &Number, b: &Number) -> bool {
        let integer = |n: &Number| n.is_i64() || n.is_u64();
        if integer(a) && integer(b) {
            return a == b;
        }
        match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x == y || (x - y).abs() <= self.atol + self.rtol * y.abs(),
            _ => a == b,
        }
    }
}

/// One place where two values differ: its path and the value on each side
/// (`None`: the side has nothing there).
#[derive(Clone, Debug, PartialEq)]
pub struct Delta {
    /// Where, as `key.key[index]`, relative to the values compared (empty:
    /// the values themselves).
    pub path: String,
    /// The first value's part.
    pub a: Option<Value>,
    /// The second value's part.
    pub b: Option<Value>,
}

/// Every place where `a` and `b` differ, at most `limit`, in key order.
/// Objects are compared key by key and arrays element by element; a key or
/// element on one side only is a delta with `None` on the other.
pub fn deltas(a: &Value, b: &Value, tolerance: Tolerance, limit: usize) -> Vec<Delta> {
    let mut found = Vec::new();
    walk(a, b, tolerance, &mut String::new(), &mut found, limit);
    found
}

/// The first place where `a` and `b` differ, if any.
pub fn first_delta(a: &Value, b: &Value, tolerance: Tolerance) -> Option<Delta> {
    deltas(a, b, tolerance, 1).pop()
}

/// Appends `key` to a path: `.key`, or `["key"]` when it is not a plain
/// name.
pub fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(&Value::String(key.to_string()).to_string());
        path.push(']');
    }
}

fn walk(
    a: &Value,
    b: &Value,
    tolerance: Tolerance,
    path: &mut String,
    found: &mut Vec<Delta>,
    limit: usize,
) {
    if found.len() >= limit {
        return;
    }
    let length = path.len();
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, value) in x {
                push_key(path, key);
                match y.get(key) {
                    Some(other) => walk(value, other, tolerance, path, found, limit),
                    None => push(found, path, Some(value), None, limit),
                }
                path.truncate(length);
            }
            for (key, value) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                push_key(path, key);
                push(found, path, None, Some(value), limit);
                path.truncate(length);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                path.push_str(&format!("[{i}]"));
                match (x.get(i), y.get(i)) {
                    (Some(p), Some(q)) => walk(p, q, tolerance, path, found, limit),
                    (p, q) => push(found, path, p, q, limit),
                }
                path.truncate(length);
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            if !tolerance.numbers_equal(x, y) {
                push(found, path, Some(a), Some(b), limit);
            }
        }
        _ => {
            if a != b && !same_seed(a, b) {
                push(found, path, Some(a), Some(b), limit);
            }
        }
    }
}

/// An integer and a version-2 seed string that are the same `u64`: one
/// seed in the two contract versions' forms.
fn same_seed(a: &Value, b: &Value) -> bool {
    let written = |v: &Value| matches!(v, Value::String(s) if crate::seed::is_written_seed(s));
    let integer = |v: &Value| v.as_u64().is_some();
    ((written(a) && integer(b)) || (integer(a) && written(b))) && crate::seed::seeds_equal(a, b)
}

fn push(found: &mut Vec<Delta>, path: &str, a: Option<&Value>, b: Option<&Value>, limit: usize) {
    if found.len() < limit {
        found.push(Delta {
            path: path.to_string(),
            a: a.cloned(),
            b: b.cloned(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_paths_and_one_sided_keys() {
        let a = json!({"x": {"y": [1, 2]}, "gone": 1, "s": "NaN"});
        let b = json!({"x": {"y": [1, 3, 4]}, "new": true, "s": "NaN"});
        let found = deltas(&a, &b, Tolerance::EXACT, 10);
        let paths: Vec<_> = found.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["gone", "x.y[1]", "x.y[2]", "new"]);
        assert_eq!(found[0].b, None);
        assert_eq!(found[2].a, None);
        assert_eq!(deltas(&a, &b, Tolerance::EXACT, 2).len(), 2);
    }

    #[test]
    fn tolerance_applies_to_floats_not_integers() {
        let t = Tolerance {
            rtol: 1e-3,
            atol: 0.0,
        };
        assert!(first_delta(&json!(1.0), &json!(1.0005), t).is_none());
        assert!(first_delta(&json!(1.0), &json!(1.01), t).is_some());
        assert!(first_delta(&json!(1000), &json!(1001), t).is_some());
        assert!(first_delta(&json!(13), &json!(13.0), Tolerance::EXACT).is_none());
        let abs = Tolerance {
            rtol: 0.0,
            atol: 0.5,
        };
        assert!(first_delta(&json!(0.1), &json!(0.5), abs).is_none());
        assert!(first_delta(&json!("NaN"), &json!(1.0), abs).is_some());
    }

    #[test]
    fn a_seed_in_either_form_is_the_same_seed() {
        let v1 = json!({"random_seed": 42, "n": 42});
        let v2 = json!({"random_seed": "0x000000000000002a", "n": 42});
        assert!(first_delta(&v1, &v2, Tolerance::EXACT).is_none());
        let other = json!({"random_seed": "0x000000000000002b", "n": 42});
        let d = first_delta(&v1, &other, Tolerance::EXACT).expect("another seed");
        assert_eq!(d.path, "random_seed");
        // Only the written form: "42" is a string, not a seed.
        assert!(first_delta(&json!(42), &json!("42"), Tolerance::EXACT).is_some());
    }

    #[test]
    fn odd_keys_are_quoted() {
        let mut path = String::from("config");
        push_key(&mut path, "a.b");
        assert_eq!(path, r#"config["a.b"]"#);
    }
}
