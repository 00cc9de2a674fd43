use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
#[fingerprint(crate = 5)]
struct Config {
    lr: f64,
}

fn main() {}
