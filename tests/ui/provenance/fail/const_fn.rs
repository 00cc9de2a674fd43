use ith_provenance::provenance;

#[provenance]
const fn seed() -> u64 {
    42
}

fn main() {
    let _ = seed();
}
