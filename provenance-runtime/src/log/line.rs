//! Builds one NDJSON line — envelope, then the payload's fields flat beside
//! it — in a reused buffer.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::ser::{CompactFormatter, Formatter};

use super::LogError;
use super::clock::push_timestamp;
use super::finite::{non_finite_name, serialize_finite};
use crate::Event;
use crate::events::ENVELOPE_FIELDS;

/// The parts of the envelope that are the same on every line of a session,
/// JSON-escaped once when the log opens.
#[derive(Debug)]
pub(crate) struct Envelope {
    /// `"session_id":"…"` with its leading comma.
    session: Vec<u8>,
    /// `,"experiment_id":"…"` or empty.
    experiment: Vec<u8>,
}

impl Envelope {
    pub(crate) fn new(session_id: &str, experiment_id: Option<&str>) -> Self {
        let mut session = b",\"session_id\":".to_vec();
        push_json_str(&mut session, session_id);
        let mut experiment = Vec::new();
        if let Some(id) = experiment_id {
            experiment.extend_from_slice(b",\"experiment_id\":");
            push_json_str(&mut experiment, id);
        }
        Envelope {
            session,
            experiment,
        }
    }
}

/// Appends `s` as a JSON string, escaped exactly as serde_json escapes it.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    push_json_str_contents(out, s);
    out.push(b'"');
}

/// serde_json escapes `"`, `\\` and the control characters, nothing else.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any byte of `bytes` needs escaping, eight bytes at a time (the
/// "has zero byte" / "has byte less than" tricks: exact for the question
/// "is there one", which is all this asks).
fn any_needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let flags = |word: &[u8]| {
        let w = u64::from_ne_bytes(word.try_into().expect("8 bytes"));
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        (w.wrapping_sub(ONES * 0x20) & !w)
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
    };
    if bytes.len() < 8 {
        return bytes.iter().any(|&b| needs_escape(b));
    }
    let words = bytes.chunks_exact(8);
    // The last word overlaps the others so no byte is checked alone.
    let last = flags(&bytes[bytes.len() - 8..]);
    words.fold(last, |found, word| found | flags(word)) & HIGH != 0
}

fn push_json_str_contents(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if !any_needs_escape(bytes) {
        out.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !needs_escape(b) {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x09 => b't',
            0x0a => b'n',
            0x0c => b'f',
            0x0d => b'r',
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 0xf)],
                ];
                out.extend_from_slice(&code);
                continue;
            }
        };
        out.extend_from_slice(&[b'\\', short]);
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Appends one complete line (ending in `\n`) for `event` to `out`. On error
/// `out` is left exactly as it was.
pub(crate) fn encode_line<E: Event + ?Sized>(
    out: &mut Vec<u8>,
    envelope: &Envelope,
    ts_micros: i64,
    seq: u64,
    event: &E,
    check_fields: bool,
) -> Result<(), LogError> {
    let line_start = out.len();
    out.extend_from_slice(b"{\"ts\":\"");
    push_timestamp(out, ts_micros);
    out.extend_from_slice(b"\",\"event_type\":");
    push_json_str(out, E::EVENT_TYPE);
    out.extend_from_slice(&envelope.session);
    out.extend_from_slice(b",\"seq\":");
    out.extend_from_slice(itoa::Buffer::new().format(seq).as_bytes());
    out.extend_from_slice(&envelope.experiment);

    let payload_start = out.len();
    let encoded = match event.serialize(Json(&mut *out)) {
        Ok(()) => Ok(()),
        Err(GiveUp) => {
            // A shape the fast writer leaves to serde_json, or an error
            // (which serde_json reports in its own words).
            out.truncate(payload_start);
            serialize_finite(event, &mut serde_json::Serializer::new(&mut *out))
        }
    };
    let result = encoded
        .map_err(|e| LogError::Serialize {
            event_type: E::EVENT_TYPE,
            message: e.to_string(),
        })
        .and_then(|()| {
            if check_fields {
                check_payload(&out[payload_start..], E::EVENT_TYPE)
            } else if out.get(payload_start) == Some(&b'{') {
                Ok(())
            } else {
                Err(LogError::NotAnObject {
                    event_type: E::EVENT_TYPE,
                })
            }
        });
    if let Err(e) = result {
        out.truncate(line_start);
        return Err(e);
    }
    if out.len() - payload_start == 2 {
        // `{}`: no payload fields; close the envelope.
        out.truncate(payload_start);
        out.push(b'}');
    } else {
        // `{"a":…}` becomes `,"a":…}` continuing the envelope's object.
        out[payload_start] = b',';
    }
    out.push(b'\n');
    Ok(())
}

/// Checks, once per event type and log, that the payload is an object whose
/// fields do not reuse an envelope name (which would make the line
/// ambiguous: two `seq` keys).
fn check_payload(payload: &[u8], event_type: &'static str) -> Result<(), LogError> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(payload).map_err(|_| LogError::NotAnObject { event_type })?;
    match ENVELOPE_FIELDS.iter().find(|f| object.contains_key(**f)) {
        Some(field) => Err(LogError::EnvelopeField { event_type, field }),
        None => Ok(()),
    }
}

