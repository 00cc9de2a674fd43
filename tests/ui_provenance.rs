//! Compile-time behaviour of the `provenance` macro (trybuild): every mistake it
//! promises to catch fails with the `.stderr` beside it, on the offending
//! token, and every shape it accepts compiles.
//!
//! Regenerate the snapshots after an intended change with
//! `TRYBUILD=overwrite cargo test --test ui_provenance`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/provenance/pass/*.rs");
    t.compile_fail("tests/ui/provenance/fail/*.rs");
}
