use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event]
struct Checkpoint {
    step: u64,
}

fn main() {}
