//! A serde adapter that writes non-finite floats as `null` and records
//! where they were (contract version 2, `non_finite`), so every line is
//! strict JSON, every float field has one JSON type, and nothing is lost.
//!
//! serde_json writes NaN and infinities as `null` and forgets them (and the
//! original Python module wrote bare `NaN` tokens, which broke strict
//! parsers). This wraps any serializer, changes only floats (and
//! [`Scalar`](crate::Scalar)'s marked non-finite strings), and keeps the
//! RFC 6901 pointer of each one, which the line then lists in its trailing
//! `non_finite` field.

use std::cell::RefCell;

use serde::ser::{
    Serialize, SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant, SerializeTuple,
    SerializeTupleStruct, SerializeTupleVariant, Serializer,
};

use crate::non_finite::{non_finite_name, non_finite_of_token};

/// Where the non-finite floats of a value were: `(RFC 6901 pointer, name)`
/// in document order.
pub(crate) type NonFinite = Vec<(String, &'static str)>;

/// Serializes `value` through `serializer` with non-finite floats as
/// `null`, and returns where they were.
pub(crate) fn serialize_finite<T: Serialize + ?Sized, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<(S::Ok, NonFinite), S::Error> {
    let tracker = RefCell::new(Tracker::default());
    let ok = value.serialize(Finite::new(serializer, &tracker))?;
    Ok((ok, tracker.into_inner().found))
}

/// Where serialization is (the path from the root) and what it found.
#[derive(Default)]
struct Tracker {
    path: Vec<String>,
    found: NonFinite,
}

impl Tracker {
    /// The RFC 6901 pointer of the current position.
    fn pointer(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            out.push('/');
            for c in segment.chars() {
                match c {
                    '~' => out.push_str("~0"),
                    '/' => out.push_str("~1"),
                    c => out.push(c),
                }
            }
        }
        out
    }
}

/// The serializer wrapper (and, for compounds, the next element's index).
struct Finite<'t, S> {
    inner: S,
    tracker: &'t RefCell<Tracker>,
    index: usize,
}

impl<'t, S> Finite<'t, S> {
    fn new(inner: S, tracker: &'t RefCell<Tracker>) -> Self {
        Finite {
            inner,
            tracker,
            index: 0,
        }
    }

    /// `value` wrapped to serialize one level down, at `segment`.
    fn at<'v, T: ?Sized>(&self, segment: String, value: &'v T) -> Wrap<'v, 't, T> {
        Wrap {
            value,
            tracker: self.tracker,
            segment: Some(segment),
        }
    }

    /// `value` wrapped to serialize at the current position.
    fn here<'v, T: ?Sized>(&self, value: &'v T) -> Wrap<'v, 't, T> {
        Wrap {
            value,
            tracker: self.tracker,
            segment: None,
        }
    }

    /// The next element's segment: its index.
    fn next_index(&mut self) -> String {
        self.index += 1;
        (self.index - 1).to_string()
    }
}

impl<S: Serializer> Finite<'_, S> {
    /// Writes `null` for the non-finite float `name` and records it.
    fn non_finite(self, name: &'static str) -> Result<S::Ok, S::Error> {
        let mut tracker = self.tracker.borrow_mut();
        let pointer = tracker.pointer();
        tracker.found.push((pointer, name));
        drop(tracker);
        self.inner.serialize_unit()
    }
}

/// A value to serialize through [`Finite`] (for elements and fields), one
/// segment below the current position (or at it).
struct Wrap<'v, 't, T: ?Sized> {
    value: &'v T,
    tracker: &'t RefCell<Tracker>,
    segment: Option<String>,
}

impl<T: Serialize + ?Sized> Serialize for Wrap<'_, '_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(segment) = &self.segment {
            self.tracker.borrow_mut().path.push(segment.clone());
        }
        let result = self.value.serialize(Finite::new(serializer, self.tracker));
        if self.segment.is_some() {
            self.tracker.borrow_mut().path.pop();
        }
        result
    }
}

