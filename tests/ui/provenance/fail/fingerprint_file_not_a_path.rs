use ith_provenance::provenance;

#[provenance]
fn run(#[fingerprint(file)] rows: u32, #[fingerprint(file)] data: Vec<u8>) -> usize {
    rows as usize + data.len()
}

fn main() {
    run(1, vec![]);
}
