use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
#[fingerprint(rename_all = "snake_case")]
struct Config {
    lr: f64,
}

fn main() {}
