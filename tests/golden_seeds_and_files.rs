//! Seeds, RNG streams and file fingerprints against the golden vectors that
//! `.ci/crosscheck/seeds.py` (hashlib + pycryptodome's ChaCha20) and
//! `.ci/crosscheck/file_fingerprint.py` (`sha256sum`) re-derive in CI.

use ith_provenance::{
    fingerprint_file,
    seed::{RootSeed, capture_random_state, derive_seed, rng_from_seed},
};
use rand_core::Rng;
use serde_json::Value;

fn golden(name: &str) -> Vec<Value> {
    let path = format!("{}/testdata/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// A generator's first four `u64`s.
fn first_words(rng: &mut impl Rng) -> Vec<u64> {
    (0..4).map(|_| rng.next_u64()).collect()
}

/// A vector's `first_u64`.
fn want_words(v: &Value) -> Vec<u64> {
    v["first_u64"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_u64().unwrap())
        .collect()
}

#[test]
fn seeds_keys_and_streams_match_the_reference() {
    let vectors = golden("seeds.json");
    assert_eq!(vectors.len(), 5);
    for v in vectors {
        let (root, name) = (v["root"].as_u64().unwrap(), v["name"].as_str().unwrap());
        let seed = derive_seed(root, name);
        assert_eq!(
            seed,
            v["seed"].as_u64().unwrap(),
            "seed of ({root}, {name:?})"
        );
        assert_eq!(RootSeed::explicit(root).derive(name), seed);
        let mut rng = rng_from_seed(seed);
        assert_eq!(
            capture_random_state(&rng).seed,
            v["key"].as_str().unwrap(),
            "key of {name:?}"
        );
        assert_eq!(first_words(&mut rng), want_words(&v), "stream of {name:?}");
    }
}

#[test]
fn file_fingerprints_match_sha256sum() {
    let vectors = golden("file_fingerprint.json");
    assert_eq!(vectors.len(), 5);
    let dir = tempfile::tempdir().unwrap();
    for v in vectors {
        let path = match (v["file"].as_str(), v["generator"].as_str()) {
            (Some(file), _) => format!(
                "{}/testdata/golden/files/{file}",
                env!("CARGO_MANIFEST_DIR")
            )
            .into(),
            (None, Some("mod251")) => {
                let len = v["size_bytes"].as_u64().unwrap() as usize;
                let path = dir.path().join("generated.bin");
                std::fs::write(
                    &path,
                    (0..len).map(|i| (i * 31 % 251) as u8).collect::<Vec<u8>>(),
                )
                .unwrap();
                path
            }
            other => panic!("unknown vector {other:?}"),
        };
        let fp = fingerprint_file(&path).unwrap();
        assert_eq!(
            fp.sha256.to_string(),
            v["sha256"].as_str().unwrap(),
            "{}",
            path.display()
        );
        assert_eq!(fp.size_bytes, v["size_bytes"].as_u64().unwrap());
    }
}

#[test]
fn in_run_seeds_match_hashlib_and_pycryptodome() {
    let vectors = golden("run_seeds.json");
    assert_eq!(vectors.len(), 9);
    for v in vectors {
        let root = v["root"].as_u64().unwrap();
        let (run_id, name) = (v["run_id"].as_str().unwrap(), v["name"].as_str().unwrap());
        let seed = ith_provenance::seed::derive_run_seed(root, run_id, name);
        assert_eq!(
            seed,
            v["seed"].as_u64().unwrap(),
            "seed of ({root}, {run_id:?}, {name:?})"
        );
        assert_eq!(
            first_words(&mut rng_from_seed(seed)),
            want_words(&v),
            "stream of ({run_id:?}, {name:?})"
        );
    }
}
