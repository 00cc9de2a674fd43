use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Config {
    #[fingerprint(rename = "")]
    learning_rate: f64,
}

fn main() {}
