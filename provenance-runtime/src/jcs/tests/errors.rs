//! Every value JSON cannot hold is an error naming its path.

use std::collections::{BTreeMap, HashMap};

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use super::{Layer, Meters, Model, canon, config_error};
use crate::{canonical_json, config_hash, strict_json_value};

#[test]
fn nan_and_infinities_are_rejected_with_their_path() {
    #[derive(Serialize)]
    struct Outer {
        model: Inner,
    }
    #[derive(Serialize)]
    struct Inner {
        lr: f64,
    }
    let (path, reason) = config_error(&Outer {
        model: Inner { lr: f64::NAN },
    });
    assert_eq!(path, "$.model.lr");
    assert_eq!(
        reason,
        "is NaN, which JSON cannot hold; replace it (for example with None) or skip the field with #[serde(skip)]"
    );
    assert_eq!(config_error(&f64::NAN).0, "$");
    assert_eq!(config_error(&[1.0, f64::INFINITY]).0, "$[1]");
    assert!(config_error(&f64::INFINITY).1.starts_with("is +infinity"));
    assert!(
        config_error(&f64::NEG_INFINITY)
            .1
            .starts_with("is -infinity")
    );
    assert!(config_error(&f32::NAN).1.starts_with("is NaN"));
    assert!(config_error(&f32::INFINITY).1.starts_with("is +infinity"));
    let message = canonical_json(&Outer {
        model: Inner { lr: f64::NAN },
    })
    .err()
    .map(|e| e.to_string());
    assert_eq!(
        message.as_deref(),
        Some(
            "cannot hash configuration: the value at $.model.lr is NaN, which JSON cannot hold; \
             replace it (for example with None) or skip the field with #[serde(skip)]"
        )
    );
    assert!(config_hash(&f64::NAN).is_err());
    assert!(strict_json_value(&f64::NAN).is_err());
}

#[test]
fn paths_name_indexes_quoted_keys_and_variants() {
    let model = Model {
        layers: vec![
            Layer { width: 1, lr: 0.1 },
            Layer { width: 1, lr: 0.1 },
            Layer {
                width: 1,
                lr: f64::NAN,
            },
        ],
        name: String::new(),
        dropout: None,
        activation: None,
    };
    assert_eq!(config_error(&model).0, "$.layers[2].lr");
    assert_eq!(config_error(&Some(Meters(f64::NAN))).0, "$");
    assert_eq!(
        config_error(&BTreeMap::from([("key with space", f64::NAN)])).0,
        r#"$["key with space"]"#
    );
    assert_eq!(
        config_error(&BTreeMap::from([("a\"b", f64::NAN)])).0,
        r#"$["a\"b"]"#
    );
    assert_eq!(
        config_error(&BTreeMap::from([("", f64::NAN)])).0,
        r#"$[""]"#
    );
    assert_eq!(
        config_error(&BTreeMap::from([("_x9", f64::NAN)])).0,
        "$._x9"
    );
    assert_eq!(
        config_error(&BTreeMap::from([("9x", f64::NAN)])).0,
        r#"$["9x"]"#
    );
    #[derive(Serialize)]
    enum Shape {
        Scale(f64),
        Point(f64, f64),
        Circle { r: f64 },
    }
    assert_eq!(config_error(&Shape::Scale(f64::NAN)).0, "$.Scale");
    assert_eq!(config_error(&Shape::Point(0.0, f64::NAN)).0, "$.Point[1]");
    assert_eq!(
        config_error(&vec![Shape::Circle { r: f64::NAN }]).0,
        "$[0].Circle.r"
    );
    assert_eq!(config_error(&vec![(1, [0.0, f64::NAN])]).0, "$[0][1][1]");
}

