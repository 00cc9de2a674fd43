use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "training.checkpoint", version = 1)]
struct Checkpoint(u64, f64);

fn main() {}
