//! The serde attributes that change what is written are honoured.

use ith_provenance::Event;
use serde_json::json;

#[derive(serde::Serialize, Event)]
#[event(name = "test.serde", version = 1)]
#[serde(rename_all = "camelCase")]
struct Renamed {
    step_count: u64,
    #[serde(rename = "LR")]
    learning_rate: f64,
    #[serde(rename(serialize = "out", deserialize = "input"))]
    output: String,
    #[serde(skip)]
    cache: Vec<u8>,
    #[serde(skip_serializing)]
    handle: std::cell::Cell<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default)]
    added_later: u32,
    r#type: String,
}

#[derive(serde::Serialize, Event)]
#[event(name = "test.serde_default", version = 1)]
#[serde(default, rename_all = "SCREAMING-KEBAB-CASE")]
struct AllDefault {
    first_field: u8,
}

impl Default for AllDefault {
    fn default() -> Self {
        AllDefault { first_field: 1 }
    }
}

fn main() {
    let schema = Renamed::payload_schema();
    let mut keys: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["LR", "addedLater", "note", "out", "stepCount", "type"]
    );
    assert_eq!(
        schema["required"],
        json!(["stepCount", "LR", "out", "type"])
    );
    let _ = Renamed {
        step_count: 0,
        learning_rate: 0.1,
        output: String::new(),
        cache: Vec::new(),
        handle: std::cell::Cell::new(0),
        note: None,
        added_later: 0,
        r#type: String::new(),
    };

    let schema = AllDefault::payload_schema();
    assert_eq!(schema["properties"]["FIRST-FIELD"]["minimum"], 0);
    assert_eq!(schema["required"], json!([]));
}