#[test]
fn non_string_map_keys_are_rejected() {
    let (path, reason) = config_error(&HashMap::from([(3_u32, "a")]));
    assert_eq!(path, "$");
    assert!(
        reason.starts_with(
            "is a map with the integer 3 as a key, but JSON object keys must be strings"
        ),
        "{reason}"
    );
    assert!(reason.contains("use String keys"), "{reason}");

    #[derive(Serialize)]
    struct Counts {
        by_epoch: BTreeMap<i64, u32>,
    }
    assert_eq!(
        config_error(&Counts {
            by_epoch: BTreeMap::from([(-1, 2)])
        })
        .0,
        "$.by_epoch"
    );
    assert!(
        config_error(&BTreeMap::from([(true, 1)]))
            .1
            .contains("the bool true")
    );
    assert!(
        config_error(&BTreeMap::from([((1, 2), 1)]))
            .1
            .contains("a tuple")
    );
    assert!(
        config_error(&BTreeMap::from([(Some("a"), 1)]))
            .1
            .contains("an Option")
    );
    assert!(
        config_error(&BTreeMap::from([(None::<&str>, 1)]))
            .1
            .contains("None")
    );
    assert!(config_error(&BTreeMap::from([((), 1)])).1.contains("()"));
    assert!(
        config_error(&BTreeMap::from([(vec![1], 1)]))
            .1
            .contains("a sequence")
    );
    assert!(
        config_error(&BTreeMap::from([(u128::MAX, 1)]))
            .1
            .contains(&u128::MAX.to_string())
    );

    struct FloatKey;
    impl Serialize for FloatKey {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry(&1.5_f64, &0)?;
            map.end()
        }
    }
    assert!(config_error(&FloatKey).1.contains("the float 1.5"));
    assert!(strict_json_value(&HashMap::from([(1_u8, 1_u8)])).is_err());
}

#[test]
fn duplicate_keys_are_rejected() {
    #[derive(Serialize)]
    struct Base {
        lr: f64,
        #[serde(flatten)]
        extra: BTreeMap<&'static str, f64>,
    }
    #[derive(Serialize)]
    struct Outer {
        opt: Base,
    }
    let value = Outer {
        opt: Base {
            lr: 0.1,
            extra: BTreeMap::from([("momentum", 0.9), ("lr", 0.2)]),
        },
    };
    let (path, reason) = config_error(&value);
    assert_eq!(path, "$.opt.lr");
    assert!(
        reason.starts_with("appears twice in one object"),
        "{reason}"
    );
    assert!(reason.contains(r#""lr""#), "{reason}");

    struct TwiceInStruct;
    impl Serialize for TwiceInStruct {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut s = serializer.serialize_struct("TwiceInStruct", 2)?;
            s.serialize_field("a", &1)?;
            s.serialize_field("a", &1)?;
            s.end()
        }
    }
    assert_eq!(config_error(&[TwiceInStruct]).0, "$[0].a");

    // Without the clash, flatten merges the maps.
    let ok = Base {
        lr: 0.1,
        extra: BTreeMap::from([("momentum", 0.9)]),
    };
    assert_eq!(canon(&ok), r#"{"lr":0.1,"momentum":0.9}"#);
}

#[test]
fn custom_errors_pass_their_message_through() {
    struct Refuses;
    impl Serialize for Refuses {
        fn serialize<S: Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom(
                "device handles cannot be serialized",
            ))
        }
    }
    #[derive(Serialize)]
    struct Cfg {
        device: Refuses,
    }
    let (path, reason) = config_error(&vec![Cfg { device: Refuses }]);
    assert_eq!(path, "$[0].device");
    assert_eq!(
        reason,
        "could not be serialized: device handles cannot be serialized"
    );

    #[derive(Serialize)]
    enum Skips {
        #[serde(skip)]
        #[allow(dead_code)]
        Hidden,
    }
    assert!(
        config_error(&Skips::Hidden)
            .1
            .starts_with("could not be serialized:")
    );
}

#[test]
fn broken_map_impls_are_errors_not_panics() {
    struct ValueFirst;
    impl Serialize for ValueFirst {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            map.serialize_value(&1)?;
            map.end()
        }
    }
    struct KeyOnly;
    impl Serialize for KeyOnly {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            map.serialize_key("a")?;
            map.end()
        }
    }
    assert!(config_error(&ValueFirst).1.contains("did not alternate"));
    assert!(config_error(&KeyOnly).1.contains("did not alternate"));
}
