//! How a line writes a JSON string (`docs/CONTRACT.md`): `"`, `\` and every
//! control character below U+0020 escaped, nothing else. The runtime writes
//! its lines and canonical JSON with [`escaped`], and the CLI reads strings
//! with [`find_escape`] and writes payloads back with [`escaped`], so the
//! rule and its one fast scanner are written once.
//!
//! The escapes are serde_json's (and RFC 8785's): `\b \t \n \f \r` by name,
//! the other control characters as `\u00xx` with lowercase hex.

/// The index of the first byte of `bytes` that a JSON string cannot hold as
/// it is (`"`, `\` or a control character below 0x20), or `None`.
///
/// Eight bytes at a time, so the long runs of plain text that make up most
/// strings cost one check per word, not one per byte.
///
/// ```
/// use ith_provenance_contract::json::find_escape;
///
/// assert_eq!(find_escape(b"close_price\",\"x\""), Some(11));
/// assert_eq!(find_escape(b"tab\there"), Some(3));
/// assert_eq!(find_escape("no escape, not even é".as_bytes()), None);
/// ```
pub fn find_escape(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        let stops = stops(u64::from_le_bytes(eight));
        if stops != 0 {
            return Some(at + (stops.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = words.remainder().iter().position(|&b| needs_escape(b));
    tail.map(|i| at + i)
}

/// Whether a JSON string must escape `b`.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGH: u64 = u64::from_le_bytes([0x80; 8]);

/// The high bit of each byte of `word` (read little-endian) that is `"`,
/// `\` or below 0x20, and possibly of bytes after it: the classic
/// has-zero-byte and has-byte-less-than tricks, whose lowest set bit is
/// exact (a borrow only runs towards the higher bytes).
fn stops(word: u64) -> u64 {
    let zero = |v: u64| v.wrapping_sub(ONES) & !v;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    (zero(quote) | zero(backslash) | control) & HIGH
}

/// The escape of each control character, by its value.
#[rustfmt::skip]
const CONTROLS: [&str; 32] = [
    "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
    "\\b",     "\\t",     "\\n",     "\\u000b", "\\f",     "\\r",     "\\u000e", "\\u000f",
    "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
    "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
];

/// The escape of a byte [`find_escape`] stopped at.
fn escape_of(b: u8) -> &'static str {
    match b {
        b'"' => "\\\"",
        b'\\' => "\\\\",
        _ => CONTROLS[usize::from(b & 0x1f)],
    }
}

/// The contents of `s` as a JSON string (without the quotes around it), as
/// pieces to append in order: runs of `s` itself and the escapes between
/// them. Nothing is allocated, so any buffer (`Vec<u8>`, `String`, a
/// `fmt::Write`) takes the pieces as they come.
///
/// ```
/// use ith_provenance_contract::json::escaped;
///
/// let mut out = String::from("\"");
/// out.extend(escaped("say \"hi\"\n"));
/// out.push('"');
/// assert_eq!(out, r#""say \"hi\"\n""#);
/// ```
pub fn escaped(s: &str) -> Escaped<'_> {
    Escaped {
        rest: s,
        escape: None,
    }
}

/// The pieces of an escaped string: see [`escaped`].
#[derive(Debug, Clone)]
pub struct Escaped<'a> {
    /// What is left to write.
    rest: &'a str,
    /// The escape that goes before `rest`, once the run before it is out.
    escape: Option<&'static str>,
}

impl<'a> Iterator for Escaped<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if let Some(escape) = self.escape.take() {
            return Some(escape);
        }
        if self.rest.is_empty() {
            return None;
        }
        let Some(at) = find_escape(self.rest.as_bytes()) else {
            return Some(core::mem::take(&mut self.rest));
        };
        // Every byte that is escaped is ASCII, so both sides of it are
        // whole UTF-8 sequences.
        let (run, tail) = self.rest.split_at(at);
        let escape = escape_of(tail.as_bytes()[0]);
        self.rest = &tail[1..];
        if run.is_empty() {
            Some(escape)
        } else {
            self.escape = Some(escape);
            Some(run)
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate alloc;
    extern crate std;

    use alloc::format;
    use alloc::string::String;
    use alloc::vec::Vec;

    use super::*;

    /// The escape of one character, written out from RFC 8259's rule.
    fn rfc_escape(c: char) -> String {
        match c {
            '"' => "\\\"".into(),
            '\\' => "\\\\".into(),
            '\u{8}' => "\\b".into(),
            '\t' => "\\t".into(),
            '\n' => "\\n".into(),
            '\u{c}' => "\\f".into(),
            '\r' => "\\r".into(),
            c if u32::from(c) < 0x20 => format!("\\u{:04x}", u32::from(c)),
            c => c.into(),
        }
    }

    fn joined(s: &str) -> String {
        escaped(s).collect()
    }

    #[test]
    fn every_ascii_byte_is_escaped_as_the_rfc_says_in_every_position() {
        for b in 0..0x80u8 {
            let c = char::from(b);
            let want = rfc_escape(c);
            // Alone, in the tail, and in every lane of a word.
            for pad in 0..17 {
                let plain: String = core::iter::repeat_n('a', pad).collect();
                let text = format!("{plain}{c}{plain}é");
                assert_eq!(joined(&text), format!("{plain}{want}{plain}é"), "{b:#x}");
                let found = find_escape(text.as_bytes());
                assert_eq!(found, (want.len() > 1).then_some(pad), "{b:#x} after {pad}");
            }
        }
    }

    #[test]
    fn runs_of_escapes_and_multibyte_text_keep_their_order() {
        let text = "\"\"\\\n\u{1f}€𝄞\u{7f}\r";
        let want: String = text.chars().map(rfc_escape).collect();
        assert_eq!(joined(text), want);
        assert_eq!(joined(""), "");
        let pieces: Vec<&str> = escaped("a\"b").collect();
        assert_eq!(pieces, ["a", "\\\"", "b"]);
    }

    #[test]
    fn no_false_stop_before_the_first_real_one() {
        // Bytes just above each threshold, in every lane, borrow-heavy.
        for b in [0x20u8, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xff] {
            for lane in 0..8 {
                let mut word = [b'a'; 16];
                word[lane] = b;
                word[lane + 8] = b'\\';
                let text = &word[..];
                assert_eq!(find_escape(text), Some(lane + 8), "{b:#x} in lane {lane}");
            }
        }
    }
}
