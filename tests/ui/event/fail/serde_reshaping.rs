use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "training.step", version = 1)]
#[serde(transparent)]
struct Step {
    step: u64,
}

#[derive(serde::Serialize, Event)]
#[event(name = "training.tagged", version = 1)]
#[serde(tag = "kind")]
struct Tagged {
    step: u64,
}

fn main() {}
