use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "training.checkpoint", version = 1, schema_version = 2, description)]
struct Checkpoint {
    step: u64,
}

fn main() {}
