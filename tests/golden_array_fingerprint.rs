//! `fingerprint_array` against the golden vectors in
//! `testdata/golden/array_fingerprint.json`, which `.ci/crosscheck/
//! array_fingerprint.py` re-derives with numpy + hashlib in CI.

use ith_provenance::{
    fingerprint::{ArrayElement, ArrayFingerprint},
    fingerprint_array,
};
use ndarray::{ArrayD, Axis, IxDyn, Slice};
use serde_json::Value;

fn golden() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/golden/array_fingerprint.json"
    );
    let text = std::fs::read_to_string(path).expect("golden file is committed");
    serde_json::from_str(&text).expect("golden file is valid JSON")
}

fn float(v: &Value) -> f64 {
    match v {
        Value::String(s) if s == "NaN" => f64::NAN,
        Value::String(s) if s == "Infinity" => f64::INFINITY,
        Value::String(s) if s == "-Infinity" => f64::NEG_INFINITY,
        other => other
            .as_f64()
            .unwrap_or_else(|| panic!("not a float: {other}")),
    }
}

/// Builds the array the case describes and fingerprints the requested view.
fn fingerprint_case<T: ArrayElement>(
    input: &Value,
    parse: impl Fn(&Value) -> T,
) -> ArrayFingerprint {
    let shape: Vec<usize> = serde_json::from_value(input["shape"].clone()).unwrap();
    let values: Vec<T> = match input["generator"].as_str() {
        Some("half_index_nan_every_1000") => {
            let n = shape[0];
            let v: Vec<f64> = (0..n)
                .map(|i| {
                    if i % 1000 == 0 {
                        f64::NAN
                    } else {
                        i as f64 * 0.5
                    }
                })
                .collect();
            v.iter()
                .map(|&x| {
                    parse(&serde_json::json!(if x.is_nan() {
                        Value::from("NaN")
                    } else {
                        Value::from(x)
                    }))
                })
                .collect()
        }
        Some(other) => panic!("unknown generator {other}"),
        None => input["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(&parse)
            .collect(),
    };
    let array = ArrayD::from_shape_vec(IxDyn(&shape), values).unwrap();
    match &input["view"] {
        Value::Null => fingerprint_array(&array),
        Value::String(t) if t == "T" => fingerprint_array(&array.t()),
        Value::Object(v) if v.contains_key("axes") => {
            let axes: Vec<usize> = serde_json::from_value(v["axes"].clone()).unwrap();
            fingerprint_array(&array.view().permuted_axes(IxDyn(&axes)))
        }
        Value::Object(v) if v.contains_key("step") => {
            let step = v["step"].as_i64().unwrap() as isize;
            fingerprint_array(&array.slice_axis(Axis(0), Slice::new(0, None, step)))
        }
        other => panic!("unknown view {other}"),
    }
}

#[test]
fn array_fingerprints_match_the_numpy_golden_vectors() {
    let vectors = golden();
    assert!(vectors.len() >= 19, "golden file lost vectors");
    for case in &vectors {
        let input = &case["input"];
        let name = input["name"].as_str().unwrap();
        let fp = match input["dtype"].as_str().unwrap() {
            "float64" => fingerprint_case(input, float),
            "float32" => fingerprint_case(input, |v| float(v) as f32),
            "int64" => fingerprint_case(input, |v| v.as_i64().unwrap()),
            "int32" => fingerprint_case(input, |v| v.as_i64().unwrap() as i32),
            "int16" => fingerprint_case(input, |v| v.as_i64().unwrap() as i16),
            "int8" => fingerprint_case(input, |v| v.as_i64().unwrap() as i8),
            "uint64" => fingerprint_case(input, |v| v.as_u64().unwrap()),
            "uint32" => fingerprint_case(input, |v| v.as_u64().unwrap() as u32),
            "uint16" => fingerprint_case(input, |v| v.as_u64().unwrap() as u16),
            "uint8" => fingerprint_case(input, |v| v.as_u64().unwrap() as u8),
            "bool" => fingerprint_case(input, |v| v.as_bool().unwrap()),
            other => panic!("unknown dtype {other}"),
        };
        let got = serde_json::to_value(&fp).unwrap();
        assert_eq!(got, case["expected"], "vector {name}");
    }
}

#[test]
fn slices_vecs_and_fixed_arrays_match_the_ndarray_fingerprint() {
    let vectors = golden();
    let case = vectors
        .iter()
        .find(|c| c["input"]["name"] == "int32")
        .unwrap();
    let want = case["expected"]["sha256"].as_str().unwrap();
    let data = [3_i32, -1, 7];
    assert_eq!(fingerprint_array(&data).sha256.to_string(), want);
    assert_eq!(fingerprint_array(&data.to_vec()).sha256.to_string(), want);
    assert_eq!(fingerprint_array(&data[..]).sha256.to_string(), want);
}
