use ith_provenance::provenance;

#[provenance]
struct Experiment {
    seed: u64,
}

#[provenance]
const SEED: u64 = 1;

fn main() {
    let _ = Experiment { seed: SEED }.seed;
}
