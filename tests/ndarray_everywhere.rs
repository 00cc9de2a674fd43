//! ndarray arrays wherever a user puts them: a struct field under
//! `#[derive(Fingerprint)]`, the value `fingerprint_output` records, an
//! event field. Each hashes its elements as `fingerprint_array` does
//! (numpy's `sha256(arr.tobytes())`), whatever the memory layout.
//!
//! The `#[provenance]` scenario runs in a child process (see
//! `provenance_support`), since the session is process-global.

mod log_support;
mod provenance_support;

use ith_provenance::{
    Event, Fingerprint, fingerprint::Fingerprinter, fingerprint_array, provenance,
};
use log_support::schema::{payload_of, validate};
use ndarray::{Array1, Array2, ArrayD, IxDyn, ShapeBuilder, array};
use provenance_support::*;
use serde::Serialize;
use serde_json::{Value, json};

/// numpy: `hashlib.sha256(np.array([[1., 2., 3.], [4., 5., 6.]]).tobytes())`.
const NUMPY_2X3: &str = "sha256:d73f023a3f852bf2e5c6d836cd36cd930d0091dcba7f778161c707e1c58222b0";
/// numpy: `hashlib.sha256(np.array([0.5, 0.25]).tobytes())`.
const NUMPY_HALF_QUARTER: &str =
    "sha256:9543aca8e8dc3f8c377f3329b9e43f07798a2f6afd07c6c238976f2c78be0513";

#[derive(Fingerprint)]
struct Model {
    weights: Array2<f64>,
    bias: Array1<f64>,
    name: String,
}

fn model(weights: Array2<f64>) -> Model {
    Model {
        weights,
        bias: array![0.5, 0.25],
        name: "ridge".into(),
    }
}

/// `[[1, 2, 3], [4, 5, 6]]` held in column-major (Fortran) memory.
fn fortran_2x3() -> Array2<f64> {
    Array2::from_shape_vec((2, 3).f(), vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]).unwrap()
}

#[test]
fn a_struct_field_hashes_its_array_as_fingerprint_array_does() {
    let c_order = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    assert_eq!(fingerprint_array(&c_order).sha256.to_string(), NUMPY_2X3);

    // The field is encoded as tag 0x91: element tag, shape, the numpy digest.
    let mut by_hand = Fingerprinter::new();
    by_hand
        .begin_struct(3)
        .field("bias", &array![0.5, 0.25])
        .field("name", "ridge")
        .field("weights", &c_order)
        .finish();
    let fingerprint = model(c_order.clone()).fingerprint();
    assert_eq!(fingerprint, by_hand.finish());

    // The same values in another memory layout, or as a view, agree.
    assert_eq!(model(fortran_2x3()).fingerprint(), fingerprint);
    let transposed = array![[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]];
    assert_eq!(transposed.t().fingerprint(), c_order.fingerprint());
    assert_eq!(model(transposed.t().to_owned()).fingerprint(), fingerprint);

    // The same bytes in another shape, or another element type, do not.
    let reshaped = c_order.clone().into_shape_with_order((3, 2)).unwrap();
    assert_eq!(
        fingerprint_array(&reshaped).sha256,
        fingerprint_array(&c_order).sha256
    );
    assert_ne!(model(reshaped).fingerprint(), fingerprint);
    assert_ne!(
        c_order.mapv(|x| x as f32).fingerprint(),
        c_order.fingerprint()
    );
    // Nor do different values, or a `Vec` of the same elements (packed form).
    let mut changed = c_order.clone();
    changed[[1, 2]] = 6.5;
    assert_ne!(model(changed).fingerprint(), fingerprint);
    assert_ne!(
        c_order.fingerprint(),
        c_order.iter().copied().collect::<Vec<f64>>().fingerprint()
    );
}

#[test]
fn a_dynamic_array_agrees_with_a_fixed_one() {
    let fixed = array![[1_i64, 2], [3, 4]];
    let dynamic = ArrayD::from_shape_vec(IxDyn(&[2, 2]), vec![1_i64, 2, 3, 4]).unwrap();
    assert_eq!(fixed.fingerprint(), dynamic.fingerprint());
    assert_eq!(fixed.view().fingerprint(), fixed.fingerprint());
}

// ---------------------------------------------------------------------------
// `fingerprint_output` and event fields, in a child process

#[provenance(name = "fit", fingerprint_output)]
fn fit(#[fingerprint] model: &Model) -> Array2<f64> {
    // A transposed copy: the returned array is laid out in Fortran order.
    model.weights.t().to_owned().reversed_axes()
}

#[provenance(name = "predict", fingerprint_output)]
fn predict(ok: bool) -> Result<Array1<f64>, String> {
    if ok {
        Ok(array![0.5, 0.25])
    } else {
        Err("singular matrix".into())
    }
}

