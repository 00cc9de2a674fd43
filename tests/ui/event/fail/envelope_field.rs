use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "training.checkpoint", version = 1)]
struct Checkpoint {
    seq: u64,
    #[serde(rename = "ts")]
    when: String,
    r#run_id: String,
    parent_run_id: Option<String>,
    non_finite: Vec<String>,
    // Not written: no clash.
    #[serde(skip)]
    session_id: String,
}

#[derive(serde::Serialize, Event)]
#[event(name = "training.renamed", version = 1)]
#[serde(rename_all = "camelCase")]
struct Renamed {
    seq: u64,
    #[serde(rename = "event_type")]
    kind: String,
    // Written as `sessionId`: no clash.
    session_id: String,
}

fn main() {}
