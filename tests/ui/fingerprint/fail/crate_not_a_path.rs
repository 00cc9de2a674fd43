use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
#[fingerprint(crate = "my crate")]
struct Config {
    lr: f64,
}

fn main() {}
