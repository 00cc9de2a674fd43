//! Value fingerprints: a stable SHA-256 of a structured value, the same on
//! every platform, word size and release.
//!
//! A value is written in a canonical, unambiguous byte encoding ("value
//! fingerprint encoding v1", specified byte by byte in
//! `docs/VALUE_FINGERPRINT.md`) straight into SHA-256:
//!
//! - every value starts with a type tag, so `[1u8]` ≠ `[1u16]` and
//!   `Some(0)` ≠ `None` ≠ `0`; lengths are explicit, so
//!   `("ab", "c")` ≠ `("a", "bc")`;
//! - `usize`/`isize` encode as `u64`/`i64`, so 32- and 64-bit targets agree;
//! - every NaN is written as one quiet NaN (CPUs disagree about the payload
//!   and sign of a computed NaN), while `-0.0` and `0.0` stay different;
//! - maps and sets hash each entry on its own and sort the digests, so a
//!   `HashMap` and a `BTreeMap` with the same contents agree, whatever the
//!   iteration order;
//! - struct fields are identified by name, not position: reordering fields
//!   keeps a fingerprint, renaming one changes it, and the type's own name is
//!   not included;
//! - a `DateTime` is its UTC instant: the offset it is shown in is not included;
//! - slices of primitive numbers are hashed in bulk at close to SHA-256 speed.
//!
//! ```
//! use std::collections::{BTreeMap, HashMap};
//! use ith_provenance::Fingerprint;
//!
//! let hashed: HashMap<&str, Vec<f64>> = [("w", vec![0.5, -1.0]), ("b", vec![0.0])].into();
//! let sorted: BTreeMap<&str, Vec<f64>> = hashed.clone().into_iter().collect();
//! assert_eq!(hashed.fingerprint(), sorted.fingerprint());
//! assert_ne!(("ab", "c").fingerprint(), ("a", "bc").fingerprint());
//! ```

mod compound;
mod datetime;
mod encoder;
mod impls;
mod packed;
mod tag;
#[cfg(test)]
mod tests;
mod value;

pub use compound::{StructEncoder, TupleEncoder};
pub use encoder::{Fingerprinter, VALUE_FINGERPRINT_PREFIX};
pub use packed::PackedElement;
pub(crate) use packed::feed_iter;
pub use value::Fingerprint;
