//! One number of an array's range, written so that JSON can always hold it.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::non_finite::{non_finite_name, non_finite_token};

/// A minimum or maximum of an array, in the element's own kind: integers stay
/// exact (an `int64` range is not rounded through `f64`, as the original's
/// `float(arr.min())` did), floats are `f64`.
///
/// JSON has no NaN or infinity, so non-finite floats are written as the
/// strings `"NaN"`, `"Infinity"` and `"-Infinity"` (the project's contract
/// for every float it writes).
///
/// ```
/// use ith_provenance::fingerprint::Scalar;
///
/// assert_eq!(serde_json::to_string(&Scalar::Float(f64::INFINITY)).unwrap(), r#""Infinity""#);
/// assert_eq!(serde_json::to_string(&Scalar::UInt(u64::MAX)).unwrap(), "18446744073709551615");
/// let back: Scalar = serde_json::from_str(r#""-Infinity""#).unwrap();
/// assert_eq!(back, Scalar::Float(f64::NEG_INFINITY));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    /// A `bool` array's bound.
    Bool(bool),
    /// A signed integer, or an unsigned one below 2^63.
    Int(i64),
    /// A `uint64` value of 2^63 or more.
    UInt(u64),
    /// A `float64` or `float32` value (`float32` widened exactly).
    Float(f64),
}

impl Serialize for Scalar {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Scalar::Bool(b) => serializer.serialize_bool(b),
            Scalar::Int(i) => serializer.serialize_i64(i),
            Scalar::UInt(u) => serializer.serialize_u64(u),
            Scalar::Float(f) => match non_finite_name(f) {
                None => serializer.serialize_f64(f),
                // The string, marked so the event log can tell it from a
                // text (it writes `null` and names it in `non_finite`).
                Some(name) => serializer.serialize_newtype_struct(non_finite_token(name), name),
            },
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;

        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a number, a bool, or one of "NaN", "Infinity", "-Infinity""#)
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(i64::try_from(v).map_or(Scalar::UInt(v), Scalar::Int))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                match v {
                    "NaN" => Ok(Scalar::Float(f64::NAN)),
                    "Infinity" => Ok(Scalar::Float(f64::INFINITY)),
                    "-Infinity" => Ok(Scalar::Float(f64::NEG_INFINITY)),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }

        deserializer.deserialize_any(ScalarVisitor)
    }
}
