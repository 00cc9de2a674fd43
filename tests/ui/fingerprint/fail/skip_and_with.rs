use ith_provenance::{Fingerprint, fingerprint::Fingerprinter};

fn write_len(v: &Vec<u8>, f: &mut Fingerprinter) {
    f.write_usize(v.len());
}

#[derive(Fingerprint)]
struct Config {
    #[fingerprint(skip, with = write_len)]
    cache: Vec<u8>,
    #[fingerprint(with = write_len)]
    #[fingerprint(skip)]
    log: Vec<u8>,
}

fn main() {}
