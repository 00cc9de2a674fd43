use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Config {
    #[fingerprint(with = 5)]
    lr: f64,
    #[fingerprint(with = "not a path")]
    epochs: u32,
    #[fingerprint(with)]
    name: String,
}

fn main() {}
