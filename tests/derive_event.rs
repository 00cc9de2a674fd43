//! `#[derive(Event)]` at run time: the schema each field kind gets, serde's
//! renames and skips, the registry, and logs that carry the schemas of the
//! events written to them.

mod log_support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use ith_provenance::{
    Event, EventLog, Sha256Hash,
    events::{DataLoad, EventSchemaLine, FieldSchema, RunStatus},
    fingerprint::Scalar,
    ith::PositionType,
    log::MemorySink,
    schemas,
};
use log_support::context;
use log_support::schema::{assert_log_describes_itself, payload_of, validate};
use serde::Serialize;
use serde_json::{Value, json};

fn float() -> Value {
    json!({"type": ["number", "null"]})
}

fn uint() -> Value {
    json!({"type": "integer", "minimum": 0})
}

fn nullable(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
}

#[derive(Serialize, Event)]
#[event(name = "test.kinds", version = 1)]
struct Kinds {
    flag: bool,
    byte: u8,
    count: u64,
    wide: u128,
    delta: i32,
    index: isize,
    ratio: f32,
    loss: f64,
    letter: char,
    text: String,
    path: PathBuf,
    maybe: Option<u16>,
    list: Vec<String>,
    fixed: [f64; 2],
    set: BTreeSet<i64>,
    metrics: BTreeMap<String, f64>,
    anything: HashMap<String, Value>,
    pair: (bool, String),
    boxed: Box<Option<bool>>,
    hash: Sha256Hash,
    json: Value,
    scalar: Scalar,
    status: RunStatus,
    side: PositionType,
    when: chrono::DateTime<chrono::Utc>,
}

#[test]
fn each_field_kind_has_its_schema() {
    let schema = Kinds::payload_schema();
    let expected = json!({
        "flag": {"type": "boolean"},
        "byte": uint(),
        "count": uint(),
        "wide": uint(),
        "delta": {"type": "integer"},
        "index": {"type": "integer"},
        "ratio": float(),
        "loss": float(),
        "letter": {"type": "string", "minLength": 1, "maxLength": 1},
        "text": {"type": "string"},
        "path": {"type": "string"},
        "maybe": nullable(uint()),
        "list": {"type": "array", "items": {"type": "string"}},
        "fixed": {"type": "array", "items": float(), "minItems": 2, "maxItems": 2},
        "set": {"type": "array", "items": {"type": "integer"}, "uniqueItems": true},
        "metrics": {"type": "object", "additionalProperties": float()},
        "anything": {"type": "object"},
        "pair": {
            "type": "array",
            "prefixItems": [{"type": "boolean"}, {"type": "string"}],
            "items": false,
            "minItems": 2,
        },
        "boxed": nullable(json!({"type": "boolean"})),
        "hash": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
        "json": {},
        "scalar": {"type": ["number", "boolean", "null"]},
        "status": {"enum": ["ok", "error", "panic"]},
        "side": {"enum": ["bull", "bear"]},
        "when": {"type": "string", "format": "date-time"},
    });
    for (field, want) in expected.as_object().unwrap() {
        assert_eq!(&schema["properties"][field], want, "{field}");
    }
    assert_eq!(schema["properties"].as_object().unwrap().len(), 25);
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["additionalProperties"], false);
    // Every field is required, in declaration order.
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required[..4], ["flag", "byte", "count", "wide"]);
    assert_eq!(required.len(), 25);
}

/// A value of each kind, extremes included, validates against the schema.
#[test]
fn written_values_satisfy_the_derived_schema() {
    let event = Kinds {
        flag: true,
        byte: 255,
        count: u64::MAX,
        wide: 7,
        delta: -3,
        index: -1,
        ratio: f32::NAN,
        loss: f64::NEG_INFINITY,
        letter: 'é',
        text: "t".into(),
        path: "/tmp/x".into(),
        maybe: None,
        list: vec!["a".into()],
        fixed: [0.5, f64::INFINITY],
        set: BTreeSet::from([1, 2]),
        metrics: BTreeMap::from([("nan".to_string(), f64::NAN)]),
        anything: HashMap::from([("x".to_string(), json!({"deep": [1]}))]),
        pair: (false, "b".into()),
        boxed: Box::new(Some(true)),
        hash: Sha256Hash::of(b"abc"),
        json: json!(null),
        scalar: Scalar::Bool(false),
        status: RunStatus::Panic,
        side: PositionType::Bear,
        when: chrono::DateTime::from_timestamp(0, 0).unwrap(),
    };
    let sink = MemorySink::new();
    let log = EventLog::builder().memory(&sink).open(&context()).unwrap();
    log.emit(&event).unwrap();
    log.close().unwrap();
    let line: Value = serde_json::from_str(&sink.lines()[2]).unwrap();
    let errors = validate(&Kinds::payload_schema(), &payload_of(&line));
    assert!(errors.is_empty(), "{errors:?}\n{line}");
    // Every non-finite float is null in place and named, in document
    // order, in the trailing `non_finite` field.
    assert_eq!(
        line["non_finite"],
        json!([
            {"pointer": "/ratio", "value": "NaN"},
            {"pointer": "/loss", "value": "-Infinity"},
            {"pointer": "/fixed/1", "value": "Infinity"},
            {"pointer": "/metrics/nan", "value": "NaN"},
        ])
    );
    for entry in line["non_finite"].as_array().unwrap() {
        let pointer = entry["pointer"].as_str().unwrap();
        assert_eq!(line.pointer(pointer), Some(&Value::Null), "{pointer}");
    }
    assert!(
        sink.lines()[2].ends_with("]}"),
        "non_finite is the line's last field"
    );
    // And the schema does reject: a negative count, a wrong letter.
    let mut bad = payload_of(&line);
    bad["count"] = json!(-1);
    bad["letter"] = json!("ab");
    assert_eq!(validate(&Kinds::payload_schema(), &bad).len(), 2);
}

