//! The contract's built-in payload schemas, for lines no `event.schema`
//! line describes (`session.start` and `event.schema` never are; another
//! writer, such as a Python one, may describe none): version 1's as its
//! writer emitted them (embedded), version 2's from `ith-provenance-runtime`.
//!
//! They are relaxed for other writers: a field the contract does not know
//! is allowed (readers ignore unknown fields), and for `data.load` and
//! `algorithm.init` only the original Python module's fields are required;
//! the contract's other fields are type-checked when present and read as
//! `null` when missing.

use std::sync::OnceLock;

use serde_json::{Map, Value};

/// The event types the contract defines.
pub const BUILTIN_TYPES: [&str; 8] = [
    "session.start",
    "event.schema",
    "data.load",
    "algorithm.init",
    "epoch_detected",
    "hypothesis_result",
    "algorithm.result",
    "seed.derived",
];

/// The fields the original module wrote, the only ones a relaxed schema
/// requires for these types.
const ORIGINAL_FIELDS: [(&str, &[&str]); 2] = [
    (
        "data.load",
        &[
            "source_path",
            "sha256_hash",
            "row_count",
            "column_count",
            "columns",
            "value_range",
        ],
    ),
    (
        "algorithm.init",
        &[
            "algorithm_name",
            "version",
            "random_seed",
            "config",
            "input_hash",
        ],
    ),
];

/// Version 1's schemas: `{event type: {version, schema}}`.
const CONTRACT_V1: &str = include_str!("contract_v1.json");

/// The relaxed built-in schema of `event_type` under contract `version`
/// (0 and 1 read as 1, anything else as 2), or `None` when the type is not
/// built in.
pub fn schema(version: u64, event_type: &str) -> Option<&'static Value> {
    if !BUILTIN_TYPES.contains(&event_type) {
        return None;
    }
    let table = if version <= 1 { v1() } else { v2() };
    table.get(event_type)
}

fn v1() -> &'static Map<String, Value> {
    static TABLE: OnceLock<Map<String, Value>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let parsed: Map<String, Value> =
            serde_json::from_str(CONTRACT_V1).expect("contract_v1.json is a JSON object");
        parsed
            .into_iter()
            .filter_map(|(name, entry)| {
                let schema = relax(&name, entry.get("schema")?.clone());
                Some((name, schema))
            })
            .collect()
    })
}

fn v2() -> &'static Map<String, Value> {
    static TABLE: OnceLock<Map<String, Value>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The registry fails only on two Rust types sharing a name and
        // version, which this program's own types never do; without it the
        // built-in types still have seed.derived, and the others are
        // reported as having no schema.
        let mut table: Map<String, Value> = ith_provenance_runtime::schemas()
            .unwrap_or_default()
            .into_iter()
            .filter(|s| BUILTIN_TYPES.contains(&s.name))
            .map(|s| (s.name.to_string(), relax(s.name, s.schema)))
            .collect();
        let seed_derived =
            <ith_provenance_runtime::SeedDerived as ith_provenance_runtime::Event>::payload_schema(
            );
        table.insert("seed.derived".into(), relax("seed.derived", seed_derived));
        table
    })
}

/// Opens a closed schema to unknown fields, and for the original module's
/// types requires only its fields.
fn relax(event_type: &str, mut schema: Value) -> Value {
    let Some(map) = schema.as_object_mut() else {
        return schema;
    };
    if map.get("additionalProperties") == Some(&Value::Bool(false)) {
        map.remove("additionalProperties");
    }
    if let Some((_, original)) = ORIGINAL_FIELDS.iter().find(|(t, _)| *t == event_type)
        && let Some(Value::Array(required)) = map.get_mut("required")
    {
        required.retain(|name| name.as_str().is_some_and(|n| original.contains(&n)));
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_type_has_a_schema_in_both_versions() {
        for version in [1, 2] {
            for t in BUILTIN_TYPES {
                let s = schema(version, t).unwrap_or_else(|| panic!("{t} v{version}"));
                assert!(s.get("additionalProperties").is_none(), "{t} v{version}");
            }
        }
        assert!(schema(1, "training.checkpoint").is_none());
        let required = &schema(1, "algorithm.init").unwrap()["required"];
        assert_eq!(
            required,
            &serde_json::json!([
                "algorithm_name",
                "version",
                "random_seed",
                "config",
                "input_hash"
            ])
        );
    }
}
