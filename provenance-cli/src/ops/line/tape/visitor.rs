//! The tape built by serde_json itself, through a `Visitor`: for the
//! lines the quick tokenizer leaves (escapes, unusual numbers, errors), so
//! serde_json decides those and reports their errors.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::nodes::{Node, Tape};
use crate::ops::line::envelope::envelope_slot;

/// Builds `tape` from `text` exactly as `serde_json::from_str` parses it.
///
/// # Errors
/// serde_json's error.
pub(super) fn parse(tape: &mut Tape, text: &str) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    Build {
        tape,
        base: text.as_ptr() as usize,
        root: true,
    }
    .deserialize(&mut de)?;
    de.end()
}

struct Build<'t> {
    tape: &'t mut Tape,
    base: usize,
    /// Building the top-level value: its keys are sorted into envelope
    /// and payload as they are read, so neither is searched for later.
    root: bool,
}

impl Build<'_> {
    fn again(&mut self) -> Build<'_> {
        Build {
            tape: self.tape,
            base: self.base,
            root: false,
        }
    }
}

/// A top-level key: pushed like any string, and its envelope slot (if it
/// names an envelope field) returned.
struct RootKey<'b, 't>(&'b mut Build<'t>);

impl<'de> DeserializeSeed<'de> for RootKey<'_, '_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RootKey<'_, '_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Option<usize>, E> {
        self.0.again().visit_borrowed_str::<E>(v)?;
        Ok(envelope_slot(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        self.0.again().visit_str::<E>(v)?;
        Ok(envelope_slot(v))
    }
}

impl<'de> DeserializeSeed<'de> for Build<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Build<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.tape.nodes.push(Node::Bool(v));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        // serde_json reports non-negative integers through visit_u64; keep
        // the same split a `Number` makes.
        self.tape.nodes.push(match u64::try_from(v) {
            Ok(u) => Node::U64(u),
            Err(_) => Node::I64(v),
        });
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.tape.nodes.push(Node::U64(v));
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.tape.nodes.push(Node::F64(v));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.tape.nodes.push(Node::Null);
        Ok(())
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<(), E> {
        self.tape.nodes.push(Node::Str {
            start: v.as_ptr() as usize - self.base,
            len: v.len(),
            escaped: false,
        });
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        let start = self.tape.scratch.len();
        self.tape.scratch.push_str(v);
        self.tape.nodes.push(Node::Str {
            start,
            len: v.len(),
            escaped: true,
        });
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let at = self.tape.nodes.len();
        self.tape.nodes.push(Node::Null);
        let mut len = 0;
        while seq.next_element_seed(self.again())?.is_some() {
            len += 1;
        }
        let end = self.tape.nodes.len();
        self.tape.nodes[at] = Node::Array { len, end };
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let at = self.tape.nodes.len();
        self.tape.nodes.push(Node::Null);
        let mut len = 0;
        if self.root {
            while let Some(slot) = map.next_key_seed(RootKey(&mut self))? {
                let key = self.tape.nodes.len() - 1;
                match slot {
                    Some(slot) => self.tape.envelope[slot] = Some(key + 1),
                    None => self.tape.payload_keys.push(key),
                }
                map.next_value_seed(self.again())?;
                len += 1;
            }
        } else {
            while map.next_key_seed(self.again())?.is_some() {
                map.next_value_seed(self.again())?;
                len += 1;
            }
        }
        let end = self.tape.nodes.len();
        self.tape.nodes[at] = Node::Object { len, end };
        Ok(())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.visit_str(&v)
    }
}
