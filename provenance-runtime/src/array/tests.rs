use super::*;

/// The reference: the little-endian bytes element by element, the way
/// the specification reads, with none of the bulk paths.
fn reference_sha<T: ArrayElement>(items: &[T]) -> Sha256Hash {
    slice_sha256_by_element(items)
}

#[test]
fn bulk_paths_equal_the_element_by_element_reference() {
    // Sizes straddling the chunk size and the parallel threshold.
    for n in [0, 1, 7, 8, 9, 8191, 8192, 8193, 600_001] {
        let v: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin() * 1e3).collect();
        assert_eq!(fingerprint_array(&v).sha256, reference_sha(&v), "n = {n}");
        let w: Vec<i16> = (0..n).map(|i| (i % 65_521) as i16).collect();
        assert_eq!(fingerprint_array(&w).sha256, reference_sha(&w), "n = {n}");
    }
}

#[test]
fn statistics_ignore_nan_and_count_it() {
    let v = [f64::NAN, 2.5, -7.0, f64::NAN, 3.0, f64::INFINITY];
    let fp = fingerprint_array(&v);
    assert_eq!(fp.n_nans, 2);
    assert_eq!(
        fp.range,
        Some([Scalar::Float(-7.0), Scalar::Float(f64::INFINITY)])
    );
    assert_eq!(fp.shape, vec![6]);
}

#[test]
fn statistics_agree_between_sequential_and_parallel_paths() {
    // Over the parallel threshold, with the extremes and NaNs in odd places.
    let n = PARALLEL_BYTES / 8 * 2 + 13;
    let mut v: Vec<f64> = (0..n).map(|i| (i % 1000) as f64).collect();
    v[n - 1] = -5.0;
    v[17] = 1e9;
    for i in (3..n).step_by(9973) {
        v[i] = f64::NAN;
    }
    let nans = v.iter().filter(|x| x.is_nan()).count() as u64;
    let fp = fingerprint_array(&v);
    assert_eq!(fp.n_nans, nans);
    assert_eq!(fp.range, Some([Scalar::Float(-5.0), Scalar::Float(1e9)]));
    // The same data in runs (no contiguous fast path) gives the same record.
    struct Runs<'a>(&'a [f64]);
    impl ArrayData for Runs<'_> {
        type Elem = f64;
        fn shape(&self) -> Vec<usize> {
            vec![self.0.len()]
        }
        fn for_each_run(&self, f: &mut dyn FnMut(&[f64])) {
            self.0.chunks(1001).for_each(f);
        }
    }
    let by_runs = fingerprint_array(&Runs(&v));
    assert_eq!(by_runs.sha256, fp.sha256);
    assert_eq!(by_runs.n_nans, fp.n_nans);
    assert_eq!(by_runs.range, fp.range);
    assert_eq!(by_runs.checksum_first_10, fp.checksum_first_10);
}

#[test]
fn empty_and_all_nan_arrays_have_no_range() {
    let empty: [f32; 0] = [];
    let fp = fingerprint_array(&empty);
    assert_eq!((fp.range, fp.n_nans, fp.shape.clone()), (None, 0, vec![0]));
    assert_eq!(fp.sha256, Sha256Hash::of(b""));
    let nans = fingerprint_array(&[f32::NAN, f32::NAN]);
    assert_eq!((nans.range, nans.n_nans), (None, 2));
}

#[test]
fn integer_ranges_are_exact() {
    let fp = fingerprint_array(&[u64::MAX, 3, u64::MAX - 1]);
    assert_eq!(fp.range, Some([Scalar::Int(3), Scalar::UInt(u64::MAX)]));
    let fp = fingerprint_array(&[i64::MIN, i64::MAX]);
    assert_eq!(
        fp.range,
        Some([Scalar::Int(i64::MIN), Scalar::Int(i64::MAX)])
    );
    let fp = fingerprint_array(&[true, false, true]);
    assert_eq!(fp.range, Some([Scalar::Bool(false), Scalar::Bool(true)]));
    assert_eq!(fp.dtype, "bool");
    assert_eq!(fp.sha256, Sha256Hash::of(&[1, 0, 1]));
}

#[test]
fn checksum_first_10_takes_ten_rows_of_a_matrix() {
    let rows: Vec<[u8; 3]> = (0..12u8).map(|r| [r, r + 100, r + 200]).collect();
    let fp = fingerprint_array(&rows);
    assert_eq!(fp.shape, vec![12, 3]);
    let first_ten: Vec<u8> = rows[..10].iter().flatten().copied().collect();
    assert_eq!(fp.checksum_first_10, Sha256Hash::of(&first_ten));
    // Fewer than ten rows: the whole array.
    let short = fingerprint_array(&[1u8, 2, 3]);
    assert_eq!(short.checksum_first_10, short.sha256);
}

#[test]
fn every_dtype_has_numpys_name() {
    assert_eq!(fingerprint_array(&[0f64]).dtype, "float64");
    assert_eq!(fingerprint_array(&[0f32]).dtype, "float32");
    assert_eq!(fingerprint_array(&[0i64]).dtype, "int64");
    assert_eq!(fingerprint_array(&[0i32]).dtype, "int32");
    assert_eq!(fingerprint_array(&[0i16]).dtype, "int16");
    assert_eq!(fingerprint_array(&[0i8]).dtype, "int8");
    assert_eq!(fingerprint_array(&[0u64]).dtype, "uint64");
    assert_eq!(fingerprint_array(&[0u32]).dtype, "uint32");
    assert_eq!(fingerprint_array(&[0u16]).dtype, "uint16");
    assert_eq!(fingerprint_array(&[0u8]).dtype, "uint8");
}

#[test]
fn record_round_trips_through_json_with_non_finite_bounds() {
    let fp = fingerprint_array(&[f64::NEG_INFINITY, 1.0]);
    let json = serde_json::to_string(&fp).unwrap();
    assert!(json.contains(r#""range":["-Infinity",1.0]"#), "{json}");
    let back: ArrayFingerprint = serde_json::from_str(&json).unwrap();
    assert_eq!(back, fp);
}

#[cfg(feature = "ndarray")]
#[test]
fn ndarray_views_of_any_layout_hash_in_c_order() {
    use ndarray::{Array2, ShapeBuilder, s};

    let c = Array2::from_shape_fn((4, 5), |(i, j)| (i * 5 + j) as f64);
    let f = Array2::from_shape_fn((4, 5).f(), |(i, j)| (i * 5 + j) as f64);
    let expected: Vec<f64> = (0..20).map(f64::from).collect();
    assert_eq!(fingerprint_array(&c).sha256, reference_sha(&expected));
    assert_eq!(fingerprint_array(&f).sha256, reference_sha(&expected));
    assert_eq!(fingerprint_array(&c.view()).shape, vec![4, 5]);

    let t = c.t();
    let transposed: Vec<f64> = (0..5)
        .flat_map(|j| (0..4).map(move |i| (i * 5 + j) as f64))
        .collect();
    let fp = fingerprint_array(&t);
    assert_eq!(fp.shape, vec![5, 4]);
    assert_eq!(fp.sha256, reference_sha(&transposed));

    let strided = c.slice(s![..;2, 1..;2]);
    assert_eq!(
        fingerprint_array(&strided).sha256,
        reference_sha(&[1.0, 3.0, 11.0, 13.0])
    );
}
