//! docs/CONTEXT.md documents the JSON form of `ProvenanceContext`: its
//! example must parse as one, and name exactly the fields a real context has.

use ith_provenance::{ProvenanceContext, crate_info};
use serde_json::Value;

fn documented_example() -> Value {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/CONTEXT.md")).unwrap();
    let start = doc
        .find("```json\n")
        .expect("CONTEXT.md has a JSON example")
        + "```json\n".len();
    let end = start + doc[start..].find("```").unwrap();
    serde_json::from_str(&doc[start..end]).expect("the documented example is valid JSON")
}

/// Every key path in a JSON object tree (`git.sha`, `host.os`, …), without
/// descending into the user-named maps.
fn key_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    if let Value::Object(map) = v {
        for (k, child) in map {
            let path = format!("{prefix}{k}");
            out.push(path.clone());
            if !matches!(k.as_str(), "input_hashes" | "random_seeds" | "env") {
                key_paths(child, &format!("{path}."), out);
            }
        }
    }
    out.sort();
}

#[test]
fn documented_example_parses_and_has_exactly_the_real_fields() {
    let example = documented_example();
    let parsed: ProvenanceContext =
        serde_json::from_value(example.clone()).expect("example deserializes");
    assert_eq!(parsed.root_seed.seed, 42);
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        example,
        "example round-trips unchanged"
    );

    let mut real = ProvenanceContext::builder(crate_info!())
        .seed(42)
        .experiment_id("exp001")
        .build()
        .unwrap();
    real.fingerprint_array("nav", &[1.0_f64]);
    real.seed("bootstrap");
    real.set_config_hash(&[1, 2]).unwrap();
    let (mut want, mut got) = (Vec::new(), Vec::new());
    key_paths(&example, "", &mut want);
    let mut real = serde_json::to_value(&real).unwrap();
    // Present only when the tree changed since this test was built (an
    // edit while developing): the example shows a context without it, and
    // the table documents it.
    real.as_object_mut().unwrap().remove("git_at_run");
    key_paths(&real, "", &mut got);
    // `git.patch` is there only when the tree was dirty when this test was
    // built: the example shows one, the real context may not.
    for paths in [&mut want, &mut got] {
        paths.retain(|path| !path.starts_with("git.patch"));
    }
    assert_eq!(
        got, want,
        "CONTEXT.md's example and the real JSON name different fields"
    );
}
