use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "training.metric", version = 1)]
struct Metric<'a, T: serde::Serialize, const N: usize> {
    name: &'a str,
    value: T,
}

fn main() {}
