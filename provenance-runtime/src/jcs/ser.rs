//! Our `serde::Serializer`: any `Serialize` value into a canonical [`Node`]
//! tree, mapped the way `serde_json` maps it, but refusing what JSON cannot
//! hold instead of writing something else.

use serde::Serialize;
use serde::ser;

use super::key::KeySerializer;
use super::magic::{self, Resolved};
use super::node::Node;
use super::path::Problem;

/// Serializes one value into a [`Node`].
pub(super) struct NodeSerializer;

impl ser::Serializer for NodeSerializer {
    type Ok = Node;
    type Error = Problem;
    type SerializeSeq = ArrayBuilder;
    type SerializeTuple = ArrayBuilder;
    type SerializeTupleStruct = ArrayBuilder;
    type SerializeTupleVariant = VariantBuilder<ArrayBuilder>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = StructBuilder;
    type SerializeStructVariant = VariantBuilder<StructBuilder>;

    fn serialize_bool(self, v: bool) -> Result<Node, Problem> {
        Ok(Node::Bool(v))
    }

    fn serialize_i8(self, v: i8) -> Result<Node, Problem> {
        Ok(Node::Signed(v.into()))
    }

    fn serialize_i16(self, v: i16) -> Result<Node, Problem> {
        Ok(Node::Signed(v.into()))
    }

    fn serialize_i32(self, v: i32) -> Result<Node, Problem> {
        Ok(Node::Signed(v.into()))
    }

    fn serialize_i64(self, v: i64) -> Result<Node, Problem> {
        Ok(Node::Signed(v.into()))
    }

    fn serialize_i128(self, v: i128) -> Result<Node, Problem> {
        Ok(Node::Signed(v))
    }

    fn serialize_u8(self, v: u8) -> Result<Node, Problem> {
        Ok(Node::Unsigned(v.into()))
    }

    fn serialize_u16(self, v: u16) -> Result<Node, Problem> {
        Ok(Node::Unsigned(v.into()))
    }

    fn serialize_u32(self, v: u32) -> Result<Node, Problem> {
        Ok(Node::Unsigned(v.into()))
    }

    fn serialize_u64(self, v: u64) -> Result<Node, Problem> {
        Ok(Node::Unsigned(v.into()))
    }

    fn serialize_u128(self, v: u128) -> Result<Node, Problem> {
        Ok(Node::Unsigned(v))
    }

    /// Widened to `f64` exactly, as `serde_json::to_value` does: `0.1_f32`
    /// becomes 0.10000000149011612.
    fn serialize_f32(self, v: f32) -> Result<Node, Problem> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<Node, Problem> {
        if v.is_nan() {
            Err(Problem::new(
                "is NaN, which JSON cannot hold; replace it (for example with None) \
                 or skip the field with #[serde(skip)]",
            ))
        } else if v.is_infinite() {
            let sign = if v > 0.0 { '+' } else { '-' };
            Err(Problem::new(format!(
                "is {sign}infinity, which JSON cannot hold; replace it (for example with \
                 f64::MAX or None) or skip the field with #[serde(skip)]"
            )))
        } else {
            Ok(Node::Float(v))
        }
    }

    fn serialize_char(self, v: char) -> Result<Node, Problem> {
        Ok(Node::String(v.to_string()))
    }

    fn serialize_str(self, v: &str) -> Result<Node, Problem> {
        Ok(Node::String(v.to_owned()))
    }

    /// An array of numbers, as serde_json writes bytes.
    fn serialize_bytes(self, v: &[u8]) -> Result<Node, Problem> {
        Ok(Node::Array(
            v.iter().map(|&b| Node::Unsigned(b.into())).collect(),
        ))
    }

