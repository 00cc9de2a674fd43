use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(version = 2)]
struct Checkpoint {
    step: u64,
}

fn main() {}
