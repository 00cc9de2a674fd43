//! Value fingerprint encoding v1 against the golden vectors in
//! `testdata/golden/value_fingerprint.json`, which
//! `.ci/crosscheck/value_fingerprint.py` rebuilds independently from
//! `docs/VALUE_FINGERPRINT.md`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use ith_provenance::{Fingerprint, Sha256Hash, fingerprint::Fingerprinter};
use ndarray::Array2;
use serde::Deserialize;

#[derive(Deserialize)]
struct Vector {
    name: String,
    description: String,
    encoding_hex: String,
    sha256: String,
}

fn vectors() -> Vec<Vector> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/golden/value_fingerprint.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

// The struct and enum vectors are built through `#[derive(Fingerprint)]`,
// so the derive is pinned by the golden file and by the cross-check, which
// encodes the same values from the spec alone.

#[derive(Fingerprint)]
struct Config {
    lr: f64,
    epochs: u32,
    name: String,
    layers: Vec<usize>,
}

#[derive(Fingerprint)]
struct Meters(f64);

/// A struct field of ndarray type hashes as an array (tag 0x91).
#[derive(Fingerprint)]
struct Layer {
    weights: Array2<f32>,
    bias: f64,
}

#[derive(Fingerprint)]
struct Marker;

#[derive(Fingerprint)]
enum Optimizer {
    Adam,
    Sgd { lr: f64, momentum: f64 },
    Clip(f32, f32),
}

#[derive(Fingerprint)]
struct Trial {
    #[fingerprint(rename = "lr")]
    learning_rate: f64,
    // Never read: the golden vector proves it is not written either.
    #[allow(dead_code)]
    #[fingerprint(skip)]
    log_every: u32,
    seed: u64,
}

#[derive(Fingerprint)]
struct ByteOrder {
    ab: u8,
    a_b: u8,
    a1: u8,
    r#type: String,
}

#[derive(Fingerprint)]
enum Activation {
    #[fingerprint(rename = "Leaky")]
    LeakyReLU { slope: f32 },
}

#[derive(Fingerprint)]
struct Sweep<T> {
    values: Vec<T>,
    schedule: Option<Optimizer>,
    scale: Meters,
    marker: Marker,
}

/// `Duration` has no `Fingerprint` impl; a `with` function writes it.
fn write_duration(d: &Duration, f: &mut Fingerprinter) {
    f.begin_tuple(2)
        .element(&d.as_secs())
        .element(&d.subsec_nanos())
        .finish();
}

#[derive(Fingerprint)]
struct Retry {
    #[fingerprint(with = write_duration)]
    timeout: Duration,
    retries: u8,
}

#[derive(Fingerprint)]
enum Input {
    Cached(
        #[allow(dead_code)]
        #[fingerprint(skip)]
        u64,
        String,
    ),
}

