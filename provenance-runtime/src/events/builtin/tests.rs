//! The built-in events' schemas, checked against hand-written ones.

use serde_json::json;

use super::*;
use crate::{EpochDetected, HypothesisResult};

/// The schemas written by hand before the derive made them, field by
/// field: the derive must describe the built-in events exactly so.
#[test]
fn derived_schemas_equal_the_hand_written_ones() {
    let float = json!({"type": ["number", "null"]});
    let seed = json!({"type": "string", "pattern": "^0x[0-9a-f]{16}$"});
    let uint = json!({"type": "integer", "minimum": 0});
    let string = json!({"type": "string"});
    let hash = json!({"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"});
    let nullable = |s: &Value| json!({"anyOf": [s, {"type": "null"}]});
    let object = |fields: Value| {
        let properties = fields.as_object().unwrap().clone();
        let required: Vec<&String> = properties.keys().collect();
        json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        })
    };
    let bound = json!({"type": ["number", "boolean", "null"]});
    // `#[serde(default)]` fields may be missing from older lines.
    trait NotRequired {
        fn pipe_not_required(self, field: &str) -> Value;
    }
    impl NotRequired for Value {
        fn pipe_not_required(mut self, field: &str) -> Value {
            let required = self["required"].as_array_mut().unwrap();
            required.retain(|f| f != field);
            self
        }
    }
    let expected = [
        (
            SessionStart::payload_schema(),
            object(json!({
                "contract_version": uint,
                "context": {"type": "object", "required": ["session_id", "start_time", "root_seed", "git"]},
            })),
        ),
        (
            DataLoad::payload_schema(),
            object(json!({
                "source_path": string,
                "sha256_hash": hash,
                "row_count": uint,
                "column_count": uint,
                "columns": {"type": "array", "items": string},
                "value_range": nullable(&json!({"type": "array", "items": bound, "minItems": 2, "maxItems": 2})),
                "input_name": nullable(&string),
                "dtype": nullable(&string),
                "shape": nullable(&json!({"type": "array", "items": uint})),
                "n_nans": nullable(&uint),
                "size_bytes": nullable(&uint),
                "working_dir": nullable(&string),
            })),
        ),
        (
            DataSave::payload_schema(),
            object(json!({
                "target_path": string,
                "sha256_hash": hash,
                "size_bytes": uint,
                "output_name": nullable(&string),
                "working_dir": string,
            })),
        ),
        (
            AlgorithmInit::payload_schema(),
            object(json!({
                "algorithm_name": string,
                "version": string,
                "random_seed": nullable(&seed),
                "config": {},
                "config_hash": hash,
                "input_hash": nullable(&hash),
                "git_sha": nullable(&string),
                "git_dirty": nullable(&json!({"type": "boolean"})),
                "identity_from_start_order": {"type": "boolean"},
            }))
            .pipe_not_required("identity_from_start_order"),
        ),
        (
            AlgorithmResult::payload_schema(),
            object(json!({
                "status": {"enum": ["ok", "error", "panic"]},
                "duration_ms": float,
                "output_hash": nullable(&hash),
                "final_metrics": {"type": "object", "additionalProperties": float},
                "error": nullable(&string),
                "dropped_events": uint,
                "outputs": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"target_path": string, "sha256_hash": hash},
                    "required": ["target_path", "sha256_hash"],
                    "additionalProperties": false,
                }},
                "identity_from_start_order": {"type": "boolean"},
                "metrics": nullable(&json!({"type": "object", "additionalProperties": {
                    "type": "object",
                    "properties": {"last": float, "min": float, "max": float, "count": uint},
                    "required": ["last", "min", "max", "count"],
                    "additionalProperties": false,
                }})),
            }))
            .pipe_not_required("outputs")
            .pipe_not_required("identity_from_start_order")
            .pipe_not_required("metrics"),
        ),
        (
            Metrics::payload_schema(),
            object(json!({
                "name": string,
                "steps": {"type": "array", "items": {"type": "integer"}},
                "values": {"type": "array", "items": float},
            })),
        ),
        (
            EpochDetected::payload_schema(),
            object(json!({
                "epoch_index": uint,
                "bar_index": uint,
                "timestamp": nullable(&string),
                "excess_gain": float,
                "excess_loss": float,
                "endorsing_crest": float,
                "candidate_nadir": float,
                "tmaeg_threshold": float,
                "position_type": {"enum": ["bull", "bear"]},
                "nav_at_epoch": nullable(&float),
            })),
        ),
        (
            HypothesisResult::payload_schema(),
            object(json!({
                "hypothesis_id": string,
                "test_name": string,
                "statistic": float,
                "p_value": float,
                "effect_size": nullable(&float),
                "decision": string,
                "alpha": float,
                "context": {"type": "object"},
            })),
        ),
    ];
    for (derived, hand_written) in expected {
        // `required` lists the fields in declaration order, the
        // expectation alphabetically: compare them as sets.
        let sorted = |s: &Value| {
            let mut s = s.clone();
            let mut required = s["required"].as_array().unwrap().clone();
            required.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            s["required"] = Value::Array(required);
            s
        };
        assert_eq!(sorted(&derived), sorted(&hand_written));
    }
}

#[test]
fn the_schema_line_describes_every_type_but_the_contracts_own() {
    assert!(!EventSchemaLine::is_described::<SessionStart>());
    assert!(!EventSchemaLine::is_described::<EventSchemaLine>());
    assert!(EventSchemaLine::is_described::<DataLoad>());
    let line = EventSchemaLine::of::<DataLoad>();
    assert_eq!(
        (line.describes.as_str(), line.event_version),
        ("data.load", 2)
    );
    assert_eq!(line.schema().unwrap(), DataLoad::payload_schema());
}
