//! Streaming line reader: splits a log on `\n` only, in constant memory.
//!
//! A line longer than the limit is skipped without being held in memory (its
//! length is still reported), so a 100 MB line or a multi-gigabyte log never
//! makes the tool grow beyond its buffer.
//!
//! A line whose first byte after spaces and tabs is not `{` (an empty line
//! too) is not a log line but a program's own output sharing the stream
//! (contract version 2, point 5): [`RawLine::is_log_line`] says which.
//!
//! A log line glued to the end of another one, without `\n` between them
//! (a writer killed mid-line, or a program's text printed without a
//! newline), is read on its own, after what precedes it ([`glued`]).
//!
//! A UTF-8 byte-order mark before the first line (an editor's, or
//! PowerShell's `>`) is read through: it is not part of the line, so the
//! `session.start` behind it is read like any other. [`LogReader::had_bom`]
//! says there was one, for `validate` to name.
//!
//! A file that is binary (an executable, a Parquet table, a compressed
//! log) is refused when opened, before any line is read: see
//! [`binary_reason`].

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use clap::Args;

use crate::error::CliError;

mod glued;

pub use glued::glued_line_start;

/// The longest line kept by default: 16 MiB. Event lines are a few hundred
/// bytes; a `session.start` with a large configuration a few kilobytes.
pub const DEFAULT_MAX_LINE: usize = 16 << 20;

/// Options every verb that reads logs shares.
#[derive(Clone, Debug, Args)]
pub struct ReadOptions {
    /// Lines longer than this many bytes are reported and skipped without
    /// being held in memory.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_LINE)]
    pub max_line_bytes: usize,
}

/// A log file (or standard input) read line by line.
pub struct LogReader {
    inner: Box<dyn BufRead>,
    name: String,
    buf: Vec<u8>,
    max_line: usize,
    number: u64,
    /// A log line found glued in `buf` after the part already returned:
    /// where it starts, and whether the line ended in `\n`.
    glued: Option<(usize, bool)>,
    had_bom: bool,
}

/// The UTF-8 byte-order mark, U+FEFF.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One line, without its `\n`.
#[derive(Debug)]
pub struct RawLine<'a> {
    /// 1-based line number.
    pub number: u64,
    /// The line's bytes; empty when it was too long to keep.
    pub bytes: &'a [u8],
    /// Whether the line ended in `\n` (the last line of a log cut short
    /// does not).
    pub terminated: bool,
    /// The line's full length when it exceeded the limit and was skipped.
    pub too_long: Option<u64>,
    /// The limit in force.
    pub limit: usize,
    /// Whether the line's first byte after spaces and tabs is `{`: a log
    /// line (possibly broken). Any other line, an empty one included, is
    /// a program's output and is skipped (and counted) by every verb.
    pub is_log_line: bool,
    /// Where in the line a log line glued to this part starts (so this
    /// part did not end in `\n`): this part, when it is a log line, is the
    /// start of a line whose writer stopped mid-line, killed.
    pub glued_at: Option<usize>,
}

/// Whether a line that starts with `bytes` is a log line: its first byte
/// after spaces and tabs is `{`.
pub fn starts_like_a_log_line(bytes: &[u8]) -> bool {
    bytes.iter().find(|&&b| b != b' ' && b != b'\t') == Some(&b'{')
}

impl LogReader {
    /// Opens `path` (`-` is standard input), with clear errors for a
    /// missing file, a directory or an unreadable one.
    ///
    /// # Errors
    /// [`CliError::Open`], [`CliError::IsDirectory`], or
    /// [`CliError::NotALog`] for a binary file ([`binary_reason`]).
    pub fn open(path: &Path, max_line: usize) -> Result<LogReader, CliError> {
        let fail = |source: io::Error| CliError::Open {
            path: path.to_path_buf(),
            source,
        };
        let (source, name): (Box<dyn Read>, String) = if path == Path::new("-") {
            (Box::new(io::stdin()), "<stdin>".into())
        } else {
            let meta = std::fs::metadata(path).map_err(fail)?;
            if meta.is_dir() {
                return Err(CliError::IsDirectory(path.to_path_buf()));
            }
            let file = File::open(path).map_err(fail)?;
            (Box::new(file), path.display().to_string())
        };
        // The first KiB is read ahead to judge the file, then read again
        // as the start of the stream.
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        let mut source = source;
        (&mut source)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(|source| CliError::Read {
                path: name.clone().into(),
                line: 1,
                source,
            })?;
        if let Some(reason) = binary_reason(&head) {
            return Err(CliError::NotALog { name, reason });
        }
        let stream = io::Cursor::new(head).chain(source);
        Ok(LogReader::new(
            Box::new(BufReader::with_capacity(1 << 16, stream)),
            name,
            max_line,
        ))
    }

