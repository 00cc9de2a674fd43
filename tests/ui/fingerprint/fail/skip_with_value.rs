use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Config {
    #[fingerprint(skip = true)]
    cache: Vec<u8>,
    #[fingerprint(skip(always))]
    log: Vec<u8>,
}

fn main() {}
