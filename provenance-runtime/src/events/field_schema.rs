//! The JSON Schema of each Rust type an event field may have, which
//! `#[derive(Event)]` assembles into the event's payload schema.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, LinkedList, VecDeque};
use std::num::{
    NonZeroI8, NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI128, NonZeroIsize, NonZeroU8,
    NonZeroU16, NonZeroU32, NonZeroU64, NonZeroU128, NonZeroUsize,
};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::RunStatus;
use crate::{
    ArrayFingerprint, FileFingerprint, MetricSummary, OutputFile, ProvenanceContext, Scalar, Seed,
    Sha256Hash,
};

/// A type whose JSON form, as an event field, a JSON Schema (draft 2020-12)
/// describes.
///
/// `#[derive(Event)]` builds an event's payload schema from its fields'
/// `FieldSchema`s, so every field type needs one. The runtime covers the
/// standard types (numbers, text, paths, options, sequences, sets, maps
/// with string keys, tuples, smart pointers), `serde_json::Value`, chrono's
/// `DateTime<Utc>` and its own types. For a type of your own, describe the
/// JSON its `Serialize` writes:
///
/// ```
/// use ith_provenance::events::FieldSchema;
///
/// /// Serialized as `"3/4"`.
/// #[derive(serde::Serialize)]
/// struct Ratio(String);
///
/// impl FieldSchema for Ratio {
///     fn field_schema() -> serde_json::Value {
///         serde_json::json!({"type": "string", "pattern": "^[0-9]+/[0-9]+$"})
///     }
/// }
/// assert_eq!(Ratio::field_schema()["type"], "string");
/// ```
///
/// Floats are a JSON number or `null` (how the log writes a non-finite
/// value, naming it in the line's `non_finite` field), so a type containing
/// floats should reuse `f64::field_schema()` for them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no JSON Schema for an event field",
    label = "no `FieldSchema` for `{Self}`",
    note = "`#[derive(Event)]` describes each field with `ith_provenance::FieldSchema`: implement it for `{Self}` (the JSON Schema of what its `Serialize` writes), or use a type that has one"
)]
pub trait FieldSchema {
    /// The JSON Schema of this type's serialized form.
    fn field_schema() -> Value;
}

/// `{"anyOf": [schema, {"type": "null"}]}`: `schema` or `null`.
fn nullable(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
}

fn array_of(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

fn string() -> Value {
    json!({"type": "string"})
}

impl FieldSchema for bool {
    fn field_schema() -> Value {
        json!({"type": "boolean"})
    }
}

macro_rules! integers {
    ($minimum:literal: $($t:ty),*) => {$(
        impl FieldSchema for $t {
            fn field_schema() -> Value {
                json!({"type": "integer", "minimum": $minimum})
            }
        }
    )*};
    ($($t:ty),*) => {$(
        impl FieldSchema for $t {
            fn field_schema() -> Value {
                json!({"type": "integer"})
            }
        }
    )*};
}

integers!(0: u8, u16, u32, u64, u128, usize);
integers!(1: NonZeroU8, NonZeroU16, NonZeroU32, NonZeroU64, NonZeroU128, NonZeroUsize);
integers!(i8, i16, i32, i64, i128, isize);
integers!(
    NonZeroI8,
    NonZeroI16,
    NonZeroI32,
    NonZeroI64,
    NonZeroI128,
    NonZeroIsize
);

macro_rules! floats {
    ($($t:ty),*) => {$(
        /// A JSON number, or `null` where the value is NaN or infinite
        /// (the line's `non_finite` field then names it).
        impl FieldSchema for $t {
            fn field_schema() -> Value {
                json!({"type": ["number", "null"]})
            }
        }
    )*};
}

floats!(f32, f64);

/// A string of exactly one character.
impl FieldSchema for char {
    fn field_schema() -> Value {
        json!({"type": "string", "minLength": 1, "maxLength": 1})
    }
}

impl FieldSchema for str {
    fn field_schema() -> Value {
        string()
    }
}

impl FieldSchema for String {
    fn field_schema() -> Value {
        string()
    }
}

/// Paths are written as strings (serde fails on a path that is not UTF-8).
impl FieldSchema for Path {
    fn field_schema() -> Value {
        string()
    }
}

impl FieldSchema for PathBuf {
    fn field_schema() -> Value {
        string()
    }
}

/// `null` is written for `()`.
impl FieldSchema for () {
    fn field_schema() -> Value {
        json!({"type": "null"})
    }
}

/// The inner type's schema, or `null`.
impl<T: FieldSchema> FieldSchema for Option<T> {
    fn field_schema() -> Value {
        nullable(T::field_schema())
    }
}

macro_rules! pointers {
    ($($p:ident),*) => {$(
        /// The same JSON as the value it points to.
        impl<T: FieldSchema + ?Sized> FieldSchema for $p<T> {
            fn field_schema() -> Value {
                T::field_schema()
            }
        }
    )*};
}

pointers!(Box, Arc, Rc);

/// The same JSON as the value it refers to.
impl<T: FieldSchema + ?Sized> FieldSchema for &T {
    fn field_schema() -> Value {
        T::field_schema()
    }
}

/// The same JSON as the value it refers to.
impl<T: FieldSchema + ?Sized> FieldSchema for &mut T {
    fn field_schema() -> Value {
        T::field_schema()
    }
}

/// The same JSON, borrowed or owned.
impl<T: FieldSchema + ToOwned + ?Sized> FieldSchema for Cow<'_, T> {
    fn field_schema() -> Value {
        T::field_schema()
    }
}

