//! The payload writer: JSON exactly as serde_json writes it through the
//! non-finite adapter, without its per-byte escaping and per-fragment
//! writes, which were most of the cost of `emit`.

use std::fmt;

use ith_provenance_contract::json::{escaped, find_escape};
use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::ser::{CompactFormatter, Formatter};

/// Appends `s` as a JSON string, escaped exactly as serde_json escapes it
/// (the contract's one escaper, which skips plain text a word at a time).
pub(super) fn push_json_str(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    if find_escape(s.as_bytes()).is_none() {
        // Most strings: one copy, no pieces.
        out.extend_from_slice(s.as_bytes());
    } else {
        push_json_str_contents(out, s);
    }
    out.push(b'"');
}

fn push_json_str_contents(out: &mut Vec<u8>, s: &str) {
    for piece in escaped(s) {
        out.extend_from_slice(piece.as_bytes());
    }
}

/// The payload writer: what serde_json writes through
/// [`serialize_finite`](super::finite::serialize_finite), byte for byte,
/// without serde_json's byte-at-a-time escaping and per-fragment writes or
/// the adapter's `to_string` for `collect_str`, which were most of the cost
/// of `emit`. Non-finite floats (which the adapter tracks to a pointer),
/// byte strings, map keys other than strings and integers, serde_json's
/// private tokens and every error make it give up, and the
/// payload is encoded again by serde_json (so a `Serialize` impl runs twice
/// only when it fails or uses those).
pub(super) struct Json<'a>(pub(super) &'a mut Vec<u8>);

/// Why [`Json`] stopped: see its documentation.
#[derive(Debug)]
pub(super) struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to serde_json")
    }
}

impl std::error::Error for GiveUp {}

impl ser::Error for GiveUp {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        GiveUp
    }
}

/// Integers as serde_json writes them (with itoa); `quoted` for map keys.
fn push_int(out: &mut Vec<u8>, v: impl itoa::Integer, quoted: bool) {
    if quoted {
        out.push(b'"');
    }
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    if quoted {
        out.push(b'"');
    }
}

macro_rules! ints {
    ($quoted:expr; $($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), GiveUp> {
            push_int(self.0, v, $quoted);
            Ok(())
        })*
    };
}

impl<'a> ser::Serializer for Json<'a> {
    type Ok = ();
    type Error = GiveUp;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    ints! { false;
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128
    }

    fn serialize_bool(self, v: bool) -> Result<(), GiveUp> {
        self.0
            .extend_from_slice(if v { b"true" as &[u8] } else { b"false" });
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), GiveUp> {
        if !v.is_finite() {
            // Written as `null` and pointed at in `non_finite`: left to the
            // tracking adapter (rare, so the fast path tracks no paths).
            return Err(GiveUp);
        }
        CompactFormatter.write_f32(self.0, v).map_err(|_| GiveUp)
    }

    fn serialize_f64(self, v: f64) -> Result<(), GiveUp> {
        if !v.is_finite() {
            return Err(GiveUp);
        }
        CompactFormatter.write_f64(self.0, v).map_err(|_| GiveUp)
    }

