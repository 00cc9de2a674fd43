//! Map keys: JSON object keys are strings, so only keys that serialize as
//! strings are accepted; anything else is refused with advice rather than
//! stringified the way serde_json does (where `1` and `"1"` collide).

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::path::Problem;

/// Serializes a map key: only string-like keys are accepted.
pub(super) struct KeySerializer;

/// Why a key of this kind is refused, and what to do instead.
fn bad_key(kind: impl std::fmt::Display) -> Problem {
    Problem::new(format!(
        "is a map with {kind} as a key, but JSON object keys must be strings \
         (config hashing does not stringify keys the way serde_json does, so that \
         1 and \"1\" can never collide); use String keys, or serialize the map as a \
         list of (key, value) pairs"
    ))
}

impl ser::Serializer for KeySerializer {
    type Ok = String;
    type Error = Problem;
    type SerializeSeq = Impossible<String, Problem>;
    type SerializeTuple = Impossible<String, Problem>;
    type SerializeTupleStruct = Impossible<String, Problem>;
    type SerializeTupleVariant = Impossible<String, Problem>;
    type SerializeMap = Impossible<String, Problem>;
    type SerializeStruct = Impossible<String, Problem>;
    type SerializeStructVariant = Impossible<String, Problem>;

    fn serialize_str(self, v: &str) -> Result<String, Problem> {
        Ok(v.to_owned())
    }

    fn serialize_char(self, v: char) -> Result<String, Problem> {
        Ok(v.to_string())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, Problem> {
        Ok(variant.to_owned())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, Problem> {
        value.serialize(self)
    }

    fn serialize_bool(self, v: bool) -> Result<String, Problem> {
        Err(bad_key(format_args!("the bool {v}")))
    }

    fn serialize_i8(self, v: i8) -> Result<String, Problem> {
        self.serialize_i128(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<String, Problem> {
        self.serialize_i128(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<String, Problem> {
        self.serialize_i128(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<String, Problem> {
        self.serialize_i128(v.into())
    }

    fn serialize_i128(self, v: i128) -> Result<String, Problem> {
        Err(bad_key(format_args!("the integer {v}")))
    }

    fn serialize_u8(self, v: u8) -> Result<String, Problem> {
        self.serialize_u128(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<String, Problem> {
        self.serialize_u128(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<String, Problem> {
        self.serialize_u128(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<String, Problem> {
        self.serialize_u128(v.into())
    }

    fn serialize_u128(self, v: u128) -> Result<String, Problem> {
        Err(bad_key(format_args!("the integer {v}")))
    }

    fn serialize_f32(self, v: f32) -> Result<String, Problem> {
        self.serialize_f64(v.into())
    }

    fn serialize_f64(self, v: f64) -> Result<String, Problem> {
        Err(bad_key(format_args!("the float {v}")))
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<String, Problem> {
        Err(bad_key("a byte string"))
    }

    fn serialize_none(self) -> Result<String, Problem> {
        Err(bad_key("None"))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<String, Problem> {
        Err(bad_key("an Option (Some)"))
    }

    fn serialize_unit(self) -> Result<String, Problem> {
        Err(bad_key("()"))
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<String, Problem> {
        Err(bad_key(format_args!("the unit struct {name}")))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _value: &T,
    ) -> Result<String, Problem> {
        Err(bad_key(format_args!(
            "the enum variant {name}::{variant}(..)"
        )))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Problem> {
        Err(bad_key("a sequence"))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Problem> {
        Err(bad_key("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Problem> {
        Err(bad_key(format_args!("the tuple struct {name}")))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Problem> {
        Err(bad_key(format_args!(
            "the enum variant {name}::{variant}(..)"
        )))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Problem> {
        Err(bad_key("a map"))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Problem> {
        Err(bad_key(format_args!("the struct {name}")))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Problem> {
        Err(bad_key(format_args!(
            "the enum variant {name}::{variant} {{..}}"
        )))
    }
}
