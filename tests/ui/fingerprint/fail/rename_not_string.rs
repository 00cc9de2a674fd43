use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Config {
    #[fingerprint(rename = lr)]
    learning_rate: f64,
    #[fingerprint(rename = 5)]
    epochs: u32,
}

#[derive(Fingerprint)]
enum Optimizer {
    #[fingerprint(rename = Adam)]
    AdamW,
}

fn main() {}
