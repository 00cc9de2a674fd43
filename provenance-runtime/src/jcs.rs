//! Configuration hashes: any `Serialize` value turned into its RFC 8785 (JCS)
//! canonical JSON, and the SHA-256 of that text.
//!
//! The value goes through our own [`serde::Serializer`] (never through
//! `serde_json::to_value`, which would quietly turn NaN into `null` and integer
//! map keys into strings) that builds a small canonical tree; every value that
//! JSON cannot hold faithfully is an [`Error::Config`](crate::Error::Config)
//! naming its path (`$.model.lr`), which the error collects on its way up.
//!
//! The exact rules, including the one deliberate deviation from RFC 8785
//! (integers beyond ±(2^53 − 1) are written with their exact digits), are
//! specified in `docs/CONFIG_HASH.md` as "config hash v1".

mod key;
mod magic;
mod node;
mod number;
mod path;
mod ser;
mod string;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::{Result, Sha256Hash};
use node::Node;
use path::Problem;

/// The RFC 8785 (JSON Canonicalization Scheme) canonical JSON of `value`.
///
/// The value is mapped to JSON exactly as `serde_json` maps it (structs and
/// maps to objects, `None` and `()` to `null`, enum variants externally
/// tagged, bytes to arrays of numbers), and then written canonically: no
/// whitespace, object keys sorted by their UTF-16 code units, strings with
/// only the escapes RFC 8785 requires, and floats in ECMAScript's
/// `Number.prototype.toString` form (`0.1`, `1e+21`, `1e-7`; `-0.0` is `0`).
///
/// Two choices go beyond the RFC, which only knows IEEE-754 doubles:
///
/// - `f32` values are widened to `f64` first (as `serde_json::to_value`
///   does), so `0.1_f32` is written `0.10000000149011612`.
/// - Integers of every width, up to `i128`/`u128`, are written with their
///   exact decimal digits. Within ±(2^53 − 1) this is byte-identical to
///   RFC 8785; beyond it the RFC gives no answer (implementations either
///   refuse or round to a double, so that 2^53 and 2^53 + 1 collide), and
///   exact digits keep distinct seeds distinct.
///
/// # Errors
///
/// [`Error::Config`](crate::Error::Config), naming the path of the first
/// offending value, for NaN or infinite floats, map keys that are not strings
/// (integers, bools, tuples, …), two entries with the same key in one
/// object, and any error the value's own `Serialize` impl reports.
///
/// ```
/// use std::collections::HashMap;
///
/// #[derive(serde::Serialize)]
/// struct Train {
///     lr: f64,
///     epochs: u32,
///     name: &'static str,
/// }
///
/// let cfg = Train { lr: 1e-7, epochs: 10, name: "résumé" };
/// assert_eq!(
///     ith_provenance::config::canonical_json(&cfg)?,
///     r#"{"epochs":10,"lr":1e-7,"name":"résumé"}"#
/// );
///
/// let nan = Train { lr: f64::NAN, epochs: 10, name: "x" };
/// let err = ith_provenance::config::canonical_json(&nan).unwrap_err();
/// assert!(err.to_string().contains("the value at $.lr is NaN"));
///
/// let by_id: HashMap<u32, &str> = HashMap::from([(1, "a")]);
/// assert!(ith_provenance::config::canonical_json(&by_id).is_err());
/// # Ok::<(), ith_provenance::Error>(())
/// ```
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let node = build(value)?;
    let mut out = String::with_capacity(128);
    node.write_canonical(&mut out);
    Ok(out)
}

/// The configuration hash: SHA-256 of the UTF-8 bytes of
/// [`canonical_json`]`(value)`, written `sha256:<64 hex>` ("config hash v1").
///
/// For a value with no integers beyond ±(2^53 − 1), Python reproduces it with
/// `hashlib.sha256(rfc8785.dumps(cfg)).hexdigest()`.
///
/// # Errors
///
/// The same as [`canonical_json`].
///
/// ```
/// let h = ith_provenance::config_hash(&serde_json::json!({"b": [1, 0.5], "a": null}))?;
/// // canonical text: {"a":null,"b":[1,0.5]}
/// assert_eq!(h, ith_provenance::Sha256Hash::of(br#"{"a":null,"b":[1,0.5]}"#));
/// assert!(h.to_string().starts_with("sha256:"));
/// # Ok::<(), ith_provenance::Error>(())
/// ```
pub fn config_hash<T: Serialize + ?Sized>(value: &T) -> Result<Sha256Hash> {
    Ok(Sha256Hash::of(canonical_json(value)?.as_bytes()))
}

/// `value` as a [`serde_json::Value`], converted with the same strict rules as
/// [`canonical_json`], for embedding a configuration in a log.
///
/// `f32` values are widened to `f64` and `-0.0` is kept as it is (the
/// canonical form writes it `0`); object key order is whatever
/// `serde_json::Map` keeps, which does not matter for hashing.
///
/// # Errors
///
/// Everything [`canonical_json`] rejects, and integers that a
/// [`serde_json::Number`] cannot hold (beyond `i64::MIN..=u64::MAX`).
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Opt {
///     lr: f32,
///     betas: (f64, f64),
/// }
///
/// let v = ith_provenance::config::strict_json_value(&Opt { lr: 0.5, betas: (0.9, 0.999) })?;
/// assert_eq!(v, serde_json::json!({"betas": [0.9, 0.999], "lr": 0.5}));
///
/// let err = ith_provenance::config::strict_json_value(&[u128::MAX]).unwrap_err();
/// assert!(err.to_string().contains("the value at $[0] is the integer"));
/// # Ok::<(), ith_provenance::Error>(())
/// ```
pub fn strict_json_value<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value> {
    build(value)?.into_value().map_err(Problem::into_error)
}

/// Runs `value` through our serializer into a canonical tree.
fn build<T: Serialize + ?Sized>(value: &T) -> Result<Node> {
    value
        .serialize(ser::NodeSerializer)
        .map_err(Problem::into_error)
}