/// Every golden vector's value, built here, by name.
fn fingerprints() -> Vec<(&'static str, Sha256Hash)> {
    let offset = DateTime::parse_from_rfc3339("2024-03-01T13:00:00.5+01:00").unwrap();
    let naive = NaiveDate::from_ymd_opt(2024, 3, 1)
        .unwrap()
        .and_hms_milli_opt(12, 0, 0, 500)
        .unwrap();
    vec![
        ("unit", ().fingerprint()),
        ("bool_true", true.fingerprint()),
        ("u8", 0xab_u8.fingerprint()),
        ("u16", 0x0102_u16.fingerprint()),
        ("u64_max", u64::MAX.fingerprint()),
        ("usize_as_u64", 42_usize.fingerprint()),
        ("u128", (1_u128 << 100).fingerprint()),
        ("i8_negative", (-1_i8).fingerprint()),
        ("i32_negative", (-123_456_i32).fingerprint()),
        ("i64_min", i64::MIN.fingerprint()),
        ("isize_as_i64", (-42_isize).fingerprint()),
        ("i128_negative", (-2_i128).fingerprint()),
        ("f32", 1.5_f32.fingerprint()),
        ("f64_negative_zero", (-0.0_f64).fingerprint()),
        (
            "f64_nan_with_payload",
            f64::from_bits(0xfff8_0000_0000_0001).fingerprint(),
        ),
        ("f64_infinity", f64::INFINITY.fingerprint()),
        ("char_non_ascii", 'é'.fingerprint()),
        ("str_utf8", "héllo 🦀".fingerprint()),
        ("string_empty", String::new().fingerprint()),
        ("option_none", None::<u8>.fingerprint()),
        ("option_some_zero", Some(0_u32).fingerprint()),
        ("option_some_none", Some(None::<u8>).fingerprint()),
        ("packed_u8", vec![1_u8, 2, 3].fingerprint()),
        ("packed_u16_empty", Vec::<u16>::new().fingerprint()),
        (
            "packed_f64_nan_and_zeros",
            [1.0_f64, f64::from_bits(0x7ff0_0000_0000_0001), -0.0, 0.0].fingerprint(),
        ),
        (
            "packed_f32_deque",
            VecDeque::from([0.5_f32, -2.0, 3.25]).fingerprint(),
        ),
        ("packed_usize", [0_usize, 1, 1 << 32][..].fingerprint()),
        ("packed_bool", [true, false, true].fingerprint()),
        (
            "packed_i64_nested",
            vec![vec![-1_i64], vec![]].fingerprint(),
        ),
        ("seq_strings", vec!["a", "bc"].fingerprint()),
        ("seq_chars", ['x', 'y'].fingerprint()),
        ("tuple_mixed", (1_u8, "x", true).fingerprint()),
        ("tuple_strings_ab_c", ("ab", "c").fingerprint()),
        ("tuple_strings_a_bc", ("a", "bc").fingerprint()),
        (
            "map_string_to_u32",
            HashMap::from([("b", 2_u32), ("a", 1)]).fingerprint(),
        ),
        ("set_u64", BTreeSet::from([3_u64, 1, 2]).fingerprint()),
        ("set_empty", HashSet::<u8>::new().fingerprint()),
        (
            "struct_config",
            Config {
                lr: 0.001,
                epochs: 10,
                name: "resnet".to_string(),
                layers: vec![64, 128],
            }
            .fingerprint(),
        ),
        ("tuple_struct_meters", Meters(2.5).fingerprint()),
        ("unit_struct_marker", Marker.fingerprint()),
        ("enum_unit_variant", Optimizer::Adam.fingerprint()),
        (
            "enum_struct_variant",
            Optimizer::Sgd {
                lr: 0.1,
                momentum: 0.9,
            }
            .fingerprint(),
        ),
        (
            "enum_tuple_variant",
            Optimizer::Clip(1.0, -1.0).fingerprint(),
        ),
        ("result_ok", Ok::<u8, String>(1).fingerprint()),
        (
            "result_err",
            Err::<u8, String>("boom".to_string()).fingerprint(),
        ),
        ("datetime_with_offset", offset.fingerprint()),
        (
            "datetime_before_epoch",
            DateTime::<Utc>::from_timestamp_millis(-500)
                .unwrap()
                .fingerprint(),
        ),
        ("naive_datetime", naive.fingerprint()),
        (
            "naive_date",
            NaiveDate::from_ymd_opt(1969, 12, 31).unwrap().fingerprint(),
        ),
        (
            "naive_time",
            NaiveTime::from_hms_milli_opt(23, 59, 59, 999)
                .unwrap()
                .fingerprint(),
        ),
        ("sha256_hash", Sha256Hash::of(b"abc").fingerprint()),
        (
            "nested_option_vec_tuples",
            Some(vec![("w".to_string(), 0.5_f64), ("b".to_string(), -1.0)]).fingerprint(),
        ),
        (
            "worked_example",
            (7_u16, "hi", Some(-0.0_f64), vec![1_u8, 2]).fingerprint(),
        ),
        (
            "derive_renamed_and_skipped_fields",
            Trial {
                learning_rate: 0.25,
                log_every: 100,
                seed: 42,
            }
            .fingerprint(),
        ),
        (
            "derive_field_names_byte_order",
            ByteOrder {
                ab: 1,
                a_b: 2,
                a1: 3,
                r#type: "raw".to_string(),
            }
            .fingerprint(),
        ),
        (
            "derive_renamed_struct_variant",
            Activation::LeakyReLU { slope: 0.5 }.fingerprint(),
        ),
        (
            "derive_generic_nested",
            Sweep {
                values: vec![0.1_f64, 0.2, f64::NAN],
                schedule: Some(Optimizer::Clip(0.5, 1.5)),
                scale: Meters(3.0),
                marker: Marker,
            }
            .fingerprint(),
        ),
        (
            "derive_with_function",
            Retry {
                timeout: Duration::new(90, 500_000_000),
                retries: 3,
            }
            .fingerprint(),
        ),
        (
            "derive_tuple_variant_skipped_element",
            Input::Cached(7, "train.csv".to_string()).fingerprint(),
        ),
        (
            "ndarray_f64_2x3",
            ndarray::array![[1.0_f64, 2.0, 3.0], [4.0, 5.0, 6.0]].fingerprint(),
        ),
        (
            "ndarray_i32_transposed_view",
            Array2::from_shape_vec((3, 2), (0..6).collect::<Vec<i32>>())
                .unwrap()
                .t()
                .fingerprint(),
        ),
        (
            "ndarray_u8_empty_0x4",
            Array2::<u8>::zeros((0, 4)).fingerprint(),
        ),
        ("ndarray_bool_0d", ndarray::arr0(true).fingerprint()),
        (
            "derive_struct_with_ndarray_field",
            Layer {
                weights: ndarray::array![[0.5_f32, -1.0], [2.0, 0.25]],
                bias: 0.1,
            }
            .fingerprint(),
        ),
    ]
}

