//! The packed sequence form: slices of primitive numbers and `bool` hashed as
//! contiguous little-endian bytes, at close to SHA-256's own speed.
//!
//! On little-endian targets a slice of integers or `bool` already is its
//! encoding, so it goes to SHA-256 as it is (through `bytemuck`, without
//! `unsafe`). Floats, whose NaNs must be made canonical, big-endian targets,
//! 32-bit `usize` and iterators are copied element by element through a small
//! buffer. (Floats once went straight from memory too, after a scan for NaN;
//! `benches/fast_paths.rs` found that no faster than the copy, so the copy is
//! their only path: `docs/FAST_PATHS.md`.)

use sha2::{Digest, Sha256};

use super::tag::{self, CANONICAL_NAN_F32, CANONICAL_NAN_F64};

/// The element types with a packed sequence form: every integer type
/// (`usize`/`isize` as `u64`/`i64`), `f32`, `f64` and `bool`.
///
/// Sealed: the packed form is part of the encoding, so it cannot be extended
/// outside this crate. Use it through [`Fingerprinter::write_packed`](crate::Fingerprinter::write_packed).
pub trait PackedElement: sealed::Packed {}

/// Bytes of the copy buffer; a multiple of every element width.
const BUFFER: usize = 16 * 1024;

pub(crate) mod sealed {
    use sha2::Sha256;

    pub trait Packed: Copy + 'static {
        /// The element type's tag, written once after the packed-sequence tag.
        const TAG: u8;
        /// The encoded bytes of one element.
        type Le: AsRef<[u8]>;
        /// One element's canonical little-endian bytes.
        fn to_le(self) -> Self::Le;
        /// Hashes the canonical bytes of all `items`.
        fn feed(items: &[Self], hasher: &mut Sha256);
    }
}

/// Copies the canonical bytes of `items` through a buffer, one hash update per
/// full buffer.
pub(crate) fn feed_iter<T: sealed::Packed>(items: impl Iterator<Item = T>, hasher: &mut Sha256) {
    let mut buffer = [0_u8; BUFFER];
    let mut used = 0;
    for item in items {
        let bytes = item.to_le();
        let bytes = bytes.as_ref();
        if used + bytes.len() > BUFFER {
            hasher.update(&buffer[..used]);
            used = 0;
        }
        buffer[used..used + bytes.len()].copy_from_slice(bytes);
        used += bytes.len();
    }
    hasher.update(&buffer[..used]);
}

/// Hashes a slice whose memory is its encoding on little-endian targets.
fn feed_native<T: sealed::Packed + bytemuck::NoUninit>(items: &[T], hasher: &mut Sha256) {
    if cfg!(target_endian = "little") {
        hasher.update(bytemuck::cast_slice::<T, u8>(items));
    } else {
        feed_iter(items.iter().copied(), hasher);
    }
}

macro_rules! packed_ints {
    ($($t:ty => $tag:expr),* $(,)?) => {$(
        impl sealed::Packed for $t {
            const TAG: u8 = $tag;
            type Le = [u8; size_of::<$t>()];
            fn to_le(self) -> Self::Le {
                self.to_le_bytes()
            }
            fn feed(items: &[Self], hasher: &mut Sha256) {
                feed_native(items, hasher);
            }
        }
        impl PackedElement for $t {}
    )*};
}

packed_ints! {
    u8 => tag::U8, u16 => tag::U16, u32 => tag::U32, u64 => tag::U64, u128 => tag::U128,
    i8 => tag::I8, i16 => tag::I16, i32 => tag::I32, i64 => tag::I64, i128 => tag::I128,
}

/// `usize`/`isize` are packed exactly as `u64`/`i64`: straight from memory
/// where they have that layout, widened through the buffer elsewhere.
macro_rules! packed_words {
    ($($t:ty as $wide:ty => $tag:expr),*) => {$(
        impl sealed::Packed for $t {
            const TAG: u8 = $tag;
            type Le = [u8; 8];
            fn to_le(self) -> Self::Le {
                (self as $wide).to_le_bytes()
            }
            fn feed(items: &[Self], hasher: &mut Sha256) {
                if size_of::<$t>() == 8 {
                    feed_native(items, hasher);
                } else {
                    feed_iter(items.iter().copied(), hasher);
                }
            }
        }
        impl PackedElement for $t {}
    )*};
}

packed_words!(usize as u64 => tag::U64, isize as i64 => tag::I64);

impl sealed::Packed for f32 {
    const TAG: u8 = tag::F32;
    type Le = [u8; 4];
    fn to_le(self) -> Self::Le {
        let bits = if self.is_nan() {
            CANONICAL_NAN_F32
        } else {
            self.to_bits()
        };
        bits.to_le_bytes()
    }
    fn feed(items: &[Self], hasher: &mut Sha256) {
        feed_iter(items.iter().copied(), hasher);
    }
}
impl PackedElement for f32 {}

impl sealed::Packed for f64 {
    const TAG: u8 = tag::F64;
    type Le = [u8; 8];
    fn to_le(self) -> Self::Le {
        let bits = if self.is_nan() {
            CANONICAL_NAN_F64
        } else {
            self.to_bits()
        };
        bits.to_le_bytes()
    }
    fn feed(items: &[Self], hasher: &mut Sha256) {
        feed_iter(items.iter().copied(), hasher);
    }
}
impl PackedElement for f64 {}

impl sealed::Packed for bool {
    const TAG: u8 = tag::BOOL;
    type Le = [u8; 1];
    fn to_le(self) -> Self::Le {
        [u8::from(self)]
    }
    fn feed(items: &[Self], hasher: &mut Sha256) {
        // A bool is one byte, 0 or 1, on every target.
        hasher.update(bytemuck::cast_slice::<bool, u8>(items));
    }
}
impl PackedElement for bool {}
