use ith_provenance::provenance;

struct Model;

impl Model {
    #[provenance(strict)]
    fn fit(&self, #[fingerprint] prices: Vec<f64>, window: usize, (a, b): (u8, u8)) -> usize {
        prices.len() + window + usize::from(a + b)
    }
}

fn main() {
    Model.fit(vec![], 1, (1, 2));
}
