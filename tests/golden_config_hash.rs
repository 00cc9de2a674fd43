//! Config hash v1 against the golden vectors in
//! `testdata/golden/config_hash.json`, which `.ci/crosscheck/config_hash.py`
//! checks independently against PyPI's `rfc8785`.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

#[derive(Deserialize)]
struct Vector {
    name: String,
    input: String,
    canonical: String,
    sha256: String,
}

fn vectors() -> Vec<Vector> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/golden/config_hash.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

#[test]
fn golden_vectors_match() {
    let vectors = vectors();
    assert!(vectors.len() >= 20, "only {} golden vectors", vectors.len());
    let mut failures = Vec::new();
    for v in &vectors {
        let input: serde_json::Value = serde_json::from_str(&v.input)
            .unwrap_or_else(|e| panic!("{}: input is not JSON: {e}", v.name));
        let canonical = ith_provenance::config::canonical_json(&input)
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        if canonical != v.canonical {
            failures.push(format!(
                "{}:\n  ours:   {canonical}\n  golden: {}",
                v.name, v.canonical
            ));
            continue;
        }
        let hash =
            ith_provenance::config_hash(&input).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        if hash.to_string() != v.sha256 {
            failures.push(format!("{}: hash {hash}, golden {}", v.name, v.sha256));
        }
        // The golden hash parses as a hash, and strict_json_value keeps the
        // value (every golden integer fits serde_json's Number).
        assert_eq!(
            v.sha256.parse::<ith_provenance::Sha256Hash>().ok(),
            Some(hash),
            "{}",
            v.name
        );
        let strict = ith_provenance::config::strict_json_value(&input)
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(strict, input, "{}", v.name);
    }
    assert!(
        failures.is_empty(),
        "{} golden vector(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn golden_vectors_cover_the_promised_cases() {
    let vectors = vectors();
    let canonical: Vec<&str> = vectors.iter().map(|v| v.canonical.as_str()).collect();
    let has = |needle: &str| canonical.iter().any(|c| c.contains(needle));
    for needle in [
        "9007199254740993",
        "9223372036854775808",
        "18446744073709551615",
        "-9223372036854775808",
        "1e+21",
        "1e-7",
        "0.1",
        "5e-324",
        "\\u001f",
        "\u{1F600}",
    ] {
        assert!(has(needle), "no golden vector writes {needle}");
    }
    let mut names = HashMap::new();
    for v in &vectors {
        assert!(
            names.insert(v.name.as_str(), ()).is_none(),
            "duplicate vector name {}",
            v.name
        );
    }
}

#[test]
fn nan_and_integer_keys_are_config_errors() {
    #[derive(serde::Serialize)]
    struct Model {
        lr: f64,
    }
    #[derive(serde::Serialize)]
    struct Config {
        model: Model,
        counts: HashMap<u32, u32>,
    }

    let nan = Config {
        model: Model { lr: f64::NAN },
        counts: HashMap::new(),
    };
    match ith_provenance::config_hash(&nan) {
        Err(ith_provenance::Error::Config { path, reason }) => {
            assert_eq!(path, "$.model.lr");
            assert!(
                reason.starts_with("is NaN, which JSON cannot hold"),
                "{reason}"
            );
        }
        other => panic!("expected a Config error, got {other:?}"),
    }
    let message = ith_provenance::config_hash(&nan)
        .map_err(|e| e.to_string())
        .err();
    assert_eq!(
        message.as_deref(),
        Some(
            "cannot hash configuration: the value at $.model.lr is NaN, which JSON cannot hold; \
             replace it (for example with None) or skip the field with #[serde(skip)]"
        )
    );

    let int_keys = Config {
        model: Model { lr: 0.1 },
        counts: HashMap::from([(7, 1)]),
    };
    match ith_provenance::config::canonical_json(&int_keys) {
        Err(ith_provenance::Error::Config { path, reason }) => {
            assert_eq!(path, "$.counts");
            assert!(
                reason.starts_with(
                    "is a map with the integer 7 as a key, but JSON object keys must be strings"
                ),
                "{reason}"
            );
            assert!(reason.contains("use String keys"), "{reason}");
        }
        other => panic!("expected a Config error, got {other:?}"),
    }
}
