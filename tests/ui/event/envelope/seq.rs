// A field written as the envelope's `seq` is refused at compile time.
use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "test.envelope", version = 1)]
struct Clash {
    step: u64,
    seq: String,
}

fn main() {}
