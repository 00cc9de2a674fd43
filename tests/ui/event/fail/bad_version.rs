use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "a.zero", version = 0)]
struct Zero {}

#[derive(serde::Serialize, Event)]
#[event(name = "a.negative", version = -1)]
struct Negative {}

#[derive(serde::Serialize, Event)]
#[event(name = "a.string", version = "1")]
struct Text {}

#[derive(serde::Serialize, Event)]
#[event(name = "a.float", version = 1.5)]
struct Float {}

#[derive(serde::Serialize, Event)]
#[event(name = "a.huge", version = 4294967296)]
struct Huge {}

#[derive(serde::Serialize, Event)]
#[event(name = "a.suffix", version = 1u8)]
struct Suffix {}

fn main() {}
