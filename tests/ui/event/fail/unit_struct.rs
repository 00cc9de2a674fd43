use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "training.tick", version = 1)]
struct Tick;

fn main() {}