/// The text of a map key, as serde_json writes it (strings as they are,
/// numbers and booleans as their JSON text).
fn key_text<K: Serialize + ?Sized>(key: &K) -> String {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        // serde_json will refuse this key itself, with its own message.
        Err(_) => String::new(),
    }
}

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<S::Ok, S::Error> {
            self.inner.$method($($arg),*)
        })*
    };
}

impl<'t, S: Serializer> Serializer for Finite<'t, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Finite<'t, S::SerializeSeq>;
    type SerializeTuple = Finite<'t, S::SerializeTuple>;
    type SerializeTupleStruct = Finite<'t, S::SerializeTupleStruct>;
    type SerializeTupleVariant = Finite<'t, S::SerializeTupleVariant>;
    type SerializeMap = Finite<'t, S::SerializeMap>;
    type SerializeStruct = Finite<'t, S::SerializeStruct>;
    type SerializeStructVariant = Finite<'t, S::SerializeStructVariant>;

    forward! {
        serialize_bool(v: bool);
        serialize_i8(v: i8);
        serialize_i16(v: i16);
        serialize_i32(v: i32);
        serialize_i64(v: i64);
        serialize_i128(v: i128);
        serialize_u8(v: u8);
        serialize_u16(v: u16);
        serialize_u32(v: u32);
        serialize_u64(v: u64);
        serialize_u128(v: u128);
        serialize_char(v: char);
        serialize_str(v: &str);
        serialize_bytes(v: &[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        match non_finite_name(f64::from(v)) {
            Some(name) => self.non_finite(name),
            None => self.inner.serialize_f32(v),
        }
    }

    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        match non_finite_name(v) {
            Some(name) => self.non_finite(name),
            None => self.inner.serialize_f64(v),
        }
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        let value = self.here(value);
        self.inner.serialize_some(&value)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        if let Some(non_finite) = non_finite_of_token(name) {
            return self.non_finite(non_finite);
        }
        let value = self.here(value);
        self.inner.serialize_newtype_struct(name, &value)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let value = self.at(variant.to_string(), value);
        self.inner
            .serialize_newtype_variant(name, index, variant, &value)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        let tracker = self.tracker;
        self.inner
            .serialize_seq(len)
            .map(|c| Finite::new(c, tracker))
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        let tracker = self.tracker;
        self.inner
            .serialize_tuple(len)
            .map(|c| Finite::new(c, tracker))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        let tracker = self.tracker;
        self.inner
            .serialize_tuple_struct(name, len)
            .map(|c| Finite::new(c, tracker))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        // `{"Variant":[…]}`: the elements are one level below the variant.
        let tracker = self.tracker;
        tracker.borrow_mut().path.push(variant.to_string());
        self.inner
            .serialize_tuple_variant(name, index, variant, len)
            .map(|c| Finite::new(c, tracker))
            .inspect_err(|_| {
                tracker.borrow_mut().path.pop();
            })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        let tracker = self.tracker;
        self.inner
            .serialize_map(len)
            .map(|c| Finite::new(c, tracker))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        let tracker = self.tracker;
        self.inner
            .serialize_struct(name, len)
            .map(|c| Finite::new(c, tracker))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        // `{"Variant":{…}}`: the fields are one level below the variant.
        let tracker = self.tracker;
        tracker.borrow_mut().path.push(variant.to_string());
        self.inner
            .serialize_struct_variant(name, index, variant, len)
            .map(|c| Finite::new(c, tracker))
            .inspect_err(|_| {
                tracker.borrow_mut().path.pop();
            })
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! elements {
    ($trait:ident, $method:ident, $variant:expr) => {
        impl<C: $trait> $trait for Finite<'_, C> {
            type Ok = C::Ok;
            type Error = C::Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
                let segment = self.next_index();
                let value = self.at(segment, value);
                self.inner.$method(&value)
            }

            fn end(self) -> Result<C::Ok, C::Error> {
                if $variant {
                    self.tracker.borrow_mut().path.pop();
                }
                self.inner.end()
            }
        }
    };
}

elements!(SerializeSeq, serialize_element, false);
elements!(SerializeTuple, serialize_element, false);
elements!(SerializeTupleStruct, serialize_field, false);
elements!(SerializeTupleVariant, serialize_field, true);