    fn serialize_char(self, v: char) -> Result<(), GiveUp> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), GiveUp> {
        push_json_str(self.0, v);
        Ok(())
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), GiveUp> {
        Err(GiveUp)
    }

    fn serialize_none(self) -> Result<(), GiveUp> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), GiveUp> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), GiveUp> {
        self.0.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), GiveUp> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), GiveUp> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), GiveUp> {
        if crate::non_finite::non_finite_of_token(name).is_some() {
            // A non-finite `Scalar`: as a non-finite float.
            return Err(GiveUp);
        }
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), GiveUp> {
        self.0.push(b'{');
        push_json_str(self.0, variant);
        self.0.push(b':');
        value.serialize(Json(&mut *self.0))?;
        self.0.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, GiveUp> {
        Ok(Compound::open(self.0, None, b'[', b"]"))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, GiveUp> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, GiveUp> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, GiveUp> {
        Ok(Compound::open(self.0, Some(variant), b'[', b"]}"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, GiveUp> {
        Ok(Compound::open(self.0, None, b'{', b"}"))
    }

    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Compound<'a>, GiveUp> {
        // serde_json's `RawValue` and arbitrary-precision `Number`.
        if name.starts_with("$serde_json::private::") {
            return Err(GiveUp);
        }
        self.serialize_map(None)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, GiveUp> {
        Ok(Compound::open(self.0, Some(variant), b'{', b"}}"))
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<(), GiveUp> {
        struct Escaping<'b>(&'b mut Vec<u8>);
        impl fmt::Write for Escaping<'_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                push_json_str_contents(self.0, s);
                Ok(())
            }
        }
        self.0.push(b'"');
        fmt::write(&mut Escaping(&mut *self.0), format_args!("{value}")).map_err(|_| GiveUp)?;
        self.0.push(b'"');
        Ok(())
    }
}

/// An array or object being written; a variant's adds the `{"variant":`
/// around it, closed again by `close`.
pub(super) struct Compound<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
    close: &'static [u8],
}

impl<'a> Compound<'a> {
    fn open(
        out: &'a mut Vec<u8>,
        variant: Option<&'static str>,
        open: u8,
        close: &'static [u8],
    ) -> Self {
        if let Some(variant) = variant {
            out.push(b'{');
            push_json_str(out, variant);
            out.push(b':');
        }
        out.push(open);
        Compound {
            out,
            first: true,
            close,
        }
    }

    fn separate(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        self.separate();
        value.serialize(Json(&mut *self.out))
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), GiveUp> {
        self.separate();
        push_json_str(self.out, key);
        self.out.push(b':');
        value.serialize(Json(&mut *self.out))
    }

    fn close(self) -> Result<(), GiveUp> {
        self.out.extend_from_slice(self.close);
        Ok(())
    }
}

macro_rules! elements {
    ($($trait:ident::$method:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = GiveUp;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
                self.element(value)
            }
            fn end(self) -> Result<(), GiveUp> {
                self.close()
            }
        })*
    };
}

elements! {
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
}

macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = GiveUp;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), GiveUp> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), GiveUp> {
                self.close()
            }
        })*
    };
}

fields! { SerializeStruct, SerializeStructVariant }

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = GiveUp;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), GiveUp> {
        self.separate();
        key.serialize(Key(&mut *self.out))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        self.out.push(b':');
        value.serialize(Json(&mut *self.out))
    }

    fn end(self) -> Result<(), GiveUp> {
        self.close()
    }
}

/// A map key: strings, chars, unit variants and integers (quoted), as
/// serde_json writes them; anything else is left to serde_json.
struct Key<'a>(&'a mut Vec<u8>);

macro_rules! give_up {
    ($($method:ident($($ty:ty),*);)*) => {
        $(fn $method(self, $(_: $ty),*) -> Result<(), GiveUp> {
            Err(GiveUp)
        })*
    };
}

impl ser::Serializer for Key<'_> {
    type Ok = ();
    type Error = GiveUp;
    type SerializeSeq = Impossible<(), GiveUp>;
    type SerializeTuple = Impossible<(), GiveUp>;
    type SerializeTupleStruct = Impossible<(), GiveUp>;
    type SerializeTupleVariant = Impossible<(), GiveUp>;
    type SerializeMap = Impossible<(), GiveUp>;
    type SerializeStruct = Impossible<(), GiveUp>;
    type SerializeStructVariant = Impossible<(), GiveUp>;

    ints! { true;
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128
    }

    give_up! {
        serialize_bool(bool);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
    }

    fn serialize_char(self, v: char) -> Result<(), GiveUp> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), GiveUp> {
        push_json_str(self.0, v);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), GiveUp> {
        Err(GiveUp)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), GiveUp> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), GiveUp> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), GiveUp> {
        Err(GiveUp)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, GiveUp> {
        Err(GiveUp)
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, GiveUp> {
        Err(GiveUp)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, GiveUp> {
        Err(GiveUp)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, GiveUp> {
        Err(GiveUp)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, GiveUp> {
        Err(GiveUp)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, GiveUp> {
        Err(GiveUp)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, GiveUp> {
        Err(GiveUp)
    }
}

#[cfg(test)]
mod tests;
