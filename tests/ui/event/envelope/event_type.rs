// A field written as the envelope's `event_type` is refused at compile time.
use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "test.envelope", version = 1)]
struct Clash {
    step: u64,
    event_type: String,
}

fn main() {}
