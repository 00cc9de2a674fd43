//! Compile-time behaviour of the `event` macro (trybuild): every mistake it
//! promises to catch fails with the `.stderr` beside it, on the offending
//! token, and every shape it accepts compiles.
//!
//! Regenerate the snapshots after an intended change with
//! `TRYBUILD=overwrite cargo test --test ui_event`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/event/pass/*.rs");
    t.compile_fail("tests/ui/event/fail/*.rs");
}
