use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Meters(f64);

#[derive(Fingerprint)]
struct Pair(u8, String);

#[derive(Fingerprint)]
struct Marker;

#[derive(Fingerprint)]
struct NoElements();

fn main() {
    assert_ne!(Meters(1.0).fingerprint(), 1.0_f64.fingerprint());
    assert_ne!(Pair(1, "a".into()).fingerprint(), (1_u8, "a").fingerprint());
    assert_ne!(Marker.fingerprint(), NoElements().fingerprint());
}
