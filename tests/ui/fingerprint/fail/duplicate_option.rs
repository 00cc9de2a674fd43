use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
#[fingerprint(crate = "ith_provenance", crate = "ith_provenance")]
struct Config {
    #[fingerprint(skip, skip)]
    cache: Vec<u8>,
    #[fingerprint(rename = "lr")]
    #[fingerprint(rename = "rate")]
    learning_rate: f64,
}

#[derive(Fingerprint)]
enum Optimizer {
    #[fingerprint(rename = "Adam", rename = "AdamW")]
    Adam,
}

fn main() {}
