// `fingerprint_array` of something that is not an array says what is, and
// where to look when it is an array of another ndarray version.
struct Prices(Vec<f64>);

fn main() {
    let _ = ith_provenance::fingerprint_array(&Prices(vec![1.0]));
}
