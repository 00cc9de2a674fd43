//! A borrowed, reusable representation of one JSON line: the tape records
//! what the parser saw, so no string is copied and, once the buffers have
//! grown, no line allocates.
//!
//! Two tokenizers build it. The quick one (`quick.rs`) handles the lines a
//! log writer emits and steps aside for anything else; serde_json (through
//! `visitor.rs`) then parses the line, exactly as the slow path
//! ([`crate::ops::line::parse()`]) does. So a line is accepted or rejected by
//! serde_json's rules (numbers, escapes, surrogates, depth limit, trailing
//! characters), and numbers are the same `u64` / `i64` / `f64` a `Value`
//! holds.
//!
//! `nodes.rs` holds what a tape records, `item.rs` reads it back.

mod item;
mod nodes;
mod quick;
#[cfg(test)]
mod tests;
mod visitor;

pub use item::Item;
pub use nodes::{Doc, Node, Tape};

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

    /// Parses `text` with serde_json alone: the reference the quick
    /// tokenizer is tested and benchmarked against.
    pub fn parse_with_serde<'a>(&'a mut self, text: &'a str) -> Result<Doc<'a>, serde_json::Error> {
        self.clear();
        visitor::parse(self, text)?;
        Ok(self.doc(text))
    }
}
