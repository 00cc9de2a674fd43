use std::collections::BTreeMap;

use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "training.checkpoint", version = 1)]
struct Checkpoint {
    step: u64,
    #[serde(flatten)]
    extra: BTreeMap<String, u64>,
}

fn main() {}
