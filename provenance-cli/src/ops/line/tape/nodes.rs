//! What a tape holds: the nodes a tokenizer records for one line, the
//! buffers behind them, and the document view readers take of them.

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
    pub(super) nodes: Vec<Node>,
    pub(super) scratch: String,
    /// Key nodes of the top-level object's entries that are not envelope
    /// fields, in order.
    pub(super) payload_keys: Vec<usize>,
    /// Value nodes of the envelope fields, in
    /// [`ENVELOPE`](crate::ops::line::envelope::ENVELOPE) order
    /// (the last, when one is repeated).
    pub(super) envelope: [Option<usize>; 7],
}

/// A tape together with the text it was parsed from.
#[derive(Clone, Copy)]
pub struct Doc<'a> {
    pub(super) nodes: &'a [Node],
    pub(super) text: &'a str,
    pub(super) scratch: &'a str,
    pub(super) payload_keys: &'a [usize],
    pub(super) envelope: &'a [Option<usize>; 7],
}

impl Tape {
    /// The parsed document over `text`.
    pub(super) fn doc<'a>(&'a self, text: &'a str) -> Doc<'a> {
        Doc {
            nodes: &self.nodes,
            text,
            scratch: &self.scratch,
            payload_keys: &self.payload_keys,
            envelope: &self.envelope,
        }
    }

    pub(super) fn clear(&mut self) {
        self.nodes.clear();
        self.scratch.clear();
        self.payload_keys.clear();
        self.envelope = [None; 7];
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
