use ith_provenance::provenance;

#[provenance(seed = "42", experiment = 42, strict = true, name)]
fn first() {}

#[provenance(seed = 1.5, version = "", fingerprint_output(yes))]
fn second() {}

#[provenance(seed = 18446744073709551616, crate = "not a path")]
fn third() {}

#[provenance(seed = 1, seed = 2)]
fn fourth() {}

#[provenance(seed = 7i32)]
fn fifth() {}

fn main() {
    first();
    second();
    third();
    fourth();
    fifth();
}
