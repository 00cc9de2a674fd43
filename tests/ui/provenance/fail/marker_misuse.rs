use ith_provenance::provenance;

#[provenance]
fn run(
    #[fingerprint(array)] prices: Vec<f64>,
    #[provenance(skp)] window: usize,
    #[config = "x"] label: String,
    #[fingerprint]
    #[config]
    both: u32,
) -> usize {
    prices.len() + window + label.len() + both as usize
}

fn main() {
    run(vec![], 1, String::new(), 2);
}
