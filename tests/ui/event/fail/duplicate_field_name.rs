use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "training.checkpoint", version = 1)]
#[serde(rename_all = "camelCase")]
struct Checkpoint {
    step_count: u64,
    #[serde(rename = "stepCount")]
    steps: u64,
}

fn main() {}
