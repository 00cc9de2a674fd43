use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Config {
    #[fingerprint(skp)]
    lr: f64,
}

fn main() {}
