use ith_provenance::Fingerprint;

#[derive(Fingerprint)]
struct Meters(#[fingerprint(rename = "value")] f64);

#[derive(Fingerprint)]
enum Shape {
    Circle(#[fingerprint(rename = "radius")] f64),
}

fn main() {}
