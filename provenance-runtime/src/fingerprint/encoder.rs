//! The encoder: writes each form of value fingerprint encoding v1 straight
//! into a running SHA-256, so no value is ever serialized into memory first.

use sha2::{Digest, Sha256};

use super::packed::{PackedElement, sealed::Packed};
use super::tag;
use crate::{ArrayData, Sha256Hash};

/// The bytes hashed before every value's encoding. They name the scheme and
/// its version: any change to the encoding gets a new prefix, so a v1
/// fingerprint can never be mistaken for another version's.
pub const VALUE_FINGERPRINT_PREFIX: &[u8] = b"provenance-fingerprint-v1\0";

/// A running value fingerprint: [`Fingerprint`](crate::Fingerprint) impls feed it their value's
/// canonical encoding (`docs/VALUE_FINGERPRINT.md`), and [`finish`](Self::finish)
/// returns the SHA-256.
///
/// Each `write_*` / `begin_*` method writes one complete form, tag included,
/// so an impl cannot produce an ambiguous encoding by forgetting a length.
///
/// ```
/// use ith_provenance::{Fingerprint, fingerprint::Fingerprinter};
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
    pub(super) fn without_prefix() -> Self {
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

    /// A numeric array as an array (tag 0x91): its element type, its shape
    /// and the SHA-256 [`fingerprint_array`](crate::fingerprint_array)
    /// records for it (numpy's `sha256(arr.tobytes())`), so a value holding
    /// an array can be checked against numpy without re-encoding the
    /// elements. `ndarray` arrays encode this way; call it for a container
    /// of your own that implements [`ArrayData`].
    ///
    /// ```
    /// use ith_provenance::{Fingerprint, fingerprint::Fingerprinter};
    ///
    /// let mut as_array = Fingerprinter::new();
    /// as_array.write_array(&[1.0_f64, 2.0]);
    /// // Not the packed sequence form a `Vec<f64>` gets.
    /// assert_ne!(as_array.finish(), vec![1.0_f64, 2.0].fingerprint());
    /// ```
    pub fn write_array<A>(&mut self, array: &A)
    where
        A: ArrayData + ?Sized,
        A::Elem: PackedElement,
    {
        let shape = array.shape();
        self.tagged(tag::ARRAY, &[<A::Elem as Packed>::TAG]);
        self.len(shape.len());
        for axis in shape {
            self.len(axis);
        }
        self.raw(crate::array::array_sha256(array).as_bytes());
    }

    pub(super) fn write_digests(&mut self, tag: u8, digests: impl Iterator<Item = Sha256Hash>) {
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
