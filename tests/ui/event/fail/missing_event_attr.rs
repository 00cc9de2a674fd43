use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
struct Checkpoint {
    step: u64,
}

fn main() {}
