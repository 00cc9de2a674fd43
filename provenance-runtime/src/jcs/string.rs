//! RFC 8785 strings: how they are escaped, and the order of object keys.

use std::cmp::Ordering;

/// RFC 8785 key order: lexicographic over UTF-16 code units. This differs
/// from Rust's `str` (UTF-8 byte) order only between characters above
/// U+FFFF (surrogate pairs, 0xD800..) and U+E000..=U+FFFF.
pub(super) fn cmp_utf16(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Appends `s` as an RFC 8785 string: `"` and `\` escaped, the short escapes
/// `\b \f \n \r \t`, other control characters below U+0020 as `\u00xx` with
/// lowercase hex, and everything else (including non-ASCII) as raw UTF-8.
pub(super) fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push('"');
    // Every byte we escape is ASCII, so the unescaped runs between them are
    // whole UTF-8 sequences and are copied in one go.
    let mut run_start = 0;
    for (i, byte) in s.bytes().enumerate() {
        let short = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run_start..i]);
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        } else {
            out.push_str(short);
        }
        run_start = i + 1;
    }
    out.push_str(&s[run_start..]);
    out.push('"');
}
