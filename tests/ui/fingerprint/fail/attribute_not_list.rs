use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Config {
    #[fingerprint]
    lr: f64,
    #[fingerprint = "skip"]
    epochs: u32,
}

fn main() {}