/// The payload writer: what serde_json writes through
/// [`serialize_finite`] (non-finite floats as strings), byte for byte,
/// without serde_json's byte-at-a-time escaping and per-fragment writes or
/// the adapter's `to_string` for `collect_str`, which were most of the cost
/// of `emit`. Byte strings, map keys other than strings and integers,
/// serde_json's private tokens and every error make it give up, and the
/// payload is encoded again by serde_json (so a `Serialize` impl runs twice
/// only when it fails or uses those).
struct Json<'a>(&'a mut Vec<u8>);

/// Why [`Json`] stopped: see its documentation.
#[derive(Debug)]
struct GiveUp;

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
        match non_finite_name(f64::from(v)) {
            Some(name) => self.serialize_str(name),
            None => CompactFormatter.write_f32(self.0, v).map_err(|_| GiveUp),
        }
    }

    fn serialize_f64(self, v: f64) -> Result<(), GiveUp> {
        match non_finite_name(v) {
            Some(name) => self.serialize_str(name),
            None => CompactFormatter.write_f64(self.0, v).map_err(|_| GiveUp),
        }
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
        _name: &'static str,
        value: &T,
    ) -> Result<(), GiveUp> {
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
struct Compound<'a> {
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
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    /// The fast writer's bytes, or `None` when it gave up.
    fn fast<T: Serialize + ?Sized>(value: &T) -> Option<String> {
        let mut out = Vec::new();
        value.serialize(Json(&mut out)).ok()?;
        Some(String::from_utf8(out).unwrap())
    }

    fn reference<T: Serialize + ?Sized>(value: &T) -> String {
        let mut out = Vec::new();
        serialize_finite(value, &mut serde_json::Serializer::new(&mut out)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[track_caller]
    fn same<T: Serialize + ?Sized>(value: &T) {
        let expected = reference(value);
        assert_eq!(fast(value).as_deref(), Some(expected.as_str()));
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(f64),
        Tuple(u8, Option<i32>),
        Struct {
            #[serde(rename = "a\"b")]
            a: Vec<()>,
        },
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Newtype(&'static str);

    #[derive(Serialize)]
    struct Everything {
        b: (bool, bool),
        ints: (i8, i16, i32, i64, i128, u8, u16, u32, u64, u128),
        floats: (f32, f64, f64, f64, f64, f32),
        c: char,
        none: Option<u8>,
        unit: (),
        unit_struct: Unit,
        newtype: Newtype,
        shapes: Vec<Shape>,
        empty: (Vec<u8>, BTreeMap<String, u8>),
        keys: (BTreeMap<u64, i8>, BTreeMap<char, u8>, BTreeMap<i128, ()>),
        nested_floats: BTreeMap<&'static str, Vec<Option<f32>>>,
        value: serde_json::Value,
        display: Displayed,
    }

    struct Displayed;

    impl Serialize for Displayed {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(&format_args!("tab\there \"quoted\" {}", '\u{1}'))
        }
    }

    #[test]
    fn writes_what_serde_json_writes() {
        same(&Everything {
            b: (true, false),
            ints: (
                i8::MIN,
                -7,
                i32::MAX,
                i64::MIN,
                i128::MIN,
                0,
                9,
                u32::MAX,
                u64::MAX,
                u128::MAX,
            ),
            floats: (0.1, -0.0, 1e300, 5e-324, f64::NAN, f32::NEG_INFINITY),
            c: '"',
            none: None,
            unit: (),
            unit_struct: Unit,
            newtype: Newtype("x"),
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(f64::INFINITY),
                Shape::Tuple(1, Some(-2)),
                Shape::Struct { a: vec![(), ()] },
            ],
            empty: (Vec::new(), BTreeMap::new()),
            keys: (
                BTreeMap::from([(1, -1), (u64::MAX, 2)]),
                BTreeMap::from([('\n', 1)]),
                BTreeMap::from([(-5, ())]),
            ),
            nested_floats: BTreeMap::from([("x", vec![Some(f32::NAN), None, Some(2.5)])]),
            value: serde_json::json!({"a": [1, -2, 3.5, null, true, "s\\"], "b": {}}),
            display: Displayed,
        });
    }

    #[test]
    fn escapes_every_string_as_serde_json_does() {
        let all: String = (0..=0x7f_u8).map(char::from).collect();
        same(&all);
        same("ünïcødé ✓ 𝄞 \u{7f}\u{80}");
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2_000 {
            let s: String = (0..(x % 40))
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    match x % 5 {
                        0 => char::from((x >> 8) as u8 % 0x20),
                        1 => ['"', '\\', '/', 'é'][(x >> 8) as usize % 4],
                        _ => char::from(b' ' + (x >> 8) as u8 % 95),
                    }
                })
                .collect();
            same(&s);
            same(&BTreeMap::from([(s.clone(), s)]));
        }
    }

    #[test]
    fn leaves_other_shapes_to_serde_json() {
        // Keys serde_json writes (or rejects) in its own way.
        assert_eq!(fast(&BTreeMap::from([(true, 1)])), None);
        assert_eq!(fast(&BTreeMap::from([(vec![1], 1)])), None);
        assert_eq!(fast(&BTreeMap::from([(Some(1), 1)])), None);
        struct Bytes;
        impl Serialize for Bytes {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(b"ab")
            }
        }
        assert_eq!(fast(&Bytes), None);
        assert_eq!(reference(&Bytes), "[97,98]");
    }
}
