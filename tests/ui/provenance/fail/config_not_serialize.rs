use ith_provenance::provenance;

struct Params {
    window: usize,
}

#[provenance]
fn run(#[config] params: Params) -> usize {
    params.window
}

fn main() {
    run(Params { window: 2 });
}
