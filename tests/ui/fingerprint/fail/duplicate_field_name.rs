use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Config {
    lr: f64,
    #[fingerprint(rename = "lr")]
    learning_rate: f64,
}

#[derive(Fingerprint)]
enum Optimizer {
    Sgd {
        #[fingerprint(rename = "rate")]
        lr: f64,
        #[fingerprint(rename = "rate")]
        momentum: f64,
    },
}

fn main() {}
