use provenance::Fingerprint;

#[derive(Fingerprint)]
struct Config {
    #[fingerprint(crate = "provenance")]
    lr: f64,
}

fn main() {}
