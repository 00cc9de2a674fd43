//! What a `metrics` line must hold beyond what a schema says: `steps` and
//! `values` of the same, non-zero length, each step an integer in the
//! `i64` range, each value a number or a `null` that the line's
//! `non_finite` names, and a non-empty `name`.

use serde_json::{Map, Value};

use crate::ops::line::{Problem, kind_of};
use crate::ops::non_finite;

/// The event type checked.
pub(super) const EVENT_TYPE: &str = "metrics";

/// Every problem of a `metrics` payload as written (`non_finite` still in
/// it), each naming the field and the point.
pub(super) fn check(payload: &Map<String, Value>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |message: String| {
        problems.push(Problem::Meta {
            message: format!("{EVENT_TYPE}: {message}"),
        });
    };
    match payload.get("name") {
        Some(Value::String(name)) if name.is_empty() => {
            problem("`name` is empty: a series needs a name".into());
        }
        Some(Value::String(_)) => {}
        Some(other) => problem(format!("`name` is not a string (found {})", kind_of(other))),
        None => problem("no `name`".into()),
    }
    let steps = array(payload, "steps", &mut problem);
    let values = array(payload, "values", &mut problem);
    if let Some(steps) = steps {
        for (i, step) in steps.iter().enumerate() {
            if let Some(why) = not_an_i64(step) {
                problem(format!("`steps[{i}]` is {step}: {why}"));
            }
        }
    }
    if let Some(values) = values {
        let named: Vec<&str> = payload
            .get(non_finite::FIELD)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| e.get("pointer").and_then(Value::as_str))
            .collect();
        for (i, value) in values.iter().enumerate() {
            match value {
                Value::Number(_) => {}
                Value::Null => {
                    let pointer = format!("/values/{i}");
                    if !named.contains(&pointer.as_str()) {
                        problem(format!(
                            "`values[{i}]` is null but `{}` does not name {pointer}: a value \
                             is a number, or null standing for a NaN or infinity listed there",
                            non_finite::FIELD
                        ));
                    }
                }
                other => problem(format!(
                    "`values[{i}]` is not a number (found {})",
                    kind_of(other)
                )),
            }
        }
    }
    match (steps, values) {
        (Some(steps), Some(values)) if steps.len() != values.len() => problem(format!(
            "{} step(s) but {} value(s): each point is a step and its value",
            steps.len(),
            values.len()
        )),
        (Some(steps), Some(_)) if steps.is_empty() => {
            problem("no points: `steps` and `values` are empty".into());
        }
        _ => {}
    }
    problems
}

/// The array `field`, or `None` with the problem said.
fn array<'a>(
    payload: &'a Map<String, Value>,
    field: &str,
    problem: &mut impl FnMut(String),
) -> Option<&'a Vec<Value>> {
    match payload.get(field) {
        Some(Value::Array(items)) => Some(items),
        Some(other) => {
            problem(format!(
                "`{field}` is not an array (found {})",
                kind_of(other)
            ));
            None
        }
        None => {
            problem(format!("no `{field}`"));
            None
        }
    }
}

/// Why a step is not an `i64`, if it is not.
fn not_an_i64(step: &Value) -> Option<&'static str> {
    match step {
        Value::Number(n) if n.is_i64() => None,
        Value::Number(n) if n.is_u64() => Some("above the i64 range (steps are i64)"),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() >= 9.223_372_036_854_776e18 => {
                Some("outside the i64 range (steps are i64)")
            }
            _ => Some("not an integer"),
        },
        _ => Some("not a number"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn problems(payload: Value) -> Vec<String> {
        check(payload.as_object().unwrap())
            .into_iter()
            .map(|p| match p {
                Problem::Meta { message } => message,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_good_batch_has_no_problem() {
        let good = json!({"name": "nav", "steps": [-1, 0, 9223372036854775807i64], "values": [1.0, null, 2],
                          "non_finite": [{"pointer": "/values/1", "value": "NaN"}]});
        assert!(problems(good).is_empty());
    }

    #[test]
    fn each_mistake_is_named() {
        let all = problems(
            json!({"name": "", "steps": [0, 1.5, 9223372036854775808u64, "3"],
                                  "values": [null, "x", 1.0]}),
        );
        let expected = [
            "metrics: `name` is empty",
            "metrics: `steps[1]` is 1.5: not an integer",
            "metrics: `steps[2]` is 9223372036854775808: above the i64 range",
            "metrics: `steps[3]` is \"3\": not a number",
            "metrics: `values[0]` is null but `non_finite` does not name /values/0",
            "metrics: `values[1]` is not a number (found string)",
            "metrics: 4 step(s) but 3 value(s)",
        ];
        assert_eq!(all.len(), expected.len(), "{all:#?}");
        for (found, expected) in all.iter().zip(expected) {
            assert!(found.starts_with(expected), "{found} / {expected}");
        }
        assert_eq!(
            problems(json!({"name": "a", "steps": [], "values": []})),
            ["metrics: no points: `steps` and `values` are empty"]
        );
        assert_eq!(
            problems(json!({"name": 3, "steps": {}})),
            [
                "metrics: `name` is not a string (found number)",
                "metrics: `steps` is not an array (found object)",
                "metrics: no `values`"
            ]
        );
    }
}
