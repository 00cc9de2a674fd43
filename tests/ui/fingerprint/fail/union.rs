use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {
    // The stub impl keeps this from being a second error.
    let _ = Bits { int: 1 }.fingerprint();
}
