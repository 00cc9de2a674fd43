use ith_provenance::provenance;

struct Prices(Vec<f64>);

#[provenance]
fn run(#[fingerprint] prices: Prices, #[fingerprint] label: &std::path::Path) -> usize {
    prices.0.len() + label.as_os_str().len()
}

fn main() {
    run(Prices(vec![]), std::path::Path::new("x"));
}