fn unhex(hex: &str) -> Vec<u8> {
    assert!(hex.len().is_multiple_of(2), "odd-length hex {hex:?}");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digits"))
        .collect()
}

#[test]
fn golden_vectors_match() {
    let golden = vectors();
    let ours = fingerprints();
    assert!(golden.len() >= 25, "only {} golden vectors", golden.len());
    let golden_names: BTreeSet<&str> = golden.iter().map(|v| v.name.as_str()).collect();
    let our_names: BTreeSet<&str> = ours.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        golden_names.len(),
        golden.len(),
        "a golden vector name repeats"
    );
    assert_eq!(
        golden_names, our_names,
        "the golden file and this test cover different vectors"
    );
    let by_name: BTreeMap<&str, &Vector> = golden.iter().map(|v| (v.name.as_str(), v)).collect();

    let mut failures = Vec::new();
    for (name, hash) in &ours {
        let v = by_name[name];
        let encoding = unhex(&v.encoding_hex);
        assert!(
            encoding.starts_with(ith_provenance::fingerprint::VALUE_FINGERPRINT_PREFIX),
            "{name}: the encoding does not start with the v1 prefix"
        );
        assert_eq!(
            Sha256Hash::of(&encoding).to_string(),
            v.sha256,
            "{name}: the golden sha256 is not the hash of its encoding"
        );
        if hash.to_string() != v.sha256 {
            failures.push(format!(
                "{name} ({}): ours {hash}, golden {}",
                v.description, v.sha256
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden vector(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The vectors the file documents as equal to another container's value.
#[test]
fn documented_equivalences_hold() {
    let map: BTreeMap<&str, u32> = [("a", 1), ("b", 2)].into();
    assert_eq!(
        map.fingerprint(),
        HashMap::from([("b", 2_u32), ("a", 1)]).fingerprint()
    );
    assert_eq!(
        HashSet::from([1_u64, 2, 3]).fingerprint(),
        BTreeSet::from([3_u64, 1, 2]).fingerprint()
    );
    assert_eq!(
        vec![0.5_f32, -2.0, 3.25].fingerprint(),
        VecDeque::from([0.5_f32, -2.0, 3.25]).fingerprint()
    );
    let utc: DateTime<Utc> = "2024-03-01T12:00:00.5Z".parse().unwrap();
    assert_eq!(
        utc.fingerprint(),
        DateTime::parse_from_rfc3339("2024-03-01T13:00:00.5+01:00")
            .unwrap()
            .fingerprint()
    );
}
