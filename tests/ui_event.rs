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
    t.compile_fail("tests/ui/event/envelope/*.rs");
}

/// One compile-fail case per envelope name, and no other: a name added to
/// the contract gets its case, or this fails.
#[test]
fn every_envelope_name_has_its_case() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ui/event/envelope");
    let mut cases: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".rs").map(str::to_string)
        })
        .collect();
    cases.sort();
    let mut names: Vec<String> = ith_provenance::events::ENVELOPE_FIELDS
        .iter()
        .chain(&ith_provenance::events::OPTIONAL_ENVELOPE_FIELDS)
        .map(|n| n.to_string())
        .collect();
    names.sort();
    assert_eq!(cases, names);
}
