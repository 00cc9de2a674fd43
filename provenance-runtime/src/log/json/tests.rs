use std::collections::BTreeMap;

use serde::Serialize;

use super::*;
use crate::log::finite::serialize_finite;

/// The fast writer's bytes, or `None` when it gave up.
fn fast<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let mut out = Vec::new();
    value.serialize(Json(&mut out)).ok()?;
    Some(String::from_utf8(out).unwrap())
}

fn reference<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    let ((), found) = serialize_finite(value, &mut serde_json::Serializer::new(&mut out)).unwrap();
    assert!(
        found.is_empty(),
        "the fast writer leaves non-finite floats to the adapter"
    );
    String::from_utf8(out).unwrap()
}

#[track_caller]
fn same<T: Serialize + ?Sized>(value: &T) {
    let expected = reference(value);
    assert_eq!(fast(value).as_deref(), Some(expected.as_str()));
}

#[derive(Serialize)]
enum Shape {
    Unit,
    Newtype(f64),
    Tuple(u8, Option<i32>),
    Struct {
        #[serde(rename = "a\"b")]
        a: Vec<()>,
    },
}

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Newtype(&'static str);

#[derive(Serialize)]
struct Everything {
    b: (bool, bool),
    ints: (i8, i16, i32, i64, i128, u8, u16, u32, u64, u128),
    floats: (f32, f64, f64, f64, f64, f32),
    c: char,
    none: Option<u8>,
    unit: (),
    unit_struct: Unit,
    newtype: Newtype,
    shapes: Vec<Shape>,
    empty: (Vec<u8>, BTreeMap<String, u8>),
    keys: (BTreeMap<u64, i8>, BTreeMap<char, u8>, BTreeMap<i128, ()>),
    nested_floats: BTreeMap<&'static str, Vec<Option<f32>>>,
    value: serde_json::Value,
    display: Displayed,
}

struct Displayed;

impl Serialize for Displayed {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("tab\there \"quoted\" {}", '\u{1}'))
    }
}

#[test]
fn writes_what_serde_json_writes() {
    same(&Everything {
        b: (true, false),
        ints: (
            i8::MIN,
            -7,
            i32::MAX,
            i64::MIN,
            i128::MIN,
            0,
            9,
            u32::MAX,
            u64::MAX,
            u128::MAX,
        ),
        floats: (0.1, -0.0, 1e300, 5e-324, f64::MAX, f32::MIN_POSITIVE),
        c: '"',
        none: None,
        unit: (),
        unit_struct: Unit,
        newtype: Newtype("x"),
        shapes: vec![
            Shape::Unit,
            Shape::Newtype(-2.5e-10),
            Shape::Tuple(1, Some(-2)),
            Shape::Struct { a: vec![(), ()] },
        ],
        empty: (Vec::new(), BTreeMap::new()),
        keys: (
            BTreeMap::from([(1, -1), (u64::MAX, 2)]),
            BTreeMap::from([('\n', 1)]),
            BTreeMap::from([(-5, ())]),
        ),
        nested_floats: BTreeMap::from([("x", vec![Some(f32::MAX), None, Some(2.5)])]),
        value: serde_json::json!({"a": [1, -2, 3.5, null, true, "s\\"], "b": {}}),
        display: Displayed,
    });
}

#[test]
fn non_finite_floats_are_left_to_the_tracking_adapter() {
    assert_eq!(fast(&f64::NAN), None);
    assert_eq!(fast(&(1.0, f32::INFINITY)), None);
    assert_eq!(fast(&[crate::Scalar::Float(f64::NEG_INFINITY)]), None);
    assert_eq!(fast(&[crate::Scalar::Float(1.5)]).as_deref(), Some("[1.5]"));
}

#[test]
fn escapes_every_string_as_serde_json_does() {
    let all: String = (0..=0x7f_u8).map(char::from).collect();
    same(&all);
    same("ünïcødé ✓ 𝄞 \u{7f}\u{80}");
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..2_000 {
        let s: String = (0..(x % 40))
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                match x % 5 {
                    0 => char::from((x >> 8) as u8 % 0x20),
                    1 => ['"', '\\', '/', 'é'][(x >> 8) as usize % 4],
                    _ => char::from(b' ' + (x >> 8) as u8 % 95),
                }
            })
            .collect();
        same(&s);
        same(&BTreeMap::from([(s.clone(), s)]));
    }
}

#[test]
fn leaves_other_shapes_to_serde_json() {
    // Keys serde_json writes (or rejects) in its own way.
    assert_eq!(fast(&BTreeMap::from([(true, 1)])), None);
    assert_eq!(fast(&BTreeMap::from([(vec![1], 1)])), None);
    assert_eq!(fast(&BTreeMap::from([(Some(1), 1)])), None);
    struct Bytes;
    impl Serialize for Bytes {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(b"ab")
        }
    }
    assert_eq!(fast(&Bytes), None);
    assert_eq!(reference(&Bytes), "[97,98]");
}