#[provenance(name = "series", fingerprint_output)]
fn series() -> Vec<f64> {
    vec![0.5, 0.25]
}

#[derive(Serialize, Event)]
#[event(name = "test.arrays", version = 1)]
struct Weights {
    matrix: Array2<f64>,
    any: ArrayD<i64>,
    series: Vec<f64>,
    maybe: Option<Array1<f32>>,
}

fn weights() -> Weights {
    Weights {
        matrix: array![[1.0, f64::NAN], [3.0, 4.0]],
        any: ArrayD::from_shape_vec(IxDyn(&[1, 2, 1]), vec![7, -8]).unwrap(),
        series: vec![0.5, f64::INFINITY],
        maybe: None,
    }
}

#[test]
#[ignore = "a child process of `outputs_and_event_fields_record_arrays`"]
fn child_arrays() {
    if !is_child() {
        return;
    }
    let fitted = fit(&model(fortran_2x3()));
    assert_eq!(fitted, array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    assert!(
        !fitted.is_standard_layout(),
        "the scenario returns Fortran order"
    );
    predict(true).unwrap();
    predict(false).unwrap_err();
    series();
    ith_provenance::emit(&weights()).unwrap();
    ith_provenance::EventLog::current()
        .unwrap()
        .flush()
        .unwrap();
}

#[test]
fn outputs_and_event_fields_record_arrays() {
    let Child { lines, .. } = run_child("arrays", &[]);
    let output_hash = |run_id: &str| {
        let result = run(&lines, run_id)
            .into_iter()
            .find(|l| l["event_type"] == "algorithm.result")
            .unwrap_or_else(|| panic!("no algorithm.result for {run_id}"));
        result["output_hash"].clone()
    };

    // A returned array, in any layout, records numpy's hash of its values.
    assert_eq!(output_hash("fit#1"), NUMPY_2X3);
    assert_eq!(output_hash("predict#1"), NUMPY_HALF_QUARTER);
    assert_eq!(
        output_hash("predict#2"),
        Value::Null,
        "an Err has no output"
    );
    // A `Vec<f64>` return is an array too, as a `#[fingerprint]` argument is.
    assert_eq!(output_hash("series#1"), NUMPY_HALF_QUARTER);

    // The struct argument's data.load carries the struct's fingerprint.
    let load = run(&lines, "fit#1")
        .into_iter()
        .find(|l| l["event_type"] == "data.load")
        .unwrap();
    assert_eq!(
        load["sha256_hash"],
        model(fortran_2x3()).fingerprint().to_string()
    );

    // The event: ndarray's serde form, its schema, non-finite values named.
    let line = *of_type(&lines, "test.arrays").first().unwrap();
    assert_eq!(
        line["matrix"],
        json!({"v": 1, "dim": [2, 2], "data": [1.0, null, 3.0, 4.0]})
    );
    assert_eq!(
        line["any"],
        json!({"v": 1, "dim": [1, 2, 1], "data": [7, -8]})
    );
    assert_eq!(line["series"], json!([0.5, null]));
    assert_eq!(line["maybe"], Value::Null);
    assert_eq!(
        line["non_finite"],
        json!([
            {"pointer": "/matrix/data/1", "value": "NaN"},
            {"pointer": "/series/1", "value": "Infinity"},
        ])
    );
    let schema = Weights::payload_schema();
    let errors = validate(&schema, &payload_of(line));
    assert!(errors.is_empty(), "{errors:?}\n{line}");
}

#[test]
fn an_array_fields_schema_describes_ndarrays_serde_form() {
    let schema = Weights::payload_schema();
    let matrix = &schema["properties"]["matrix"];
    assert_eq!(matrix["required"], json!(["v", "dim", "data"]));
    assert_eq!(matrix["properties"]["dim"]["minItems"], 2);
    assert_eq!(matrix["properties"]["dim"]["maxItems"], 2);
    assert_eq!(
        matrix["properties"]["data"]["items"],
        json!({"type": ["number", "null"]})
    );
    let any = &schema["properties"]["any"]["properties"]["dim"];
    assert!(
        any.get("maxItems").is_none(),
        "IxDyn has any number of axes"
    );
    assert_eq!(
        schema["properties"]["series"],
        json!({"type": "array", "items": {"type": ["number", "null"]}})
    );

    // The schema rejects what is not an array of that form.
    let mut bad = serde_json::to_value(weights()).unwrap();
    bad["matrix"]["dim"] = json!([4]);
    bad["any"]["data"] = json!(["x"]);
    bad["series"] = json!({"v": 1});
    assert_eq!(
        validate(&schema, &bad).len(),
        3,
        "{:?}",
        validate(&schema, &bad)
    );
}
