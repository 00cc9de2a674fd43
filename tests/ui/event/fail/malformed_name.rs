use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "Training.Checkpoint", version = 1)]
struct Uppercase {}

#[derive(serde::Serialize, Event)]
#[event(name = "", version = 1)]
struct Empty {}

#[derive(serde::Serialize, Event)]
#[event(name = ".checkpoint", version = 1)]
struct LeadingDot {}

#[derive(serde::Serialize, Event)]
#[event(name = "training.", version = 1)]
struct TrailingDot {}

#[derive(serde::Serialize, Event)]
#[event(name = "training..checkpoint", version = 1)]
struct DoubleDot {}

#[derive(serde::Serialize, Event)]
#[event(name = "training-checkpoint", version = 1)]
struct Dash {}

#[derive(serde::Serialize, Event)]
#[event(name = training.checkpoint, version = 1)]
struct NotAString {}

fn main() {}
