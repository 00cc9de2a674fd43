use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
enum Optimizer {
    Adam,
    #[fingerprint(rename = "Adam")]
    AdamW,
}

fn main() {}