    fn serialize_none(self) -> Result<Node, Problem> {
        Ok(Node::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, Problem> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Node, Problem> {
        Ok(Node::Null)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Node, Problem> {
        Ok(Node::Null)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Node, Problem> {
        Ok(Node::String(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Node, Problem> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, Problem> {
        let inner = value
            .serialize(NodeSerializer)
            .map_err(|e| e.inside_key(variant))?;
        Ok(Node::Object(vec![(variant.to_owned(), inner)]))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<ArrayBuilder, Problem> {
        Ok(ArrayBuilder::with_capacity(len.unwrap_or(0)))
    }

    fn serialize_tuple(self, len: usize) -> Result<ArrayBuilder, Problem> {
        Ok(ArrayBuilder::with_capacity(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<ArrayBuilder, Problem> {
        Ok(ArrayBuilder::with_capacity(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<ArrayBuilder>, Problem> {
        Ok(VariantBuilder {
            variant,
            inner: ArrayBuilder::with_capacity(len),
        })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, Problem> {
        Ok(MapBuilder {
            members: Vec::with_capacity(capped(len.unwrap_or(0))),
            pending_key: None,
        })
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<StructBuilder, Problem> {
        Ok(StructBuilder {
            members: Vec::with_capacity(capped(len)),
            serde_json_token: magic::is_token(name).then_some(name),
        })
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<StructBuilder>, Problem> {
        Ok(VariantBuilder {
            variant,
            inner: StructBuilder {
                members: Vec::with_capacity(capped(len)),
                serde_json_token: None,
            },
        })
    }
}

/// A size hint from a `Serialize` impl is only a hint: never reserve more
/// than this up front.
fn capped(len: usize) -> usize {
    len.min(4096)
}

/// The elements of a sequence, tuple or tuple struct.
pub(super) struct ArrayBuilder {
    items: Vec<Node>,
}

impl ArrayBuilder {
    fn with_capacity(len: usize) -> Self {
        ArrayBuilder {
            items: Vec::with_capacity(capped(len)),
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        let index = self.items.len();
        let node = value
            .serialize(NodeSerializer)
            .map_err(|e| e.inside_index(index))?;
        self.items.push(node);
        Ok(())
    }
}

impl ser::SerializeSeq for ArrayBuilder {
    type Ok = Node;
    type Error = Problem;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        self.push(value)
    }

    fn end(self) -> Result<Node, Problem> {
        Ok(Node::Array(self.items))
    }
}

impl ser::SerializeTuple for ArrayBuilder {
    type Ok = Node;
    type Error = Problem;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        self.push(value)
    }

    fn end(self) -> Result<Node, Problem> {
        Ok(Node::Array(self.items))
    }
}

impl ser::SerializeTupleStruct for ArrayBuilder {
    type Ok = Node;
    type Error = Problem;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        self.push(value)
    }

    fn end(self) -> Result<Node, Problem> {
        Ok(Node::Array(self.items))
    }
}

/// The fields of a struct (or struct variant).
pub(super) struct StructBuilder {
    members: Vec<(String, Node)>,
    /// Set when this is one of serde_json's private structs.
    serde_json_token: Option<&'static str>,
}

impl ser::SerializeStruct for StructBuilder {
    type Ok = Node;
    type Error = Problem;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Problem> {
        let node = value
            .serialize(NodeSerializer)
            .map_err(|e| e.inside_key(key))?;
        self.members.push((key.to_owned(), node));
        Ok(())
    }

    fn end(self) -> Result<Node, Problem> {
        match self.serde_json_token {
            Some(token) => match magic::resolve(token, self.members)? {
                Resolved::Number(node) => Ok(node),
                Resolved::Json(value) => value.serialize(NodeSerializer),
            },
            None => Node::object(self.members),
        }
    }
}

/// The entries of a map (also how `#[serde(flatten)]` structs arrive).
pub(super) struct MapBuilder {
    members: Vec<(String, Node)>,
    /// The key given to `serialize_key`, waiting for its value.
    pending_key: Option<String>,
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Node;
    type Error = Problem;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Problem> {
        if self.pending_key.is_some() {
            return Err(misused_map());
        }
        self.pending_key = Some(key.serialize(KeySerializer)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        let key = self.pending_key.take().ok_or_else(misused_map)?;
        match value.serialize(NodeSerializer) {
            Ok(node) => {
                self.members.push((key, node));
                Ok(())
            }
            Err(e) => Err(e.inside_key(&key)),
        }
    }

    fn end(self) -> Result<Node, Problem> {
        if self.pending_key.is_some() {
            return Err(misused_map());
        }
        Node::object(self.members)
    }
}

/// A `Serialize` impl broke serde's contract (keys and values must
/// alternate); refuse rather than guess.
fn misused_map() -> Problem {
    Problem::new(
        "is a map whose Serialize impl did not alternate serialize_key and serialize_value; \
         fix that impl",
    )
}

/// The payload of a tuple or struct variant, written as
/// `{"Variant": payload}`.
pub(super) struct VariantBuilder<B> {
    variant: &'static str,
    inner: B,
}

impl ser::SerializeTupleVariant for VariantBuilder<ArrayBuilder> {
    type Ok = Node;
    type Error = Problem;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Problem> {
        let variant = self.variant;
        self.inner.push(value).map_err(|e| e.inside_key(variant))
    }

    fn end(self) -> Result<Node, Problem> {
        let payload = ser::SerializeSeq::end(self.inner)?;
        Ok(Node::Object(vec![(self.variant.to_owned(), payload)]))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<StructBuilder> {
    type Ok = Node;
    type Error = Problem;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Problem> {
        let variant = self.variant;
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
            .map_err(|e| e.inside_key(variant))
    }

    fn end(self) -> Result<Node, Problem> {
        let variant = self.variant;
        let payload = ser::SerializeStruct::end(self.inner).map_err(|e| e.inside_key(variant))?;
        Ok(Node::Object(vec![(variant.to_owned(), payload)]))
    }
}
