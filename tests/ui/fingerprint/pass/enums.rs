use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
#[repr(u8)]
enum Optimizer {
    Adam = 3,
    Sgd { lr: f64, momentum: f64 } = 1,
    Clip(f32, f32) = 2,
    EmptyStruct {} = 4,
    EmptyTuple() = 5,
}

/// An enum without variants has no values; its impl still compiles.
#[derive(Fingerprint)]
enum Never {}

/// Variants named like the prelude's.
#[derive(Fingerprint)]
enum Outcome {
    Some(u8),
    None,
    Ok { value: u8 },
    Err(String),
}

fn takes_never(value: &Never) -> ith_provenance::Sha256Hash {
    value.fingerprint()
}

fn main() {
    let all = [
        Optimizer::Adam.fingerprint(),
        Optimizer::Sgd {
            lr: 0.1,
            momentum: 0.9,
        }
        .fingerprint(),
        Optimizer::Clip(0.0, 1.0).fingerprint(),
        Optimizer::EmptyStruct {}.fingerprint(),
        Optimizer::EmptyTuple().fingerprint(),
        Outcome::Some(1).fingerprint(),
        Outcome::None.fingerprint(),
        Outcome::Ok { value: 1 }.fingerprint(),
        Outcome::Err("e".into()).fingerprint(),
    ];
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a, b);
        }
    }
    let _ = takes_never;
}
