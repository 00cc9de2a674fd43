use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Borrowed<'a, 'b: 'a, T: ?Sized> {
    name: &'a str,
    values: &'b [f64],
    boxed: &'a T,
}

#[derive(Fingerprint)]
struct Window<const N: usize, T = f64> {
    values: [T; N],
}

#[derive(Fingerprint)]
enum Cow2<'a> {
    Borrowed(&'a str),
    Owned(String),
}

fn main() {
    let values = vec![1.0, 2.0];
    let b = Borrowed {
        name: "b",
        values: &values,
        boxed: "unsized",
    };
    let _ = b.fingerprint();
    let w = Window::<2> { values: [1.0, 2.0] };
    let mut f = ith_provenance::fingerprint::Fingerprinter::new();
    f.begin_struct(1).field("values", &[1.0_f64, 2.0]).finish();
    assert_eq!(w.fingerprint(), f.finish());
    // The variant counts, not only the string.
    assert_ne!(
        Cow2::Borrowed("x").fingerprint(),
        Cow2::Owned("x".into()).fingerprint()
    );
}
