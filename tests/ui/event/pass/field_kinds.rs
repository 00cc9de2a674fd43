//! Every kind of field the runtime has a schema for, through the facade.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::PathBuf;

use ith_provenance::{Event, ProvenanceContext, Sha256Hash, events::RunStatus, fingerprint::{ArrayFingerprint, FileFingerprint, Scalar}, ith::PositionType};

#[derive(serde::Serialize, Event)]
#[event(name = "test.field_kinds", version = 3)]
struct Everything {
    flag: bool,
    small: u8,
    big: u128,
    signed: i64,
    size: usize,
    ratio: f32,
    loss: f64,
    letter: char,
    text: String,
    path: PathBuf,
    maybe: Option<u32>,
    list: Vec<String>,
    queue: VecDeque<i8>,
    fixed: [f64; 3],
    set: BTreeSet<String>,
    hashed: HashSet<u16>,
    map: BTreeMap<String, f64>,
    hash_map: HashMap<String, Vec<bool>>,
    pair: (u8, String),
    boxed: Box<str>,
    shared: Box<[u64]>,
    cow: Cow<'static, str>,
    hash: Sha256Hash,
    json: serde_json::Value,
    scalar: Scalar,
    array: ArrayFingerprint,
    file: Option<FileFingerprint>,
    context: Box<ProvenanceContext>,
    status: RunStatus,
    side: PositionType,
    when: chrono::DateTime<chrono::Utc>,
}

fn main() {
    assert_eq!(Everything::EVENT_TYPE, "test.field_kinds");
    assert_eq!(Everything::VERSION, 3);
    let schema = Everything::payload_schema();
    assert_eq!(schema["properties"].as_object().unwrap().len(), 31);
    assert_eq!(schema["required"].as_array().unwrap().len(), 31);
}
