use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Config {
    #[fingerprint(rename = )]
    lr: f64,
    #[fingerprint(skip; with = f)]
    epochs: u32,
}

fn main() {}
