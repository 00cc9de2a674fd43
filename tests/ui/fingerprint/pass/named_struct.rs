use ith_provenance::{Fingerprint, fingerprint::Fingerprinter};

/// Docs, other derives and other attributes stay with the type.
#[derive(Debug, Clone, PartialEq, Fingerprint)]
#[allow(dead_code)]
pub struct Config {
    /// The learning rate.
    pub lr: f64,
    pub layers: Vec<usize>,
    pub name: String,
    #[cfg(any())]
    pub compiled_out: u8,
}

#[derive(Fingerprint)]
struct Empty {}

fn main() {
    let c = Config {
        lr: 0.1,
        layers: vec![2],
        name: "x".into(),
    };
    let mut f = Fingerprinter::new();
    f.begin_struct(3)
        .field("layers", &c.layers)
        .field("lr", &c.lr)
        .field("name", &c.name)
        .finish();
    assert_eq!(c.fingerprint(), f.finish());
    assert_ne!(c.fingerprint(), Empty {}.fingerprint());
}
