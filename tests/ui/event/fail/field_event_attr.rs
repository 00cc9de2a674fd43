use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "training.checkpoint", version = 1)]
struct Checkpoint {
    #[event(rename = "n")]
    step: u64,
}

fn main() {}
