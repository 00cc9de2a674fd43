//! The error our serializer returns, and the path it collects on its way up.
//!
//! The serializer keeps no path while it works: a problem is created where it
//! is found, with no location, and each enclosing array, object or variant
//! adds its own step as the error travels back up. Success costs nothing, and
//! the innermost step is added first, so the steps are stored reversed.

use std::fmt;

use super::string::write_string;

/// One step from a container to one of its children.
#[derive(Debug)]
enum Step {
    /// An object member (a struct field, map entry or enum variant name).
    Key(String),
    /// An array element.
    Index(usize),
}

/// Why a value has no canonical JSON form, and where it is.
#[derive(Debug)]
pub(super) struct Problem {
    /// Finishes the sentence "the value at {path} ...".
    reason: String,
    /// The path from the offending value up to the root.
    steps_reversed: Vec<Step>,
}

impl Problem {
    /// A problem at the current value; callers above add the path.
    pub(super) fn new(reason: impl Into<String>) -> Self {
        Problem {
            reason: reason.into(),
            steps_reversed: Vec::new(),
        }
    }

    /// The same problem, one object member further down.
    pub(super) fn inside_key(mut self, key: &str) -> Self {
        self.steps_reversed.push(Step::Key(key.to_owned()));
        self
    }

    /// The same problem, one array element further down.
    pub(super) fn inside_index(mut self, index: usize) -> Self {
        self.steps_reversed.push(Step::Index(index));
        self
    }

    /// The JSON-path-like location: `$`, `$.model.lr`, `$.layers[2]`,
    /// `$["key with space"]`.
    pub(super) fn path(&self) -> String {
        let mut out = String::from("$");
        for step in self.steps_reversed.iter().rev() {
            match step {
                Step::Index(index) => {
                    out.push('[');
                    out.push_str(&index.to_string());
                    out.push(']');
                }
                Step::Key(key) if is_plain_name(key) => {
                    out.push('.');
                    out.push_str(key);
                }
                Step::Key(key) => {
                    out.push('[');
                    write_string(&mut out, key);
                    out.push(']');
                }
            }
        }
        out
    }

    /// The runtime's public error.
    pub(super) fn into_error(self) -> crate::Error {
        crate::Error::Config {
            path: self.path(),
            reason: self.reason,
        }
    }
}

/// Whether `key` can follow a `.` in a path without quoting.
fn is_plain_name(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the value at {} {}", self.path(), self.reason)
    }
}

impl std::error::Error for Problem {}

impl serde::ser::Error for Problem {
    /// An error from the value's own `Serialize` impl: its message is passed
    /// through, and the path is added on the way up.
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Problem::new(format!("could not be serialized: {msg}"))
    }
}
