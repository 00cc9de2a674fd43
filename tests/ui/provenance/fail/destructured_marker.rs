use ith_provenance::provenance;

#[provenance]
fn run(#[fingerprint] (a, b): (u32, u32), #[config] _: u8) -> u32 {
    a + b
}

fn main() {
    run((1, 2), 3);
}
