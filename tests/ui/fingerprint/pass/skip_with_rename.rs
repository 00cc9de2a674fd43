use std::time::Duration;

use ith_provenance::{Fingerprint, fingerprint::Fingerprinter};

mod encoders {
    use ith_provenance::fingerprint::Fingerprinter;

    pub fn seconds(d: &std::time::Duration, f: &mut Fingerprinter) {
        f.write_f64(d.as_secs_f64());
    }

    /// Generic: the field's type picks `T`.
    pub fn length<T>(v: &[T], f: &mut Fingerprinter) {
        f.write_usize(v.len());
    }
}

/// Takes `&str` for a `String` field: the call gets deref coercion.
fn lowercase(s: &str, f: &mut Fingerprinter) {
    f.write_str(&s.to_lowercase());
}

#[derive(Fingerprint)]
struct Run {
    #[fingerprint(rename = "lr")]
    learning_rate: f64,
    #[fingerprint(skip)]
    _cache: Vec<u8>,
    #[fingerprint(with = encoders::seconds)]
    timeout: Duration,
    #[fingerprint(with = "encoders::length")]
    log: Vec<String>,
    #[fingerprint(with = lowercase, rename = "opt")]
    optimizer: String,
    #[cfg_attr(all(), fingerprint(skip))]
    _scratch: u8,
}

#[derive(Fingerprint)]
enum Step {
    #[fingerprint(rename = "Train")]
    Fit {
        #[fingerprint(with = encoders::seconds)]
        budget: Duration,
        #[fingerprint(skip)]
        _verbose: bool,
    },
    Eval(
        #[fingerprint(skip)] u8,
        #[fingerprint(with = lowercase)] String,
    ),
}

fn main() {
    let run = Run {
        learning_rate: 0.1,
        _cache: vec![1],
        timeout: Duration::from_secs(2),
        log: vec!["a".into(), "b".into()],
        optimizer: "Adam".into(),
        _scratch: 9,
    };
    let mut f = Fingerprinter::new();
    f.begin_struct(4)
        .field("log", &2_usize)
        .field("lr", &0.1_f64)
        .field("opt", "adam")
        .field("timeout", &2.0_f64)
        .finish();
    assert_eq!(run.fingerprint(), f.finish());

    let fit = Step::Fit {
        budget: Duration::from_millis(500),
        _verbose: true,
    };
    let mut f = Fingerprinter::new();
    f.begin_struct_variant("Train", 1)
        .field("budget", &0.5_f64)
        .finish();
    assert_eq!(fit.fingerprint(), f.finish());
    assert_eq!(
        Step::Eval(1, "X".into()).fingerprint(),
        Step::Eval(2, "x".into()).fingerprint()
    );
}
