use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
enum Optimizer {
    #[fingerprint(skip)]
    Adam,
    Sgd,
}

fn main() {}