impl<C: SerializeMap> SerializeMap for Finite<'_, C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), C::Error> {
        // The key's text is the next value's segment; keys hold no floats
        // that serde_json would accept, so they are written as they are.
        self.tracker.borrow_mut().path.push(key_text(key));
        self.inner.serialize_key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        let value = self.here(value);
        let result = self.inner.serialize_value(&value);
        self.tracker.borrow_mut().path.pop();
        result
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

macro_rules! fields {
    ($trait:ident, $variant:expr) => {
        impl<C: $trait> $trait for Finite<'_, C> {
            type Ok = C::Ok;
            type Error = C::Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), C::Error> {
                let value = self.at(key.to_string(), value);
                self.inner.serialize_field(key, &value)
            }

            fn skip_field(&mut self, key: &'static str) -> Result<(), C::Error> {
                self.inner.skip_field(key)
            }

            fn end(self) -> Result<C::Ok, C::Error> {
                if $variant {
                    self.tracker.borrow_mut().path.pop();
                }
                self.inner.end()
            }
        }
    };
}

fields!(SerializeStruct, false);
fields!(SerializeStructVariant, true);

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    fn to_json<T: Serialize>(v: &T) -> (String, Vec<(String, &'static str)>) {
        let mut out = Vec::new();
        let ((), found) = serialize_finite(v, &mut serde_json::Serializer::new(&mut out)).unwrap();
        (String::from_utf8(out).unwrap(), found)
    }

    #[derive(Serialize)]
    struct Metrics {
        sharpe: f64,
        worst: Option<f32>,
        by_name: BTreeMap<&'static str, f64>,
        series: Vec<(u8, f64)>,
        variant: Shape,
        tuple: Pair,
        range: [crate::Scalar; 2],
    }

    #[derive(Serialize)]
    enum Shape {
        Point { x: f64 },
    }

    #[derive(Serialize)]
    enum Pair {
        Of(f64, f64),
    }

    #[test]
    fn non_finite_floats_become_null_at_any_depth_and_are_pointed_at() {
        let m = Metrics {
            sharpe: f64::NAN,
            worst: Some(f32::NEG_INFINITY),
            by_name: [("a/b~c", f64::INFINITY), ("b", 1.5)].into_iter().collect(),
            series: vec![(1, -0.0), (2, f64::NAN)],
            variant: Shape::Point { x: f64::INFINITY },
            tuple: Pair::Of(1.0, f64::NAN),
            range: [
                crate::Scalar::Float(0.5),
                crate::Scalar::Float(f64::INFINITY),
            ],
        };
        let (json, found) = to_json(&m);
        assert_eq!(
            json,
            r#"{"sharpe":null,"worst":null,"by_name":{"a/b~c":null,"b":1.5},"series":[[1,-0.0],[2,null]],"variant":{"Point":{"x":null}},"tuple":{"Of":[1.0,null]},"range":[0.5,null]}"#
        );
        let expected = [
            ("/sharpe", "NaN"),
            ("/worst", "-Infinity"),
            ("/by_name/a~1b~0c", "Infinity"),
            ("/series/1/1", "NaN"),
            ("/variant/Point/x", "Infinity"),
            ("/tuple/Of/1", "NaN"),
            ("/range/1", "Infinity"),
        ];
        let found: Vec<(&str, &str)> = found.iter().map(|(p, n)| (p.as_str(), *n)).collect();
        assert_eq!(found, expected);
        // Each pointer resolves, in the written line, to the null it names.
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        for (pointer, _) in expected {
            assert_eq!(
                value.pointer(pointer),
                Some(&serde_json::Value::Null),
                "{pointer}"
            );
        }
    }

    #[test]
    fn everything_else_is_exactly_serde_json() {
        let v = serde_json::json!({"k": [1, "two", null, true, 2.5, {"n": u64::MAX}]});
        let (json, found) = to_json(&v);
        assert_eq!(json, serde_json::to_string(&v).unwrap());
        assert!(found.is_empty());
    }
}
