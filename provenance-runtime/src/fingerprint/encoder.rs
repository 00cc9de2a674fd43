//! The encoder: writes each form of value fingerprint encoding v1 straight
//! into a running SHA-256, so no value is ever serialized into memory first.

use sha2::{Digest, Sha256};

use super::Fingerprint;
use super::packed::{PackedElement, sealed::Packed};
use crate::Sha256Hash;

/// The bytes hashed before every value's encoding. They name the scheme and
/// its version: any change to the encoding gets a new prefix, so a v1
/// fingerprint can never be mistaken for another version's.
pub const VALUE_FINGERPRINT_PREFIX: &[u8] = b"provenance-fingerprint-v1\0";

/// The one-byte type tags of encoding v1 (the table in
/// `docs/VALUE_FINGERPRINT.md`). Each is spent once and never reused.
pub(crate) mod tag {
    pub const UNIT: u8 = 0x01;
    pub const BOOL: u8 = 0x02;
    pub const CHAR: u8 = 0x03;
    pub const U8: u8 = 0x10;
    pub const U16: u8 = 0x11;
    pub const U32: u8 = 0x12;
    pub const U64: u8 = 0x13;
    pub const U128: u8 = 0x14;
    pub const I8: u8 = 0x18;
    pub const I16: u8 = 0x19;
    pub const I32: u8 = 0x1a;
    pub const I64: u8 = 0x1b;
    pub const I128: u8 = 0x1c;
    pub const F32: u8 = 0x20;
    pub const F64: u8 = 0x21;
    pub const STR: u8 = 0x30;
    pub const NONE: u8 = 0x40;
    pub const SOME: u8 = 0x41;
    pub const SEQ: u8 = 0x50;
    pub const PACKED_SEQ: u8 = 0x51;
    pub const TUPLE: u8 = 0x52;
    pub const MAP: u8 = 0x60;
    pub const SET: u8 = 0x61;
    pub const STRUCT: u8 = 0x70;
    pub const TUPLE_STRUCT: u8 = 0x71;
    pub const UNIT_STRUCT: u8 = 0x72;
    pub const VARIANT: u8 = 0x73;
    pub const DATE_TIME: u8 = 0x80;
    pub const NAIVE_DATE_TIME: u8 = 0x81;
    pub const NAIVE_DATE: u8 = 0x82;
    pub const NAIVE_TIME: u8 = 0x83;
    pub const SHA256: u8 = 0x90;
}

/// The quiet NaN every `f64` NaN is written as.
pub(crate) const CANONICAL_NAN_F64: u64 = 0x7ff8_0000_0000_0000;
/// The quiet NaN every `f32` NaN is written as.
pub(crate) const CANONICAL_NAN_F32: u32 = 0x7fc0_0000;

/// A running value fingerprint: [`Fingerprint`] impls feed it their value's
/// canonical encoding (`docs/VALUE_FINGERPRINT.md`), and [`finish`](Self::finish)
/// returns the SHA-256.
///
/// Each `write_*` / `begin_*` method writes one complete form, tag included,
/// so an impl cannot produce an ambiguous encoding by forgetting a length.
///
/// ```
/// use provenance_runtime::{Fingerprint, Fingerprinter};
///
/// let mut f = Fingerprinter::new();
/// f.write_some(&7_u32);
/// assert_eq!(f.finish(), Some(7_u32).fingerprint());
/// ```
#[derive(Clone)]
pub struct Fingerprinter {
    hasher: Sha256,
}

impl Default for Fingerprinter {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Fingerprinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fingerprinter").finish_non_exhaustive()
    }
}

impl Fingerprinter {
    /// A fingerprinter that has hashed [`VALUE_FINGERPRINT_PREFIX`] and
    /// waits for exactly one value.
    pub fn new() -> Self {
        Fingerprinter {
            hasher: Sha256::new_with_prefix(VALUE_FINGERPRINT_PREFIX),
        }
    }

