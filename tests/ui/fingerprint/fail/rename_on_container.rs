use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
#[fingerprint(rename = "OldConfig")]
struct Config {
    lr: f64,
}

fn main() {}
