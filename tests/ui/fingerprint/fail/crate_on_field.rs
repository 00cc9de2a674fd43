use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Config {
    #[fingerprint(crate = "ith_provenance")]
    lr: f64,
}

fn main() {}