    /// A fingerprinter without the prefix: map entries and set elements are
    /// hashed on their own, and only the whole value carries the version.
    fn without_prefix() -> Self {
        Fingerprinter {
            hasher: Sha256::new(),
        }
    }

    /// The SHA-256 of the prefix and everything written.
    pub fn finish(self) -> Sha256Hash {
        Sha256Hash::finish(self.hasher)
    }

    pub(super) fn raw(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
    }

    fn tagged(&mut self, tag: u8, bytes: &[u8]) {
        self.hasher.update([tag]);
        self.hasher.update(bytes);
    }

    /// Lengths and counts: always 8 bytes, whatever the word size.
    pub(super) fn len(&mut self, len: usize) {
        self.raw(&(len as u64).to_le_bytes());
    }

    /// Writes any value: `f.write(&x)` is `x.write_fingerprint(f)`.
    pub fn write<T: Fingerprint + ?Sized>(&mut self, value: &T) {
        value.write_fingerprint(self);
    }

    /// `()`.
    pub fn write_unit(&mut self) {
        self.raw(&[tag::UNIT]);
    }

    /// A `bool`, as one byte 0 or 1.
    pub fn write_bool(&mut self, v: bool) {
        self.tagged(tag::BOOL, &[u8::from(v)]);
    }

    /// A `char`, as its scalar value (`u32`).
    pub fn write_char(&mut self, v: char) {
        self.tagged(tag::CHAR, &u32::from(v).to_le_bytes());
    }

    /// A string: its UTF-8 bytes after their length.
    pub fn write_str(&mut self, v: &str) {
        self.raw(&[tag::STR]);
        self.len(v.len());
        self.raw(v.as_bytes());
    }

    /// An `f32`; every NaN is written as the quiet NaN `0x7fc00000`, while
    /// `-0.0` and `0.0` stay different.
    pub fn write_f32(&mut self, v: f32) {
        self.tagged(tag::F32, &Packed::to_le(v));
    }

    /// An `f64`; every NaN is written as the quiet NaN `0x7ff8000000000000`,
    /// while `-0.0` and `0.0` stay different.
    pub fn write_f64(&mut self, v: f64) {
        self.tagged(tag::F64, &Packed::to_le(v));
    }

    /// `None`.
    pub fn write_none(&mut self) {
        self.raw(&[tag::NONE]);
    }

    /// `Some(value)`.
    pub fn write_some<T: Fingerprint + ?Sized>(&mut self, value: &T) {
        self.raw(&[tag::SOME]);
        value.write_fingerprint(self);
    }

    /// A slice, through [`Fingerprint::write_fingerprint_slice`]: the packed
    /// form for primitive numbers and `bool`, the generic form otherwise.
    pub fn write_slice<T: Fingerprint>(&mut self, items: &[T]) {
        T::write_fingerprint_slice(items, self);
    }

    /// A sequence given by an iterator, encoded exactly as the slice of the
    /// same elements (through [`Fingerprint::write_fingerprint_iter`]).
    /// The iterator must yield exactly `len()` items.
    pub fn write_seq<'a, T, I>(&mut self, items: I)
    where
        T: Fingerprint + 'a,
        I: IntoIterator<Item = &'a T>,
        I::IntoIter: ExactSizeIterator,
    {
        T::write_fingerprint_iter(items.into_iter(), self);
    }

    /// The header of the generic sequence form; the `len` elements' own
    /// encodings must follow. Prefer [`write_slice`](Self::write_slice) or
    /// [`write_seq`](Self::write_seq), which pick the packed form for
    /// primitive numbers so a custom collection equals a `Vec` of the same
    /// elements.
    pub fn write_seq_header(&mut self, len: usize) {
        self.raw(&[tag::SEQ]);
        self.len(len);
    }

