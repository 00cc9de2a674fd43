use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Config {
    #[fingerprint(skip, rename = "cache")]
    scratch: Vec<u8>,
}

fn main() {}