impl<T: FieldSchema> FieldSchema for [T] {
    fn field_schema() -> Value {
        array_of(T::field_schema())
    }
}

/// An array of exactly `N` items.
impl<T: FieldSchema, const N: usize> FieldSchema for [T; N] {
    fn field_schema() -> Value {
        json!({"type": "array", "items": T::field_schema(), "minItems": N, "maxItems": N})
    }
}

macro_rules! sequences {
    ($($s:ident),*) => {$(
        impl<T: FieldSchema> FieldSchema for $s<T> {
            fn field_schema() -> Value {
                array_of(T::field_schema())
            }
        }
    )*};
}

sequences!(Vec, VecDeque, LinkedList);

/// An array whose items are all different.
impl<T: FieldSchema> FieldSchema for BTreeSet<T> {
    fn field_schema() -> Value {
        json!({"type": "array", "items": T::field_schema(), "uniqueItems": true})
    }
}

/// An array whose items are all different.
impl<T: FieldSchema, S> FieldSchema for HashSet<T, S> {
    fn field_schema() -> Value {
        json!({"type": "array", "items": T::field_schema(), "uniqueItems": true})
    }
}

/// A JSON object whose values all have `V`'s schema (any JSON when `V` is
/// `serde_json::Value`).
fn object_of<V: FieldSchema + ?Sized>() -> Value {
    match V::field_schema() {
        Value::Object(any) if any.is_empty() => json!({"type": "object"}),
        values => json!({"type": "object", "additionalProperties": values}),
    }
}

macro_rules! maps {
    ($($key:ty),*) => {$(
        /// A JSON object.
        impl<V: FieldSchema> FieldSchema for BTreeMap<$key, V> {
            fn field_schema() -> Value {
                object_of::<V>()
            }
        }

        /// A JSON object.
        impl<V: FieldSchema, S> FieldSchema for HashMap<$key, V, S> {
            fn field_schema() -> Value {
                object_of::<V>()
            }
        }
    )*};
}

maps!(String, &str, Cow<'_, str>, Box<str>, Arc<str>, Rc<str>);

macro_rules! tuples {
    ($($n:literal: ($($t:ident),+)),* $(,)?) => {$(
        /// An array of the elements, in order.
        impl<$($t: FieldSchema),+> FieldSchema for ($($t,)+) {
            fn field_schema() -> Value {
                json!({
                    "type": "array",
                    "prefixItems": [$($t::field_schema()),+],
                    "items": false,
                    "minItems": $n,
                })
            }
        }
    )*};
}

tuples!(
    1: (A),
    2: (A, B),
    3: (A, B, C),
    4: (A, B, C, D),
    5: (A, B, C, D, E),
    6: (A, B, C, D, E, F),
    7: (A, B, C, D, E, F, G),
    8: (A, B, C, D, E, F, G, H),
);

/// Any JSON value.
impl FieldSchema for Value {
    fn field_schema() -> Value {
        json!({})
    }
}

/// An RFC 3339 timestamp (chrono's `Serialize` form).
impl FieldSchema for DateTime<Utc> {
    fn field_schema() -> Value {
        json!({"type": "string", "format": "date-time"})
    }
}

/// `sha256:` and 64 lowercase hex digits.
impl FieldSchema for Sha256Hash {
    fn field_schema() -> Value {
        json!({"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"})
    }
}

/// A number, a boolean (for bool arrays), or `null` where the value is a
/// NaN or infinite float (the line's `non_finite` field then names it).
impl FieldSchema for Scalar {
    fn field_schema() -> Value {
        json!({"type": ["number", "boolean", "null"]})
    }
}

/// `"0x"` and 16 lowercase hex digits.
impl FieldSchema for Seed {
    fn field_schema() -> Value {
        json!({"type": "string", "pattern": Seed::PATTERN})
    }
}

impl FieldSchema for ArrayFingerprint {
    fn field_schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "sha256": Sha256Hash::field_schema(),
                "shape": <Vec<usize>>::field_schema(),
                "dtype": string(),
                "range": <Option<[Scalar; 2]>>::field_schema(),
                "n_nans": u64::field_schema(),
                "checksum_first_10": Sha256Hash::field_schema(),
            },
            "required": ["sha256", "shape", "dtype", "range", "n_nans", "checksum_first_10"],
            "additionalProperties": false,
        })
    }
}

