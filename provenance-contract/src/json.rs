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
        let stops = stops(word_at(word));
        if stops != 0 {
            return Some(at + first_stop(stops));
        }
        at += 8;
    }
    let tail = words.remainder();
    if tail.is_empty() {
        return None;
    }
    // The last eight bytes as one word, when there are eight: the bytes it
    // shares with the last whole word are plain, so its first stop is in
    // the tail. A shorter string pads its word with plain spaces.
    let (word, start) = if at >= 8 {
        (word_at(&bytes[bytes.len() - 8..]), bytes.len() - 8)
    } else {
        (short_word(tail), 0)
    };
    let stops = stops(word);
    (stops != 0).then(|| start + first_stop(stops))
}

/// Eight bytes read little-endian (`word` has exactly eight).
fn word_at(word: &[u8]) -> u64 {
    let mut eight = [0; 8];
    eight.copy_from_slice(word);
    u64::from_le_bytes(eight)
}

/// One to seven bytes as a word padded with spaces, read with loads of the
/// string itself: a padded copy on the stack would be read back before its
/// bytes were stored, which stalls the load.
fn short_word(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    // Two overlapping reads cover every length; the bytes they share are
    // the same, so or-ing them is exact.
    let word = if n >= 4 {
        let low = u64::from(u32::from_le_bytes(first_n(bytes)));
        let high = u64::from(u32::from_le_bytes(first_n(&bytes[n - 4..])));
        low | high << (8 * (n - 4))
    } else if n >= 2 {
        let low = u64::from(u16::from_le_bytes(first_n(bytes)));
        let high = u64::from(u16::from_le_bytes(first_n(&bytes[n - 2..])));
        low | high << (8 * (n - 2))
    } else {
        u64::from(bytes[0])
    };
    word | u64::from_le_bytes([b' '; 8]) << (8 * n)
}

/// The first `N` bytes of `bytes`, which has at least `N`.
fn first_n<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut first = [0; N];
    first.copy_from_slice(&bytes[..N]);
    first
}

/// The index, in its word, of the byte of the lowest bit [`stops`] set.
fn first_stop(stops: u64) -> usize {
    (stops.trailing_zeros() / 8) as usize
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

    /// `find_escape` against a byte-at-a-time scan, for every length up to
    /// three words (whole words, the overlapping last word, the padded
    /// short word), every position and the bytes at each boundary of the
    /// rule (high bytes included: they are UTF-8, never escaped).
    #[test]
    fn find_escape_agrees_with_a_byte_scan_at_every_length_and_position() {
        let by_byte = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        };
        let probes = [
            0x00, 0x1f, b'"', b'\\', 0x20, b'!', b'#', 0x5b, 0x5d, 0x7f, 0x80, 0xff,
        ];
        for len in 0..=24 {
            for fill in [b'a', 0x20, 0xc3, 0x7f] {
                let plain = [fill; 24];
                assert_eq!(find_escape(&plain[..len]), by_byte(&plain[..len]));
                for at in 0..len {
                    for probe in probes {
                        let mut bytes = plain;
                        bytes[at] = probe;
                        // A second stop after the first must not hide it.
                        if at + 2 < len {
                            bytes[at + 2] = b'"';
                        }
                        assert_eq!(
                            find_escape(&bytes[..len]),
                            by_byte(&bytes[..len]),
                            "{:?}",
                            &bytes[..len]
                        );
                    }
                }
            }
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
