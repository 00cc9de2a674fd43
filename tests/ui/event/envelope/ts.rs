// A field written as the envelope's `ts` is refused at compile time.
use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "test.envelope", version = 1)]
struct Clash {
    step: u64,
    ts: String,
}

fn main() {}
