use ith_provenance::provenance;

// The options do not parse: one error, and the function is still there.
#[provenance(seed = )]
fn run(#[config] n: u32) -> u32 {
    n
}

fn main() {
    assert_eq!(run(1), 1);
}
