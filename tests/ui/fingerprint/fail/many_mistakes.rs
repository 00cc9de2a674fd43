//! Every mistake in one type is reported at once, each on its own token, and
//! nothing else: the stub impl keeps the uses of the type compiling.
use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
#[fingerprint(crate = 1)]
enum Optimizer {
    #[fingerprint(skip)]
    Adam,
    Sgd {
        #[fingerprint(rename = "momentum")]
        lr: f64,
        momentum: f64,
        #[fingerprint(skip, with = write)]
        cache: Vec<u8>,
        #[fingerprint(unknown)]
        other: u8,
    },
    Clip(#[fingerprint(rename = "low")] f32, f32),
}

fn main() {
    let _ = Optimizer::Adam.fingerprint();
}