    /// A reader over any byte source, named `name` in messages.
    pub fn new(inner: Box<dyn BufRead>, name: String, max_line: usize) -> LogReader {
        LogReader {
            inner,
            name,
            buf: Vec::with_capacity(4096),
            max_line: max_line.max(1),
            number: 0,
            glued: None,
            had_bom: false,
        }
    }

    /// A reader over bytes in memory (tests, fuzzing).
    pub fn from_bytes(bytes: Vec<u8>, max_line: usize) -> LogReader {
        LogReader::new(
            Box::new(io::Cursor::new(bytes)),
            "<memory>".into(),
            max_line,
        )
    }

    /// The file's name as given on the command line.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the first line began with a byte-order mark (read through,
    /// not part of the line).
    pub fn had_bom(&self) -> bool {
        self.had_bom
    }

    /// The next line, or `None` at the end of the file.
    ///
    /// # Errors
    /// A read error from the operating system, naming the file.
    pub fn next_line(&mut self) -> Result<Option<RawLine<'_>>, CliError> {
        if let Some((start, terminated)) = self.glued.take() {
            let bytes = &self.buf[start..];
            return Ok(Some(RawLine {
                number: self.number,
                bytes,
                terminated,
                too_long: None,
                limit: self.max_line,
                is_log_line: true,
                glued_at: None,
            }));
        }
        self.buf.clear();
        let mut length: u64 = 0;
        let mut terminated = false;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(CliError::Read {
                        path: self.name.clone().into(),
                        line: self.number + 1,
                        source,
                    });
                }
            };
            if chunk.is_empty() {
                break;
            }
            let (take, done) = match memchr(chunk) {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            let room = self.max_line.saturating_sub(self.buf.len());
            if length <= self.max_line as u64 {
                self.buf.extend_from_slice(&chunk[..take.min(room)]);
            }
            length += take as u64;
            self.inner.consume(take + usize::from(done));
            if done {
                terminated = true;
                break;
            }
        }
        if length == 0 && !terminated {
            return Ok(None);
        }
        if self.number == 0 && self.buf.starts_with(BOM) {
            self.had_bom = true;
            self.buf.drain(..BOM.len());
            length -= BOM.len() as u64;
        }
        self.number += 1;
        let too_long = (length > self.max_line as u64).then_some(length);
        // Judged before a long line's bytes are dropped: the kept part is
        // its start.
        let is_log_line = starts_like_a_log_line(&self.buf);
        if too_long.is_some() {
            self.buf.clear();
        }
        let glued_at = glued_line_start(&self.buf);
        let end = match glued_at {
            Some(at) => {
                self.glued = Some((at, terminated));
                terminated = false;
                at
            }
            None => self.buf.len(),
        };
        Ok(Some(RawLine {
            number: self.number,
            bytes: &self.buf[..end],
            terminated,
            too_long,
            limit: self.max_line,
            is_log_line,
            glued_at,
        }))
    }
}

/// How much of a file [`binary_reason`] judges it by: its first KiB.
pub const SNIFF_BYTES: usize = 1024;

/// Why a file that starts with `head` (its first [`SNIFF_BYTES`], or all of
/// a shorter file) is binary, not a log, if it is: a line of `head` that
/// does not start with `{` holds a NUL byte or bytes that are not UTF-8 (a
/// character cut by the end of `head` aside). A log's own lines start with
/// `{` and are the scanner's to judge (a broken one is a finding, named by
/// its line); anything else in a log is a program's text output, which
/// holds neither. An executable, a Parquet table or a compressed log does,
/// almost surely within a KiB.
pub fn binary_reason(head: &[u8]) -> Option<String> {
    // A byte-order mark is read through, here as by the reader.
    let (mut offset, text) = match head.strip_prefix(BOM) {
        Some(rest) => (BOM.len(), rest),
        None => (0, head),
    };
    for line in text.split(|&b| b == b'\n') {
        let at = offset;
        offset += line.len() + 1;
        if starts_like_a_log_line(line) {
            continue;
        }
        if let Some(i) = memchr::memchr(0, line) {
            return Some(format!("a NUL byte at byte offset {}", at + i));
        }
        if let Err(e) = std::str::from_utf8(line) {
            // No error length: the line ends mid-character, which only the
            // end of `head` may cut.
            let cut_by_the_end = e.error_len().is_none() && at + line.len() == head.len();
            if !cut_by_the_end {
                return Some(format!(
                    "bytes that are not UTF-8 at byte offset {}",
                    at + e.valid_up_to()
                ));
            }
        }
    }
    None
}

