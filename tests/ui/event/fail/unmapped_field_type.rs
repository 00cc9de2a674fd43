use std::time::Duration;

use ith_provenance::Event;

#[derive(serde::Serialize)]
struct Optimizer {
    lr: f64,
}

#[derive(serde::Serialize, Event)]
#[event(name = "training.checkpoint", version = 1)]
struct Checkpoint {
    step: u64,
    elapsed: Duration,
    optimizers: Vec<Optimizer>,
}

fn main() {}
