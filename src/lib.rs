//! Reproducible experiments from their logs alone.
//!
//! This is the crate users depend on: it re-exports everything in
//! [`provenance_runtime`]. See the README for a tour and the runtime's crate
//! documentation for each piece.
//!
//! ```
//! let fp = provenance::fingerprint_array(&[1.0_f64, 2.0, f64::NAN]);
//! assert_eq!(fp.dtype, "float64");
//! assert_eq!(fp.n_nans, 1);
//! ```
#![forbid(unsafe_code)]

pub use provenance_runtime::*;

/// The README's code blocks run as doctests, so the quick start cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
