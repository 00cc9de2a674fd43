//! Finding a whole log line glued to the end of another one.
//!
//! A writer killed in the middle of a `write` leaves its line cut short,
//! without `\n` (Linux checks for `SIGKILL` between the pages of a write).
//! Every writer appends each line in one `write` to a file opened with
//! `O_APPEND`, so the next line to reach the file, another process's, lands
//! whole right after the fragment, on the same line. Every log line starts
//! with the envelope's `{"ts":"`, so that line is found again: the first
//! such start after the line's first byte from which the rest of the line
//! is exactly one JSON value. The same holds for a program's text glued to
//! a log line on a shared stdout (`print!` without a newline).
//!
//! No other start can pass: `{"ts":"` never occurs inside a JSON string
//! (its quotes would be escaped), so every other one opens an object
//! nested in a line, which either closes before that line does (leaving
//! the line's end after it) or, cut short in a fragment, never closes at
//! all. Each try stops where its object ends or where serde_json's nesting
//! limit (128) stops it, so a line costs a bounded number of passes over
//! itself, whatever it holds.

use memchr::memmem;
use serde::de::IgnoredAny;

/// How every log line starts: the envelope's first field.
pub const LINE_START: &[u8] = br#"{"ts":""#;

/// The byte offset in `line` where a whole log line glued to what comes
/// before it starts, if one does.
///
/// ```
/// # use ith_provenance_cli::__private::glued_line_start;
/// let line = br#"{"ts":"2026-01-01T00:00:00.0{"ts":"x","seq":1}"#;
/// assert_eq!(glued_line_start(line), Some(28));
/// assert_eq!(glued_line_start(br#"{"ts":"x","at":{"ts":"y"}}"#), None);
/// ```
pub fn glued_line_start(line: &[u8]) -> Option<usize> {
    let rest = line.get(1..)?;
    memmem::find_iter(rest, LINE_START)
        .map(|i| i + 1)
        .find(|&at| serde_json::from_slice::<IgnoredAny>(&line[at..]).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHOLE: &str = r#"{"ts":"2026-01-01T00:00:00.000001Z","event_type":"e","session_id":"s","seq":3,"at":{"ts":"nested"}}"#;

    #[test]
    fn a_whole_line_after_a_fragment_is_found() {
        let fragment = &WHOLE[..40];
        let glued = format!("{fragment}{WHOLE}");
        assert_eq!(glued_line_start(glued.as_bytes()), Some(40));
        // Two fragments in a row: the whole line after both.
        let glued = format!("{fragment}{}{WHOLE}", &WHOLE[..70]);
        assert_eq!(glued_line_start(glued.as_bytes()), Some(110));
    }

    #[test]
    fn a_fragment_cut_inside_a_nested_object_does_not_swallow_the_line() {
        // The fragment ends inside `{"ts":"nested"`: that object, left
        // open, takes the glued line as its text and never closes.
        let cut = WHOLE.find("nested").unwrap();
        for end in cut - 7..WHOLE.len() - 1 {
            let glued = format!("{}{WHOLE}", &WHOLE[..end]);
            assert_eq!(glued_line_start(glued.as_bytes()), Some(end), "{glued}");
        }
    }

    #[test]
    fn whole_lines_and_text_are_left_alone() {
        assert_eq!(glued_line_start(WHOLE.as_bytes()), None);
        assert_eq!(glued_line_start(b""), None);
        assert_eq!(glued_line_start(br#"{"ts":"{"ts":"{"ts":""#), None);
        // Text a program printed without a newline, then a log line.
        let text = format!("epoch 3 done {WHOLE}");
        assert_eq!(glued_line_start(text.as_bytes()), Some(13));
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let deep = r#"{"ts":"x","a":"#.repeat(5_000);
        assert_eq!(glued_line_start(deep.as_bytes()), None);
    }
}
