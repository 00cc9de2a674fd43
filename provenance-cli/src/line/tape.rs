//! A borrowed, reusable representation of one JSON line: the tape records
//! what the parser saw, so no string is copied and, once the buffers have
//! grown, no line allocates.
//!
//! Two tokenizers build it. The quick one (`quick.rs`) handles the lines a
//! log writer emits and steps aside for anything else; serde_json (through
//! `visitor.rs`) then parses the line, exactly as the slow path
//! ([`super::parse`]) does. So a line is accepted or rejected by serde_json's
//! rules (numbers, escapes, surrogates, depth limit, trailing characters),
//! and numbers are the same `u64` / `i64` / `f64` a `Value` holds.

mod item;
mod quick;
#[cfg(test)]
mod tests;
mod visitor;

pub use item::{Entries, Item};

/// One node of the tape. Containers are followed by their contents in
/// order (an object by key, value, key, value, …) and know where they end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Node {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A non-negative integer.
    U64(u64),
    /// A negative integer.
    I64(i64),
    /// Any other number.
    F64(f64),
    /// A string: `len` bytes at `start` of the line (`escaped == false`)
    /// or of the tape's scratch buffer (it had escapes to decode).
    Str {
        /// Byte offset.
        start: usize,
        /// Byte length.
        len: usize,
        /// Whether the text lives in the scratch buffer.
        escaped: bool,
    },
    /// An array of `len` elements; its last descendant is at `end - 1`.
    Array {
        /// Number of elements.
        len: usize,
        /// Index just past its contents.
        end: usize,
    },
    /// An object of `len` entries; its last descendant is at `end - 1`.
    Object {
        /// Number of entries.
        len: usize,
        /// Index just past its contents.
        end: usize,
    },
}

/// A parsed line, reused from line to line.
#[derive(Default)]
pub struct Tape {
    nodes: Vec<Node>,
    scratch: String,
    /// Key nodes of the top-level object's entries that are not envelope
    /// fields, in order.
    payload_keys: Vec<usize>,
    /// Value nodes of the envelope fields, in [`super::ENVELOPE`] order
    /// (the last, when one is repeated).
    envelope: [Option<usize>; 7],
}

/// A tape together with the text it was parsed from.
#[derive(Clone, Copy)]
pub struct Doc<'a> {
    nodes: &'a [Node],
    text: &'a str,
    scratch: &'a str,
    payload_keys: &'a [usize],
    envelope: &'a [Option<usize>; 7],
}

impl Tape {
    /// Parses `text` as one JSON value, exactly as `serde_json::from_str`
    /// does, and returns the document.
    ///
    /// # Errors
    /// serde_json's error (the slow path turns it into a message).
    pub fn parse<'a>(&'a mut self, text: &'a str) -> Result<Doc<'a>, serde_json::Error> {
        self.clear();
        if quick::parse(self, text).is_none() {
            // Escapes, unusual numbers or an error: serde_json decides.
            self.clear();
            visitor::parse(self, text)?;
        }
        Ok(self.doc(text))
    }
}

impl Tape {
    /// The parsed document over `text`.
    fn doc<'a>(&'a self, text: &'a str) -> Doc<'a> {
        Doc {
            nodes: &self.nodes,
            text,
            scratch: &self.scratch,
            payload_keys: &self.payload_keys,
            envelope: &self.envelope,
        }
    }

    fn clear(&mut self) {
        self.nodes.clear();
        self.scratch.clear();
        self.payload_keys.clear();
        self.envelope = [None; 7];
    }

    /// Parses `text` with serde_json alone (tests compare the two ways).
    #[cfg(test)]
    fn parse_with_serde<'a>(&'a mut self, text: &'a str) -> Result<Doc<'a>, serde_json::Error> {
        self.clear();
        visitor::parse(self, text)?;
        Ok(self.doc(text))
    }

    /// Gives back the memory a very large line made the tape grow to, so
    /// one such line does not hold it for the rest of the log.
    pub fn shrink(&mut self) {
        const KEEP: usize = 1 << 16;
        if self.nodes.capacity() > KEEP {
            self.nodes = Vec::new();
        }
        if self.scratch.capacity() > KEEP {
            self.scratch = String::new();
        }
        if self.payload_keys.capacity() > KEEP {
            self.payload_keys = Vec::new();
        }
    }
}

/// The position of `key` in [`super::ENVELOPE`].
fn envelope_slot(key: &str) -> Option<usize> {
    // By length first: most payload keys are ruled out without a compare.
    let slot = match (key.len(), key) {
        (2, "ts") => 0,
        (10, "event_type") => 1,
        (10, "session_id") => 2,
        (3, "seq") => 3,
        (13, "experiment_id") => 4,
        (6, "run_id") => 5,
        (13, "parent_run_id") => 6,
        _ => return None,
    };
    debug_assert_eq!(super::ENVELOPE[slot], key);
    Some(slot)
}
