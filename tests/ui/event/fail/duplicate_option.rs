use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "training.checkpoint", version = 1)]
#[event(name = "training.step", version = 2)]
struct Checkpoint {
    step: u64,
}

fn main() {}
