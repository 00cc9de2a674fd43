//! RFC 8785 strings: how they are escaped, and the order of object keys.

use std::cmp::Ordering;

use ith_provenance_contract::json::escaped;

/// RFC 8785 key order: lexicographic over UTF-16 code units. This differs
/// from Rust's `str` (UTF-8 byte) order only between characters above
/// U+FFFF (surrogate pairs, 0xD800..) and U+E000..=U+FFFF.
pub(super) fn cmp_utf16(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Appends `s` as an RFC 8785 string: `"` and `\` escaped, the short escapes
/// `\b \f \n \r \t`, other control characters below U+0020 as `\u00xx` with
/// lowercase hex, and everything else (including non-ASCII) as raw UTF-8:
/// the contract's own escapes, so the one escaper serves both.
pub(super) fn write_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    out.extend(escaped(s));
    out.push('"');
}
