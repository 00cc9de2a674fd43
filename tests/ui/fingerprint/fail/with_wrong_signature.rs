use ith_provenance::{Fingerprint, fingerprint::Fingerprinter};

fn write_u8(value: &u8, f: &mut Fingerprinter) {
    f.write_u8(*value);
}

fn write_nothing() {}

#[derive(Fingerprint)]
struct Config {
    #[fingerprint(with = write_u8)]
    name: String,
    #[fingerprint(with = write_nothing)]
    lr: f64,
    #[fingerprint(with = no_such_function)]
    epochs: u32,
}

fn main() {}
