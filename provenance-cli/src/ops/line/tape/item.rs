//! Reading a tape: values, object entries (a line's payload without its
//! envelope fields) and conversion back to `serde_json::Value`.

use serde_json::{Map, Number, Value};

use super::nodes::{Doc, Node};
use crate::ops::line::envelope::is_envelope_field;

/// One value of a document.
#[derive(Clone, Copy)]
pub struct Item<'a> {
    doc: Doc<'a>,
    at: usize,
    /// The line's top-level object seen as its payload: envelope fields
    /// are not among its entries.
    payload: bool,
}

impl<'a> Doc<'a> {
    /// The envelope field `ENVELOPE[slot]` of the top-level object.
    pub fn envelope(self, slot: usize) -> Option<Item<'a>> {
        self.envelope[slot].map(|at| self.root().at(at))
    }

    /// The top-level object without its envelope fields: what
    /// `crate::ops::line::parse` leaves as the payload.
    pub fn payload(self) -> Item<'a> {
        Item {
            payload: true,
            ..self.root()
        }
    }

    /// The top-level value.
    pub fn root(self) -> Item<'a> {
        Item {
            doc: self,
            at: 0,
            payload: false,
        }
    }
}

impl<'a> Item<'a> {
    /// The node.
    pub fn node(self) -> Node {
        self.doc.nodes[self.at]
    }

    fn next(self) -> usize {
        match self.node() {
            Node::Array { end, .. } | Node::Object { end, .. } => end,
            _ => self.at + 1,
        }
    }

    fn at(self, at: usize) -> Item<'a> {
        Item {
            doc: self.doc,
            at,
            payload: false,
        }
    }

    /// The text, when a string.
    pub fn as_str(self) -> Option<&'a str> {
        match self.node() {
            Node::Str {
                start,
                len,
                escaped,
            } => {
                let source = if escaped {
                    self.doc.scratch
                } else {
                    self.doc.text
                };
                Some(&source[start..start + len])
            }
            _ => None,
        }
    }

    /// The value, when a non-negative integer.
    pub fn as_u64(self) -> Option<u64> {
        match self.node() {
            Node::U64(u) => Some(u),
            _ => None,
        }
    }

    /// The value as `f64`, when a number (as `Value::as_f64`).
    pub fn as_f64(self) -> Option<f64> {
        match self.node() {
            Node::U64(u) => Some(u as f64),
            Node::I64(i) => Some(i as f64),
            Node::F64(f) => Some(f),
            _ => None,
        }
    }

    /// The elements, when an array.
    pub fn elements(self) -> impl Iterator<Item = Item<'a>> {
        let len = match self.node() {
            Node::Array { len, .. } => len,
            _ => 0,
        };
        let mut next = self.at + 1;
        (0..len).map(move |_| {
            let item = self.at(next);
            next = item.next();
            item
        })
    }

    /// The entries (key, value) in the order written, duplicates included,
    /// when an object.
    pub fn entries(self) -> Entries<'a> {
        let len = match self.node() {
            Node::Object { len, .. } => len,
            _ => 0,
        };
        Entries {
            item: self,
            next: self.at + 1,
            left: len,
            keys: self.payload.then_some(self.doc.payload_keys),
        }
    }

    /// The value of `key` (the last one, as a `Map` keeps), when an object.
    pub fn get(self, key: &str) -> Option<Item<'a>> {
        if self.payload && is_envelope_field(key) {
            return None;
        }
        let mut found = None;
        let mut entries = self.entries();
        while let Some(at) = entries.next_key() {
            // Most keys differ in length: skip them without comparing text.
            if matches!(self.doc.nodes[at], Node::Str { len, .. } if len == key.len())
                && self.at(at).as_str() == Some(key)
            {
                found = Some(self.at(at + 1));
            }
        }
        found
    }

    /// The first key written twice in one object, anywhere in the line
    /// this value belongs to (envelope fields included, when it is a
    /// payload), as the JSON pointer of the object and the key. A `Map`
    /// keeps the last value and other readers the first or neither, so
    /// such a line means different things to different readers.
    pub fn duplicate_key(self) -> Option<(String, &'a str)> {
        let whole = Item {
            payload: false,
            ..self
        };
        let mut path = Vec::new();
        let key = whole.find_duplicate(&mut path)?;
        let pointer = path.iter().fold(String::new(), |mut p, step| {
            p.push('/');
            match step {
                Step::Key(k) => p.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Step::Index(i) => p.push_str(&i.to_string()),
            }
            p
        });
        Some((pointer, key))
    }

    /// The first duplicate key below `self`, with `path` left at the
    /// object holding it.
    fn find_duplicate(self, path: &mut Vec<Step<'a>>) -> Option<&'a str> {
        match self.node() {
            Node::Object { len, .. } => {
                let mut seen = std::collections::HashSet::with_capacity(len);
                for (key, value) in self.entries() {
                    if !seen.insert(key) {
                        return Some(key);
                    }
                    path.push(Step::Key(key));
                    if let Some(found) = value.find_duplicate(path) {
                        return Some(found);
                    }
                    path.pop();
                }
                None
            }
            Node::Array { .. } => {
                for (i, element) in self.elements().enumerate() {
                    path.push(Step::Index(i));
                    if let Some(found) = element.find_duplicate(path) {
                        return Some(found);
                    }
                    path.pop();
                }
                None
            }
            _ => None,
        }
    }

    /// Builds the `Value` serde_json would have built.
    pub fn to_value(self) -> Value {
        match self.node() {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::U64(u) => Value::Number(u.into()),
            Node::I64(i) => Value::Number(i.into()),
            Node::F64(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
            Node::Str { .. } => Value::String(self.as_str().unwrap_or_default().to_string()),
            Node::Array { .. } => Value::Array(self.elements().map(Item::to_value).collect()),
            Node::Object { .. } => Value::Object(self.to_map(|_| true)),
        }
    }

    /// The entries whose key passes `keep`, as a `Map` (later duplicates
    /// replace earlier ones, as serde_json does).
    pub fn to_map(self, keep: impl Fn(&str) -> bool) -> Map<String, Value> {
        self.entries()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (k.to_string(), v.to_value()))
            .collect()
    }
}

/// One step of a JSON pointer.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The entries of an object, see [`Item::entries`].
pub struct Entries<'a> {
    item: Item<'a>,
    next: usize,
    left: usize,
    /// The payload's entries, when iterating a payload.
    keys: Option<&'a [usize]>,
}

impl Entries<'_> {
    /// The node index of the next key.
    fn next_key(&mut self) -> Option<usize> {
        Some(match &mut self.keys {
            Some(keys) => {
                let (&key, rest) = keys.split_first()?;
                *keys = rest;
                key
            }
            None => {
                self.left = self.left.checked_sub(1)?;
                let key = self.next;
                self.next = self.item.at(key + 1).next();
                key
            }
        })
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = (&'a str, Item<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let key = self.next_key()?;
        let name = self.item.at(key).as_str().unwrap_or_default();
        Some((name, self.item.at(key + 1)))
    }
}
