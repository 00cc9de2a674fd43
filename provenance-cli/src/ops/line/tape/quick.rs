//! The quick tokenizer: builds the tape for the lines a log writer emits
//! (no escapes, plain numbers) several times faster than serde_json.
//!
//! It only accepts a strict subset of what serde_json accepts and builds
//! exactly the nodes serde_json would. Anything else it gives up on (an
//! escape, a control character, an integer serde_json would turn into a
//! float, deep nesting, any syntax error) and the line is parsed again by
//! serde_json, which decides. Fraction and exponent numbers are converted
//! by serde_json itself, so every `f64` is bit for bit the same.

use ith_provenance_contract::json::find_escape;

use super::nodes::{Node, Tape};
use crate::ops::line::envelope::envelope_slot;

/// Deeper than this, leave the line to serde_json (whose limit is 128).
const MAX_DEPTH: usize = 64;

/// Builds `tape` from `text`, or `None` to leave the line to serde_json
/// (the tape is then in an unspecified state).
pub(super) fn parse(tape: &mut Tape, text: &str) -> Option<()> {
    let mut q = Quick {
        tape,
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    q.whitespace();
    q.value(0, true)?;
    q.whitespace();
    (q.pos == q.bytes.len()).then_some(())
}

struct Quick<'t> {
    tape: &'t mut Tape,
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
}

impl Quick<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// serde_json's whitespace: space, tab, newline, carriage return.
    fn whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize, root: bool) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(depth + 1, root),
            b'[' => self.array(depth + 1),
            b'"' => {
                let (start, len) = self.string()?;
                self.tape.nodes.push(Node::Str {
                    start,
                    len,
                    escaped: false,
                });
                Some(())
            }
            b't' => self.literal(b"true", Node::Bool(true)),
            b'f' => self.literal(b"false", Node::Bool(false)),
            b'n' => self.literal(b"null", Node::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8], node: Node) -> Option<()> {
        self.bytes[self.pos..].starts_with(word).then_some(())?;
        self.pos += word.len();
        self.tape.nodes.push(node);
        Some(())
    }

    /// A string without escapes or control characters: its bytes' place.
    fn string(&mut self) -> Option<(usize, usize)> {
        let start = self.pos + 1;
        let end = start + find_escape(self.bytes.get(start..)?)?;
        self.close(start, end)
    }

    /// Ends a string at `end` if a quote is there (not an escape or a
    /// control character, which serde_json handles).
    fn close(&mut self, start: usize, end: usize) -> Option<(usize, usize)> {
        (self.bytes.get(end) == Some(&b'"')).then_some(())?;
        self.pos = end + 1;
        Some((start, end - start))
    }

    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let digits_start = self.pos;
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let digits_end = self.pos;
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.at_least_one_digit()?;
            float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.at_least_one_digit()?;
            float = true;
        }
        let node = if float {
            // serde_json's own conversion (and its range check).
            Node::F64(serde_json::from_str::<f64>(&self.text[start..self.pos]).ok()?)
        } else {
            let digits = &self.bytes[digits_start..digits_end];
            // Up to 19 digits always fit a u64; longer ones serde_json may
            // turn into floats.
            if digits.len() > 19 {
                return None;
            }
            let magnitude = digits
                .iter()
                .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
            if !negative {
                Node::U64(magnitude)
            } else if magnitude == 0 || magnitude > 1 << 63 {
                // -0 and below i64::MIN are floats to serde_json.
                return None;
            } else {
                Node::I64((magnitude as i64).wrapping_neg())
            }
        };
        self.tape.nodes.push(node);
        Some(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn at_least_one_digit(&mut self) -> Option<()> {
        let start = self.pos;
        self.digits();
        (self.pos > start).then_some(())
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        let at = self.tape.nodes.len();
        self.tape.nodes.push(Node::Null);
        let mut len = 0;
        self.whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.whitespace();
                self.value(depth, false)?;
                len += 1;
                self.whitespace();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b']' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        let end = self.tape.nodes.len();
        self.tape.nodes[at] = Node::Array { len, end };
        Some(())
    }

    fn object(&mut self, depth: usize, root: bool) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        let at = self.tape.nodes.len();
        self.tape.nodes.push(Node::Null);
        let mut len = 0;
        self.whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.whitespace();
                if self.peek()? != b'"' {
                    return None;
                }
                let (start, klen) = self.string()?;
                let key = self.tape.nodes.len();
                self.tape.nodes.push(Node::Str {
                    start,
                    len: klen,
                    escaped: false,
                });
                if root {
                    // As `visitor::RootKey` does for serde_json.
                    match envelope_slot(&self.text[start..start + klen]) {
                        Some(slot) => self.tape.envelope[slot] = Some(key + 1),
                        None => self.tape.payload_keys.push(key),
                    }
                }
                self.whitespace();
                if self.peek()? != b':' {
                    return None;
                }
                self.pos += 1;
                self.whitespace();
                self.value(depth, false)?;
                len += 1;
                self.whitespace();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b'}' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        let end = self.tape.nodes.len();
        self.tape.nodes[at] = Node::Object { len, end };
        Some(())
    }
}
