//! Seeds in both written forms: a JSON integer (contract version 1) or the
//! string `"0x"` + 16 lowercase hex digits (version 2), compared as `u64`.
//!
//! ```
//! use ith_provenance_cli::seed::{seed_u64, seeds_equal, seed_text};
//! use serde_json::json;
//!
//! assert_eq!(seed_u64(&json!(42)), Some(42));
//! assert_eq!(seed_u64(&json!("0x000000000000002a")), Some(42));
//! assert!(seeds_equal(&json!(42), &json!("0x000000000000002a")));
//! // Shown as the log holds it: both forms are what PROVENANCE_SEED accepts.
//! assert_eq!(seed_text(&json!("0x000000000000002a")), "0x000000000000002a");
//! assert_eq!(seed_text(&json!(42)), "42");
//! ```

use serde_json::Value;

/// The JSON Schema pattern of a version-2 seed.
pub const SEED_PATTERN: &str = "^0x[0-9a-f]{16}$";

/// Whether `s` is a seed as version 2 writes it: `0x` and exactly 16
/// lowercase hex digits.
pub fn is_written_seed(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 18
        && b.starts_with(b"0x")
        && b[2..]
            .iter()
            .all(|&c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// The seed a value holds: a JSON integer from 0 to 2^64-1, or a `0x` hex
/// string of 1 to 16 digits (either case: readers accept what they can
/// read; `validate` holds a version-2 log to the exact written form).
pub fn seed_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => {
            let digits = s.strip_prefix("0x")?;
            if digits.is_empty() || digits.len() > 16 {
                return None;
            }
            u64::from_str_radix(digits, 16).ok()
        }
        _ => None,
    }
}

/// Whether two seed values are the same seed, whatever their written form
/// (values that are not seeds are compared as JSON).
pub fn seeds_equal(a: &Value, b: &Value) -> bool {
    match (seed_u64(a), seed_u64(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// A seed as the log holds it, for text output: an integer in decimal, a
/// string without quotes. Both forms are what `PROVENANCE_SEED` accepts.
pub fn seed_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