fn memchr(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<(u64, Vec<u8>, bool, Option<u64>)> {
        let mut r = LogReader::from_bytes(input.to_vec(), max);
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push((l.number, l.bytes.to_vec(), l.terminated, l.too_long));
        }
        out
    }

    #[test]
    fn splits_on_newline_only_and_flags_an_unterminated_last_line() {
        let got = lines(b"a\r\nb\xe2\x80\xa8c\n\nlast", 100);
        assert_eq!(
            got,
            vec![
                (1, b"a\r".to_vec(), true, None),
                (2, b"b\xe2\x80\xa8c".to_vec(), true, None),
                (3, b"".to_vec(), true, None),
                (4, b"last".to_vec(), false, None),
            ]
        );
        assert!(lines(b"", 10).is_empty());
    }

    #[test]
    fn a_long_line_is_skipped_but_measured() {
        let mut input = vec![b'x'; 100_000];
        input.extend_from_slice(b"\nok\n");
        let got = lines(&input, 1000);
        assert_eq!(got[0], (1, Vec::new(), true, Some(100_000)));
        assert_eq!(got[1], (2, b"ok".to_vec(), true, None));
    }

    #[test]
    fn log_lines_start_with_a_brace() {
        let mut r = LogReader::from_bytes(b" \t{\"a\"\n\nhello {\n[1]\n{".to_vec(), 3);
        let mut kinds = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            kinds.push(l.is_log_line);
        }
        // The first is longer than the limit: judged by the bytes kept.
        assert_eq!(kinds, [true, false, false, false, true]);
    }

    #[test]
    fn binary_is_told_from_text_by_the_lines_not_starting_with_a_brace() {
        assert_eq!(
            binary_reason(b"PAR1\x15\x04\x00\x01"),
            Some("a NUL byte at byte offset 6".into())
        );
        assert_eq!(
            binary_reason(b"ok\n\x89PNG\r\n"),
            Some("bytes that are not UTF-8 at byte offset 3".into())
        );
        // Log lines, broken or not, and text output are the scanner's.
        assert_eq!(
            binary_reason(b"{\"ts\":\"\xff\0\"}\nh\xc3\xa9llo\n\n"),
            None
        );
        // A character cut by the end of the first KiB is not a fault...
        assert_eq!(binary_reason(b"caf\xc3"), None);
        // ...but one cut by a newline is.
        assert!(binary_reason(b"caf\xc3\nx").is_some());
    }

    #[test]
    fn a_reader_reads_the_sniffed_head_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.ndjson");
        let text: String = (0..200).map(|i| format!("{{\"n\":{i}}}\n")).collect();
        std::fs::write(&path, &text).unwrap();
        let mut r = LogReader::open(&path, 100).unwrap();
        let mut read = String::new();
        while let Some(l) = r.next_line().unwrap() {
            read.push_str(std::str::from_utf8(l.bytes).unwrap());
            read.push('\n');
        }
        assert_eq!(read, text);
    }

    #[test]
    fn a_line_glued_to_a_torn_one_is_read_on_its_own() {
        let whole = r#"{"ts":"2026-01-01T00:00:00.000001Z","seq":1}"#;
        let input = format!("{whole}\n{}{whole}\n{whole}", &whole[..20]);
        let mut r = LogReader::from_bytes(input.into_bytes(), 1000);
        let mut got = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            let text = String::from_utf8(l.bytes.to_vec()).unwrap();
            got.push((l.number, text, l.terminated, l.glued_at));
        }
        let part =
            |n, text: &str, terminated, glued_at| (n, text.to_string(), terminated, glued_at);
        assert_eq!(
            got,
            vec![
                part(1, whole, true, None),
                part(2, &whole[..20], false, Some(20)),
                part(2, whole, true, None),
                part(3, whole, false, None),
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_before_the_first_line_is_read_through() {
        let mut r = LogReader::from_bytes(b"\xEF\xBB\xBF{\"a\":1}\n\xEF\xBB\xBF{}\n".to_vec(), 100);
        let first = r.next_line().unwrap().unwrap();
        assert_eq!((first.bytes, first.is_log_line), (&b"{\"a\":1}"[..], true));
        // Only the file's first bytes: one later is the line's own.
        assert_eq!(r.next_line().unwrap().unwrap().bytes, b"\xEF\xBB\xBF{}");
        assert!(r.had_bom());
        assert_eq!(binary_reason(b"\xEF\xBB\xBF{\"ts\":\"\xff\"}\n"), None);
    }

    #[test]
    fn a_line_exactly_at_the_limit_is_kept() {
        let got = lines(b"abcd\nabcde\n", 4);
        assert_eq!(got[0], (1, b"abcd".to_vec(), true, None));
        assert_eq!(got[1], (2, Vec::new(), true, Some(5)));
    }
}