    /// A slice of primitive numbers or `bool` in the packed form, hashed in
    /// chunks of contiguous little-endian bytes rather than element by
    /// element.
    pub fn write_packed<T: PackedElement>(&mut self, items: &[T]) {
        self.tagged(tag::PACKED_SEQ, &[T::TAG]);
        self.len(items.len());
        T::feed(items, &mut self.hasher);
    }

    /// The packed form from an iterator (a `VecDeque`'s two halves): copied
    /// through a small buffer, one hash update per buffer. The iterator must
    /// yield exactly `len()` items.
    pub fn write_packed_iter<'a, T, I>(&mut self, items: I)
    where
        T: PackedElement + 'a,
        I: IntoIterator<Item = &'a T>,
        I::IntoIter: ExactSizeIterator,
    {
        let items = items.into_iter();
        self.tagged(tag::PACKED_SEQ, &[T::TAG]);
        self.len(items.len());
        super::packed::feed_iter(items.copied(), &mut self.hasher);
    }

    /// A map, independent of iteration order: each entry is hashed on its
    /// own (key then value), and the sorted entry digests are written.
    pub fn write_map<'a, K, V, I>(&mut self, entries: I)
    where
        K: Fingerprint + ?Sized + 'a,
        V: Fingerprint + ?Sized + 'a,
        I: IntoIterator<Item = (&'a K, &'a V)>,
    {
        let digests = entries.into_iter().map(|(key, value)| {
            let mut entry = Fingerprinter::without_prefix();
            key.write_fingerprint(&mut entry);
            value.write_fingerprint(&mut entry);
            entry.finish()
        });
        self.write_digests(tag::MAP, digests);
    }

    /// A set, independent of iteration order: each element is hashed on its
    /// own, and the sorted element digests are written.
    pub fn write_set<'a, T, I>(&mut self, elements: I)
    where
        T: Fingerprint + ?Sized + 'a,
        I: IntoIterator<Item = &'a T>,
    {
        let digests = elements.into_iter().map(|element| {
            let mut entry = Fingerprinter::without_prefix();
            element.write_fingerprint(&mut entry);
            entry.finish()
        });
        self.write_digests(tag::SET, digests);
    }

    fn write_digests(&mut self, tag: u8, digests: impl Iterator<Item = Sha256Hash>) {
        let mut digests: Vec<Sha256Hash> = digests.collect();
        digests.sort_unstable();
        self.raw(&[tag]);
        self.len(digests.len());
        for digest in &digests {
            self.raw(digest.as_bytes());
        }
    }

    /// An instant: seconds and nanoseconds since 1970-01-01T00:00:00Z.
    pub(crate) fn write_date_time(&mut self, tag: u8, seconds: i64, nanos: u32) {
        self.tagged(tag, &seconds.to_le_bytes());
        self.raw(&nanos.to_le_bytes());
    }
}

macro_rules! write_ints {
    ($($method:ident: $t:ty => $tag:expr;)*) => {
        impl Fingerprinter {
            $(
                #[doc = concat!("A `", stringify!($t), "`, little-endian.")]
                pub fn $method(&mut self, v: $t) {
                    self.tagged($tag, &v.to_le_bytes());
                }
            )*

            /// A `usize`, written exactly as the same `u64`, so 32- and
            /// 64-bit targets agree.
            pub fn write_usize(&mut self, v: usize) {
                self.write_u64(v as u64);
            }

            /// An `isize`, written exactly as the same `i64`.
            pub fn write_isize(&mut self, v: isize) {
                self.write_i64(v as i64);
            }
        }
    };
}

write_ints! {
    write_u8: u8 => tag::U8;
    write_u16: u16 => tag::U16;
    write_u32: u32 => tag::U32;
    write_u64: u64 => tag::U64;
    write_u128: u128 => tag::U128;
    write_i8: i8 => tag::I8;
    write_i16: i16 => tag::I16;
    write_i32: i32 => tag::I32;
    write_i64: i64 => tag::I64;
    write_i128: i128 => tag::I128;
}
