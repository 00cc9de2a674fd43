use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "training.phase", version = 1)]
enum Phase {
    Warmup { steps: u64 },
    Train { steps: u64 },
}

fn main() {}