#[allow(dead_code)] // the skipped fields are never written, so never read
#[derive(Serialize, Event)]
#[event(name = "test.renamed", version = 2)]
#[serde(rename_all = "camelCase")]
struct Renamed {
    step_count: u64,
    #[serde(rename = "LR")]
    learning_rate: f64,
    #[serde(rename(serialize = "written", deserialize = "read"))]
    both: u8,
    #[serde(skip)]
    cache: Vec<u8>,
    #[serde(skip_serializing)]
    handle: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default)]
    added_later: bool,
    r#type: String,
}

#[derive(Serialize, Event)]
#[event(name = "test.kebab", version = 1)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE", default)]
struct Kebab {
    first_field: u8,
    second: u8,
}

impl Default for Kebab {
    fn default() -> Self {
        Kebab {
            first_field: 1,
            second: 2,
        }
    }
}

/// The schema names exactly the keys serde writes.
#[test]
fn serde_renames_and_skips_are_honoured() {
    let event = Renamed {
        step_count: 1,
        learning_rate: 0.1,
        both: 2,
        cache: vec![1],
        handle: 3,
        note: Some("n".into()),
        added_later: true,
        r#type: "t".into(),
    };
    let written = serde_json::to_value(&event).unwrap();
    let schema = Renamed::payload_schema();
    let keys = |v: &Value| -> BTreeSet<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&written), keys(&schema["properties"]));
    assert_eq!(
        keys(&written),
        BTreeSet::from(
            ["stepCount", "LR", "written", "note", "addedLater", "type"].map(String::from)
        )
    );
    // Written only sometimes, or defaulted when read: not required.
    assert_eq!(
        schema["required"],
        json!(["stepCount", "LR", "written", "type"])
    );
    assert!(validate(&schema, &written).is_empty());
    let mut without_note = written.clone();
    without_note.as_object_mut().unwrap().remove("note");
    assert!(validate(&schema, &without_note).is_empty());

    let kebab = Kebab::payload_schema();
    assert_eq!(
        keys(&kebab["properties"]),
        keys(&serde_json::to_value(Kebab::default()).unwrap())
    );
    assert!(kebab["properties"]["FIRST-FIELD"].is_object());
    assert_eq!(kebab["required"], json!([]));
}

/// Lifetimes are kept on the impl; the registry lists the type once.
#[derive(Serialize, Event)]
#[event(name = "test.borrowed", version = 1)]
struct Borrowed<'a> {
    name: &'a str,
    tags: &'a [&'a str],
}

#[test]
fn schemas_lists_built_in_and_user_types_sorted() {
    let listed = schemas().unwrap();
    let names: Vec<(&str, u32)> = listed.iter().map(|s| (s.name, s.version)).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "sorted by name, then version");
    for built_in in [
        "session.start",
        "event.schema",
        "data.load",
        "algorithm.init",
        "algorithm.result",
        "epoch_detected",
        "hypothesis_result",
        "data.save",
        "metrics",
    ] {
        assert!(names.iter().any(|(n, _)| *n == built_in), "{built_in}");
    }
    for user in [
        ("test.kinds", 1),
        ("test.renamed", 2),
        ("test.borrowed", 1),
        ("test.note", 1),
        ("test.versioned", 1),
        ("test.versioned", 2),
    ] {
        assert!(names.contains(&user), "{user:?}");
    }
    let borrowed = listed.iter().find(|s| s.name == "test.borrowed").unwrap();
    assert_eq!(borrowed.type_name, "derive_event::Borrowed");
    assert_eq!(borrowed.schema, Borrowed::payload_schema());
    let load = listed.iter().find(|s| s.name == "data.load").unwrap();
    assert_eq!(
        load.type_name,
        "ith_provenance_runtime::events::builtin::DataLoad"
    );
    assert_eq!(load.schema, DataLoad::payload_schema());
    assert_eq!(
        names.len(),
        9 + 7 + 1,
        "built-ins, this file's types, the note"
    );
}

