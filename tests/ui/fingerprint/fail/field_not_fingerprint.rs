use ith_provenance::Fingerprint;

struct Cache;

#[derive(Fingerprint)]
struct Config {
    lr: f64,
    cache: Cache,
}

#[derive(Fingerprint)]
enum Source {
    Memory(Cache),
}

fn main() {}
