//! Small builders for the JSON Schemas of event payloads.

use serde_json::{Map, Value, json};

/// An object schema from `(field, schema, required)` triples; no other
/// fields are allowed.
pub(crate) fn object(fields: &[(&str, Value, bool)]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (name, schema, is_required) in fields {
        properties.insert((*name).to_string(), schema.clone());
        if *is_required {
            required.push(Value::from(*name));
        }
    }
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// A float: a JSON number, or one of the strings non-finite values are
/// written as.
pub(crate) fn float() -> Value {
    json!({"anyOf": [{"type": "number"}, {"enum": ["NaN", "Infinity", "-Infinity"]}]})
}

pub(crate) fn uint() -> Value {
    json!({"type": "integer", "minimum": 0})
}

pub(crate) fn string() -> Value {
    json!({"type": "string"})
}

pub(crate) fn array_of(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

pub(crate) fn nullable(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
}
