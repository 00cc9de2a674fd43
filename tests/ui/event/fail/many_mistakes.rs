use ith_provenance::Event;

// Every mistake is reported at once, each on its own token.
#[derive(serde::Serialize, Event)]
#[event(name = "Checkpoint", version = 0, verbose = true)]
struct Checkpoint {
    seq: u64,
    #[serde(flatten)]
    rest: std::collections::BTreeMap<String, u64>,
}

fn main() {}