/// Two versions of one event type (two Rust types).
mod v1 {
    #[derive(serde::Serialize, ith_provenance::Event)]
    #[event(name = "test.versioned", version = 1)]
    pub struct Versioned {
        pub a: u32,
    }
}

mod v2 {
    #[derive(serde::Serialize, ith_provenance::Event)]
    #[event(name = "test.versioned", version = 2)]
    pub struct Versioned {
        pub a: u32,
        pub b: String,
    }
}

/// A log written by the real writer carries the schema of every event type
/// it holds, just before its first line, and every line satisfies it.
#[test]
fn a_log_validates_against_the_schemas_it_carries() {
    let sink = MemorySink::new();
    let log = EventLog::builder().memory(&sink).open(&context()).unwrap();
    let name = String::from("borrowed");
    for i in 0..3 {
        log.emit(&Borrowed {
            name: &name,
            tags: &["a", "b"],
        })
        .unwrap();
        log.emit(&Renamed {
            step_count: i,
            learning_rate: f64::NAN,
            both: 0,
            cache: Vec::new(),
            handle: 0,
            note: (i == 1).then(|| "sometimes".into()),
            added_later: false,
            r#type: "x".into(),
        })
        .unwrap();
        log.emit(&v1::Versioned { a: 1 }).unwrap();
    }
    log.emit(&v2::Versioned {
        a: 2,
        b: "new".into(),
    })
    .unwrap();
    log.emit(&v1::Versioned { a: 3 }).unwrap();
    log.close().unwrap();

    let lines = sink.lines();
    let types: Vec<String> = lines
        .iter()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            match v["event_type"].as_str().unwrap() {
                "event.schema" => {
                    format!(
                        "schema:{}@{}",
                        v["describes"].as_str().unwrap(),
                        v["event_version"]
                    )
                }
                other => other.to_string(),
            }
        })
        .collect();
    assert_eq!(
        types,
        [
            "session.start",
            "schema:test.borrowed@1",
            "test.borrowed",
            "schema:test.renamed@2",
            "test.renamed",
            "schema:test.versioned@1",
            "test.versioned",
            "test.borrowed",
            "test.renamed",
            "test.versioned",
            "test.borrowed",
            "test.renamed",
            "test.versioned",
            "schema:test.versioned@2",
            "test.versioned",
            // Back to version 1, already described: no new schema line.
            "test.versioned",
        ]
    );
    // The last line follows version 2's schema, which rejects it (no `b`):
    // what a reader sees when a session mixes versions of one type.
    let last: Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert!(!validate(&v2::Versioned::payload_schema(), &payload_of(&last)).is_empty());
    let before_last = &lines[..lines.len() - 1];
    assert_eq!(assert_log_describes_itself(before_last), 10);

    // The schema lines themselves follow `event.schema`'s schema.
    let first_schema: Value = serde_json::from_str(&lines[1]).unwrap();
    assert!(
        validate(
            &EventSchemaLine::payload_schema(),
            &payload_of(&first_schema)
        )
        .is_empty()
    );
    let carried: Value =
        serde_json::from_str(first_schema["payload_schema"].as_str().unwrap()).unwrap();
    assert_eq!(carried, Borrowed::payload_schema());
}

/// A type implementing `FieldSchema` by hand can be an event field.
#[derive(Serialize)]
struct Celsius(f64);

impl FieldSchema for Celsius {
    fn field_schema() -> Value {
        json!({"type": "number", "minimum": -273.15})
    }
}

#[derive(Serialize, Event)]
#[event(name = "test.weather", version = 1)]
struct Weather {
    temperature: Celsius,
    history: Vec<Celsius>,
}

#[test]
fn user_field_types_bring_their_own_schema() {
    let schema = Weather::payload_schema();
    assert_eq!(schema["properties"]["temperature"]["minimum"], -273.15);
    assert_eq!(schema["properties"]["history"]["items"]["type"], "number");
    let written = serde_json::to_value(Weather {
        temperature: Celsius(20.5),
        history: vec![Celsius(-300.0)],
    })
    .unwrap();
    assert_eq!(
        validate(&schema, &written).len(),
        1,
        "-300 is below the minimum"
    );
}
