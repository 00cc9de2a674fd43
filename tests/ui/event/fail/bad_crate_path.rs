use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "training.checkpoint", version = 1, crate = "not a path")]
struct Checkpoint {
    step: u64,
}

fn main() {}
