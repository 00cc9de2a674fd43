//! The serde data model mapped as serde_json maps it, and the public API
//! built on it.

use std::collections::{BTreeMap, HashMap};

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use serde_json::json;

use super::{
    Action, Bytes, Layer, Meters, Model, Pair, Tagged, Unit, Untagged, canon, config_error,
};
use crate::jcs::magic;
use crate::{Error, Sha256Hash, config_hash, strict_json_value};

#[test]
fn data_model_follows_serde_json() {
    assert_eq!(canon(&()), "null");
    assert_eq!(canon(&Unit), "null");
    assert_eq!(canon(&None::<u8>), "null");
    assert_eq!(canon(&Some(3)), "3");
    assert_eq!(canon(&Meters(2.5)), "2.5");
    assert_eq!(canon(&Pair(1, "a")), r#"[1,"a"]"#);
    assert_eq!(canon(&(1, "two", 3.5, true)), r#"[1,"two",3.5,true]"#);
    assert_eq!(canon(&Action::Stop), r#""Stop""#);
    assert_eq!(canon(&Action::Jump(3)), r#"{"Jump":3}"#);
    assert_eq!(canon(&Action::Move(-1, 2)), r#"{"Move":[-1,2]}"#);
    assert_eq!(
        canon(&Action::Turn {
            degrees: 90.0,
            left: false
        }),
        r#"{"Turn":{"degrees":90,"left":false}}"#
    );
    assert_eq!(
        canon(&Tagged::Adam { lr: 0.001 }),
        r#"{"kind":"Adam","lr":0.001}"#
    );
    assert_eq!(
        canon(&[Untagged::Number(1), Untagged::Text("x")]),
        r#"[1,"x"]"#
    );
    assert_eq!(canon(&Bytes(&[0, 1, 255])), "[0,1,255]");
    assert_eq!(canon(&Bytes(&[])), "[]");
    assert_eq!(canon(&Vec::<u8>::new()), "[]");
    assert_eq!(canon(&HashMap::<String, u8>::new()), "{}");
    assert_eq!(canon(&[[1, 2], [3, 4]]), "[[1,2],[3,4]]");
    assert_eq!(
        canon(&json!({"b": {"d": 1, "c": [true, null]}, "a": ""})),
        r#"{"a":"","b":{"c":[true,null],"d":1}}"#
    );
}

#[test]
fn structs_and_maps_sort_their_keys() {
    let model = Model {
        layers: vec![
            Layer { width: 64, lr: 0.1 },
            Layer {
                width: 10,
                lr: 1e-7,
            },
        ],
        name: "mlp".into(),
        dropout: None,
        activation: Some("relu"),
    };
    assert_eq!(
        canon(&model),
        r#"{"activation":"relu","dropout":null,"layers":[{"lr":0.1,"width":64},{"lr":1e-7,"width":10}],"name":"mlp"}"#
    );
    let hash_map: HashMap<String, u32> = (0..50).map(|i| (format!("k{i}"), i)).collect();
    let btree: BTreeMap<String, u32> = hash_map.clone().into_iter().collect();
    assert_eq!(canon(&hash_map), canon(&btree));
    assert!(canon(&hash_map).starts_with(r#"{"k0":0,"k1":1,"k10":10,"#));
}

#[test]
fn string_like_map_keys_are_accepted() {
    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    enum Split {
        Train,
        Test,
    }
    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    struct Name(String);

    assert_eq!(
        canon(&BTreeMap::from([(Split::Train, 1), (Split::Test, 2)])),
        r#"{"Test":2,"Train":1}"#
    );
    assert_eq!(
        canon(&BTreeMap::from([('b', 1), ('a', 2)])),
        r#"{"a":2,"b":1}"#
    );
    assert_eq!(
        canon(&BTreeMap::from([(Name("x y".into()), 1)])),
        r#"{"x y":1}"#
    );
    let hash = Sha256Hash::of(b"");
    assert_eq!(
        canon(&BTreeMap::from([(hash, 1)])),
        format!(r#"{{"{hash}":1}}"#)
    );
}

#[test]
fn matches_serde_json_then_recanonicalized() {
    // For values with no f32 and no non-string keys, our tree must equal
    // what serde_json writes, once canonicalized.
    assert_matches_serde_json(&Model {
        layers: vec![Layer { width: 3, lr: 0.25 }],
        name: "a\"b\u{1}".into(),
        dropout: Some(0.5),
        activation: None,
    });
    assert_matches_serde_json(&Action::Move(1, 2));
    assert_matches_serde_json(&Action::Turn {
        degrees: 1e-9,
        left: true,
    });
    assert_matches_serde_json(&Tagged::Adam { lr: 3e21 });
    assert_matches_serde_json(&Bytes(b"hi"));
    assert_matches_serde_json(&(Unit, Meters(-0.0), Pair(9, "z"), Untagged::Text("t")));
    assert_matches_serde_json(&HashMap::from([
        ("b", vec![Some(1.5), None]),
        ("a", vec![]),
    ]));
}

/// Our canonical text equals serde_json's text of `value`, parsed and
/// canonicalized.
fn assert_matches_serde_json<T: Serialize>(value: &T) {
    let text = serde_json::to_string(value).unwrap_or_default();
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(canon(value), canon(&parsed), "serde_json wrote {text}");
}

#[test]
fn config_hash_is_sha256_of_the_canonical_text() {
    let value = json!({"b": 2, "a": [1.5, "x"]});
    let text = canon(&value);
    assert_eq!(text, r#"{"a":[1.5,"x"],"b":2}"#);
    assert_eq!(
        config_hash(&value).ok(),
        Some(Sha256Hash::of(text.as_bytes()))
    );
    // python3 -c 'import hashlib,rfc8785;print(hashlib.sha256(rfc8785.dumps({"b":2,"a":[1.5,"x"]})).hexdigest())'
    assert_eq!(
        config_hash(&value).map(|h| h.to_string()).ok().as_deref(),
        Some("sha256:9d2d5023722806603b789c1acf2a8e3be1cd88e46fab93731a1cc82a7d083554")
    );
    // Field order in the source never matters.
    assert_eq!(
        config_hash(&json!({"a": [1.5, "x"], "b": 2})).ok(),
        config_hash(&value).ok()
    );
}

#[test]
fn strict_json_value_matches_serde_json_for_ordinary_values() {
    let model = Model {
        layers: vec![Layer { width: 3, lr: 0.25 }],
        name: "n".into(),
        dropout: Some(-0.0),
        activation: None,
    };
    assert_eq!(
        strict_json_value(&model).ok(),
        serde_json::to_value(&model).ok()
    );
    assert_eq!(
        strict_json_value(&Action::Move(1, -2)).ok(),
        Some(json!({"Move": [1, -2]}))
    );
    assert_eq!(strict_json_value(&u64::MAX).ok(), Some(json!(u64::MAX)));
    assert_eq!(strict_json_value(&i64::MIN).ok(), Some(json!(i64::MIN)));
    assert_eq!(
        strict_json_value(&i128::from(u64::MAX)).ok(),
        Some(json!(u64::MAX))
    );
    assert_eq!(strict_json_value(&-5_i128).ok(), Some(json!(-5)));
}

#[test]
fn strict_json_value_rejects_integers_serde_json_cannot_hold() {
    #[derive(Serialize)]
    struct Seeds {
        seeds: BTreeMap<&'static str, Vec<u128>>,
    }
    let value = Seeds {
        seeds: BTreeMap::from([("data loader", vec![1, u128::from(u64::MAX) + 1])]),
    };
    match strict_json_value(&value) {
        Err(Error::Config { path, reason }) => {
            assert_eq!(path, r#"$.seeds["data loader"][1]"#);
            assert!(
                reason.starts_with("is the integer 18446744073709551616, outside the 64-bit range"),
                "{reason}"
            );
        }
        other => panic!("expected a Config error, got {other:?}"),
    }
    assert!(strict_json_value(&(i128::from(i64::MIN) - 1)).is_err());
    // The hash itself has no such limit.
    assert_eq!(
        canon(&value),
        r#"{"seeds":{"data loader":[1,18446744073709551616]}}"#
    );
}

/// Serializes as serde_json's private struct named `token` holding `text`,
/// as `Number` does under `arbitrary_precision` and `RawValue` always does.
struct Private {
    token: &'static str,
    text: &'static str,
}

impl Serialize for Private {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct(self.token, 1)?;
        s.serialize_field(self.token, self.text)?;
        s.end()
    }
}

#[test]
fn serde_json_private_structs_are_unwrapped() {
    let number = |text| Private {
        token: magic::NUMBER_TOKEN,
        text,
    };
    let raw = |text| Private {
        token: magic::RAW_VALUE_TOKEN,
        text,
    };
    assert_eq!(
        canon(&number("18446744073709551617")),
        "18446744073709551617"
    );
    assert_eq!(canon(&number("-12")), "-12");
    assert_eq!(canon(&number("-0")), "0");
    assert_eq!(canon(&number("1E30")), "1e+30");
    assert_eq!(canon(&number("0.10")), "0.1");
    assert!(
        config_error(&number("1e400"))
            .1
            .contains("not a finite double")
    );
    assert!(
        config_error(&number("1".repeat(60).leak()))
            .1
            .contains("wider than the 128 bits")
    );
    assert_eq!(
        canon(&raw(r#"{ "b" : 1.0, "a" : [ "\u0041" ] }"#)),
        r#"{"a":["A"],"b":1}"#
    );
    assert_eq!(config_error(&vec![raw("{nope")]).0, "$[0]");

    struct Impostor;
    impl Serialize for Impostor {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut s = serializer.serialize_struct(magic::NUMBER_TOKEN, 1)?;
            s.serialize_field("x", &1)?;
            s.end()
        }
    }
    assert!(
        config_error(&Impostor)
            .1
            .contains("reserved for serde_json")
    );
}