impl FieldSchema for FileFingerprint {
    fn field_schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "path": string(),
                "filename": nullable(string()),
                "sha256": Sha256Hash::field_schema(),
                "size_bytes": u64::field_schema(),
            },
            "required": ["path", "filename", "sha256", "size_bytes"],
            "additionalProperties": false,
        })
    }
}

impl FieldSchema for OutputFile {
    fn field_schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "target_path": string(),
                "sha256_hash": Sha256Hash::field_schema(),
            },
            "required": ["target_path", "sha256_hash"],
            "additionalProperties": false,
        })
    }
}

impl FieldSchema for MetricSummary {
    fn field_schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "last": f64::field_schema(),
                "min": f64::field_schema(),
                "max": f64::field_schema(),
                "count": u64::field_schema(),
            },
            "required": ["last", "min", "max", "count"],
            "additionalProperties": false,
        })
    }
}

/// Only the context's key fields: its full form is `docs/CONTEXT.md`, and
/// new fields may join it within a contract version.
impl FieldSchema for ProvenanceContext {
    fn field_schema() -> Value {
        json!({"type": "object", "required": ["session_id", "start_time", "root_seed", "git"]})
    }
}

impl FieldSchema for RunStatus {
    fn field_schema() -> Value {
        json!({"enum": ["ok", "error", "panic"]})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema<T: FieldSchema + ?Sized>() -> Value {
        T::field_schema()
    }

    #[test]
    fn composite_types_nest_their_parts() {
        let uint = json!({"type": "integer", "minimum": 0});
        assert_eq!(schema::<u8>(), uint);
        assert_eq!(schema::<i64>(), json!({"type": "integer"}));
        assert_eq!(
            schema::<Option<Vec<u32>>>(),
            json!({"anyOf": [{"type": "array", "items": uint}, {"type": "null"}]})
        );
        assert_eq!(schema::<&str>(), schema::<String>());
        assert_eq!(schema::<Cow<'_, str>>(), schema::<Box<str>>());
        assert_eq!(
            schema::<Arc<[bool]>>(),
            array_of(json!({"type": "boolean"}))
        );
        assert_eq!(
            schema::<HashMap<String, f64>>(),
            json!({"type": "object", "additionalProperties": f64::field_schema()})
        );
        assert_eq!(
            schema::<BTreeMap<String, Value>>(),
            json!({"type": "object"})
        );
        assert_eq!(
            schema::<(u8, String)>(),
            json!({"type": "array", "prefixItems": [uint, string()], "items": false, "minItems": 2})
        );
        assert_eq!(schema::<[char; 3]>()["maxItems"], 3);
        assert_eq!(schema::<BTreeSet<String>>()["uniqueItems"], true);
    }

    /// The schemas of the runtime's own types name exactly the fields their
    /// `Serialize` writes.
    #[test]
    fn runtime_types_match_their_serialized_fields() {
        let array = crate::fingerprint_array(&[1.0_f64, 2.0]);
        let file = FileFingerprint {
            path: "a.csv".into(),
            filename: Some("a.csv".into()),
            sha256: array.sha256,
            size_bytes: 3,
        };
        for (schema, value) in [
            (
                schema::<ArrayFingerprint>(),
                serde_json::to_value(&array).unwrap(),
            ),
            (
                schema::<FileFingerprint>(),
                serde_json::to_value(&file).unwrap(),
            ),
        ] {
            let mut written: Vec<&String> = value.as_object().unwrap().keys().collect();
            let mut described: Vec<&String> =
                schema["properties"].as_object().unwrap().keys().collect();
            written.sort();
            described.sort();
            assert_eq!(written, described);
            assert_eq!(
                schema["required"].as_array().unwrap().len(),
                described.len()
            );
        }
    }
}
