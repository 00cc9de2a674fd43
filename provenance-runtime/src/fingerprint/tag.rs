//! The one-byte type tags of encoding v1, the table in
//! `docs/VALUE_FINGERPRINT.md` (*Tags*), and the canonical NaNs floats are
//! written with (*Floats: NaN and -0.0*). Each tag is spent once and never
//! reused.

pub(crate) const UNIT: u8 = 0x01;
pub(crate) const BOOL: u8 = 0x02;
pub(crate) const CHAR: u8 = 0x03;
pub(crate) const U8: u8 = 0x10;
pub(crate) const U16: u8 = 0x11;
pub(crate) const U32: u8 = 0x12;
pub(crate) const U64: u8 = 0x13;
pub(crate) const U128: u8 = 0x14;
pub(crate) const I8: u8 = 0x18;
pub(crate) const I16: u8 = 0x19;
pub(crate) const I32: u8 = 0x1a;
pub(crate) const I64: u8 = 0x1b;
pub(crate) const I128: u8 = 0x1c;
pub(crate) const F32: u8 = 0x20;
pub(crate) const F64: u8 = 0x21;
pub(crate) const STR: u8 = 0x30;
pub(crate) const NONE: u8 = 0x40;
pub(crate) const SOME: u8 = 0x41;
pub(crate) const SEQ: u8 = 0x50;
pub(crate) const PACKED_SEQ: u8 = 0x51;
pub(crate) const TUPLE: u8 = 0x52;
pub(crate) const MAP: u8 = 0x60;
pub(crate) const SET: u8 = 0x61;
pub(crate) const STRUCT: u8 = 0x70;
pub(crate) const TUPLE_STRUCT: u8 = 0x71;
pub(crate) const UNIT_STRUCT: u8 = 0x72;
pub(crate) const VARIANT: u8 = 0x73;
pub(crate) const DATE_TIME: u8 = 0x80;
pub(crate) const NAIVE_DATE_TIME: u8 = 0x81;
pub(crate) const NAIVE_DATE: u8 = 0x82;
pub(crate) const NAIVE_TIME: u8 = 0x83;
pub(crate) const SHA256: u8 = 0x90;
pub(crate) const ARRAY: u8 = 0x91;

/// The quiet NaN every `f64` NaN is written as.
pub(crate) const CANONICAL_NAN_F64: u64 = 0x7ff8_0000_0000_0000;
/// The quiet NaN every `f32` NaN is written as.
pub(crate) const CANONICAL_NAN_F32: u32 = 0x7fc0_0000;
