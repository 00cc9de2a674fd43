//! Tells provenance's own event logs apart from the user's changes, so a log
//! written inside the repository never makes the tree dirty (`docs/GIT.md`,
//! *Our own logs*).
//!
//! A log is recognised by what its writer always puts first, not by its name
//! or folder: `PROVENANCE_LOG` may point anywhere. The test reads one short
//! prefix of each changed file and matches it byte for byte against the
//! envelope of a `session.start` line, in the order `docs/CONTRACT.md`
//! fixes, so it costs one `open` and one read per changed path and a file
//! that merely mentions `session.start` is never taken for a log.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::diff_hash::relative;

/// How much of a changed file is read. The prefix that decides ends after
/// `contract_version`, a few hundred bytes in; the room left is for a long
/// `experiment_id`. A log whose prefix does not fit counts as a change.
const PREFIX_BYTES: u64 = 4096;

/// `paths` (repository-relative) without those whose working-tree file is
/// one of our logs.
pub(super) fn without_own_logs<P: AsRef<[u8]>>(workdir: &Path, mut paths: Vec<P>) -> Vec<P> {
    // `dir/` is an untracked nested repository, never a log.
    paths.retain(|path| {
        let path = path.as_ref();
        path.ends_with(b"/") || !is_own_log(&workdir.join(relative(path)))
    });
    paths
}

/// Whether `full` is a regular file (not followed through a symlink) whose
/// first bytes are a `session.start` envelope. Anything unreadable is not a
/// log: it stays a change, and `diff_hash` reports why it cannot be read.
fn is_own_log(full: &Path) -> bool {
    // Checked before opening: opening a FIFO for reading would block.
    if !full.symlink_metadata().is_ok_and(|meta| meta.is_file()) {
        return false;
    }
    let mut prefix = Vec::with_capacity(PREFIX_BYTES as usize);
    match File::open(full) {
        Ok(file) => {
            file.take(PREFIX_BYTES).read_to_end(&mut prefix).is_ok() && starts_a_session(&prefix)
        }
        Err(_) => false,
    }
}

/// Whether `bytes` begin like the first line of a log of our contract:
///
/// ```text
/// {"ts":"<YYYY-MM-DDTHH:MM:SS.ffffffZ>","event_type":"session.start",
/// "session_id":"<string>","seq":0[,"experiment_id":"<string>"]
/// [,"run_id":"<string>"[,"parent_run_id":"<string>"]],"contract_version":<n>
/// ```
///
/// (one line, no whitespace), followed by `,` or `}`. What comes after is
/// not read: a torn or very long first line is still recognised.
pub(super) fn starts_a_session(bytes: &[u8]) -> bool {
    session_start_envelope(&mut Prefix(bytes)).is_some()
}

fn session_start_envelope(line: &mut Prefix<'_>) -> Option<()> {
    line.literal(b"{\"ts\":")?;
    is_timestamp(line.string()?).then_some(())?;
    line.literal(b",\"event_type\":\"session.start\",\"session_id\":")?;
    line.string()?;
    line.literal(b",\"seq\":0")?;
    if line.literal(b",\"experiment_id\":").is_some() {
        line.string()?;
    }
    if line.literal(b",\"run_id\":").is_some() {
        line.string()?;
        if line.literal(b",\"parent_run_id\":").is_some() {
            line.string()?;
        }
    }
    line.literal(b",\"contract_version\":")?;
    line.integer()?;
    matches!(line.0.first(), Some(&(b',' | b'}'))).then_some(())
}

/// The part of the prefix not matched yet.
struct Prefix<'a>(&'a [u8]);

impl<'a> Prefix<'a> {
    /// Consumes exactly `expected`.
    fn literal(&mut self, expected: &[u8]) -> Option<()> {
        self.0 = self.0.strip_prefix(expected)?;
        Some(())
    }

    /// Consumes one JSON string and returns what is between its quotes
    /// (escapes left as written): every escape valid, no raw control byte.
    fn string(&mut self) -> Option<&'a [u8]> {
        let body = self.0.strip_prefix(b"\"")?;
        let mut i = 0;
        loop {
            match *body.get(i)? {
                b'"' => break,
                b'\\' => match *body.get(i + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                    b'u' if body.get(i + 2..i + 6)?.iter().all(u8::is_ascii_hexdigit) => i += 6,
                    _ => return None,
                },
                0..0x20 => return None,
                _ => i += 1,
            }
        }
        self.0 = &body[i + 1..];
        Some(&body[..i])
    }

    /// Consumes a JSON non-negative integer (`0`, or digits without a
    /// leading zero).
    fn integer(&mut self) -> Option<()> {
        let digits = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || (digits > 1 && self.0[0] == b'0') {
            return None;
        }
        self.0 = &self.0[digits..];
        Some(())
    }
}

/// Whether `ts` has the one shape the contract allows: RFC 3339, UTC, six
/// fractional digits (`2026-11-25T10:46:11.126706Z`).
fn is_timestamp(ts: &[u8]) -> bool {
    const SHAPE: &[u8; 27] = b"0000-00-00T00:00:00.000000Z";
    ts.len() == SHAPE.len()
        && ts.iter().zip(SHAPE).all(|(&byte, &shape)| {
            if shape == b'0' {
                byte.is_ascii_digit()
            } else {
                byte == shape
            }
        })
}
