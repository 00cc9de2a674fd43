//! Where lines go: a file opened for appending, stdout, stderr, any writer,
//! memory, or nowhere.

use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::folder::create_default_folder;

/// Where an [`EventLog`](crate::EventLog) writes.
#[non_exhaustive]
pub enum LogTarget {
    /// `PROVENANCE_LOG` if set and not blank, else `logs/provenance/<session_id>.ndjson`
    /// under the working directory. When the log creates that default
    /// folder, it writes a `.gitignore` holding `*` in it, so the logs stay
    /// out of the repository (`docs/GIT.md`, *Our own logs*).
    FromEnv,
    /// This file, created if missing (its folder must exist), opened for
    /// appending (several threads and processes may share it).
    File(PathBuf),
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
    /// Any writer (a socket, a pipe, a test buffer).
    Writer(Box<dyn Write + Send>),
    /// An in-memory buffer, for tests.
    Memory(MemorySink),
    /// Nowhere: events are encoded and counted, then discarded.
    Off,
}

impl std::fmt::Debug for LogTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LogTarget::FromEnv => f.write_str("FromEnv"),
            LogTarget::File(p) => f.debug_tuple("File").field(p).finish(),
            LogTarget::Stdout => f.write_str("Stdout"),
            LogTarget::Stderr => f.write_str("Stderr"),
            LogTarget::Writer(_) => f.write_str("Writer(..)"),
            LogTarget::Memory(_) => f.write_str("Memory(..)"),
            LogTarget::Off => f.write_str("Off"),
        }
    }
}

impl LogTarget {
    /// Decides `FromEnv` by `PROVENANCE_LOG`'s value (`env_value`, `None`
    /// when unset), falling back to the default path for `session_id` when
    /// it is unset or blank. A value that is not UTF-8 is a path, used as
    /// it is.
    pub(crate) fn resolve(self, env_value: Option<&OsStr>, session_id: &str) -> Resolved {
        let chosen = |target| Resolved {
            target,
            default_path: false,
        };
        let LogTarget::FromEnv = self else {
            return chosen(self);
        };
        let Some(value) = env_value else {
            return Resolved {
                target: LogTarget::File(default_log_path(session_id)),
                default_path: true,
            };
        };
        match value.to_str().map(str::trim) {
            Some("") => LogTarget::FromEnv.resolve(None, session_id),
            Some("stdout" | "-") => chosen(LogTarget::Stdout),
            Some("stderr") => chosen(LogTarget::Stderr),
            Some("off") => chosen(LogTarget::Off),
            Some(path) => chosen(LogTarget::File(PathBuf::from(path))),
            None => chosen(LogTarget::File(PathBuf::from(value))),
        }
    }
}

/// A target with `FromEnv` decided.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub(crate) target: LogTarget,
    /// Whether it is [`default_log_path`], whose folder gets a `.gitignore`
    /// when created: a folder the user named is theirs to manage.
    pub(crate) default_path: bool,
}

/// `logs/provenance/<session_id>.ndjson`, relative to the working directory.
pub fn default_log_path(session_id: &str) -> PathBuf {
    Path::new("logs")
        .join("provenance")
        .join(format!("{session_id}.ndjson"))
}

/// A shared in-memory log, for tests: clone it, hand one clone to the log,
/// read the other.
///
/// ```
/// let sink = ith_provenance::log::MemorySink::new();
/// assert!(sink.lines().is_empty());
/// ```
#[derive(Clone, Debug, Default)]
pub struct MemorySink(Arc<Mutex<Vec<u8>>>);

impl MemorySink {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Everything written so far.
    pub fn contents(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// The lines written so far, without their `\n`.
    pub fn lines(&self) -> Vec<String> {
        self.contents().lines().map(str::to_string).collect()
    }

    fn append(&self, bytes: &[u8]) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
    }
}

/// An opened destination.
pub(crate) enum Sink {
    File { file: File, path: PathBuf },
    Stdout,
    Stderr,
    Writer(Box<dyn Write + Send>),
    Memory(MemorySink),
    Off,
}

impl Sink {
    pub(crate) fn open(resolved: Resolved) -> io::Result<Sink> {
        Ok(match resolved.target {
            LogTarget::File(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    if resolved.default_path {
                        create_default_folder(dir)?;
                    } else if !dir.is_dir() {
                        // A folder the user named is never made up: a typo
                        // would silently log somewhere nobody looks.
                        return Err(io::Error::new(
                            io::ErrorKind::NotFound,
                            format!(
                                "its folder {} does not exist (only the default logs/provenance/ \
                                 is created; create the folder, or check the path for a typo)",
                                dir.display()
                            ),
                        ));
                    }
                }
                let mut file = OpenOptions::new().create(true).append(true).open(&path)?;
                end_torn_line(&mut file, &path);
                Sink::File { file, path }
            }
            // `resolve` has turned FromEnv into a concrete target already.
            LogTarget::FromEnv | LogTarget::Stdout => Sink::Stdout,
            LogTarget::Stderr => Sink::Stderr,
            LogTarget::Writer(w) => Sink::Writer(w),
            LogTarget::Memory(m) => Sink::Memory(m),
            LogTarget::Off => Sink::Off,
        })
    }

    /// The log file, or why there is none to put files beside.
    pub(crate) fn file_or_why(&self) -> Result<&Path, &'static str> {
        match self {
            Sink::File { path, .. } => Ok(path),
            Sink::Stdout => Err("the log goes to standard output, which has no folder"),
            Sink::Stderr => Err("the log goes to standard error, which has no folder"),
            Sink::Writer(_) => Err("the log goes to a writer, which has no folder"),
            Sink::Memory(_) => Err("the log is kept in memory, which has no folder"),
            Sink::Off => Err("the log is off"),
        }
    }

    /// A name for messages: the path, or `stdout`, ….
    pub(crate) fn describe(&self) -> String {
        match self {
            Sink::File { path, .. } => path.display().to_string(),
            Sink::Stdout => "stdout".into(),
            Sink::Stderr => "stderr".into(),
            Sink::Writer(_) => "the log's writer".into(),
            Sink::Memory(_) => "memory".into(),
            Sink::Off => "off".into(),
        }
    }

    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            Sink::File { path, .. } => Some(path),
            _ => None,
        }
    }

    /// Writes whole lines. A file gets them in as few `write` calls as the
    /// kernel allows (one, normally), appended atomically, so lines from
    /// other threads and processes never interleave with them. If a write
    /// fails after part of a line went out, a `\n` is attempted so the torn
    /// line does not swallow the next one.
    pub(crate) fn write_lines(&mut self, bytes: &[u8]) -> Result<(), PartialWrite> {
        match self {
            Sink::File { file, .. } => write_all_terminated(file, bytes),
            Sink::Stdout => {
                let mut out = io::stdout().lock();
                write_all_terminated(&mut out, bytes).and_then(|()| flush(&mut out))
            }
            Sink::Stderr => write_all_terminated(&mut io::stderr().lock(), bytes),
            Sink::Writer(w) => write_all_terminated(w, bytes).and_then(|()| flush(w)),
            Sink::Memory(m) => {
                m.append(bytes);
                Ok(())
            }
            Sink::Off => Ok(()),
        }
    }

    /// Forces written lines to stable storage (files only).
    pub(crate) fn sync(&mut self) -> io::Result<()> {
        match self {
            Sink::File { file, .. } => file.sync_data(),
            _ => Ok(()),
        }
    }
}

/// A process killed in the middle of a `write` (`kill -9` can stop the
/// kernel between pages) leaves a line without its `\n`; ends it, so this
/// session's first line is not glued to the fragment. Best effort: a file
/// that cannot be read back is left as it is.
fn end_torn_line(file: &mut File, path: &Path) {
    let torn = || -> io::Result<bool> {
        let meta = file.metadata()?;
        // Only regular files: reading a FIFO or a device could block.
        if !meta.is_file() || meta.len() == 0 {
            return Ok(false);
        }
        let mut reader = File::open(path)?;
        let last_byte = |reader: &mut File, len: u64| -> io::Result<u8> {
            reader.seek(SeekFrom::Start(len - 1))?;
            let mut last = [0u8];
            reader.read_exact(&mut last)?;
            Ok(last[0])
        };
        if last_byte(&mut reader, meta.len())? == b'\n' {
            return Ok(false);
        }
        // Another process may be in the middle of appending its line (the
        // size grows page by page while its write runs): that line will
        // end. Only a fragment that stays as it is was torn by a writer
        // that died; ending a live writer's line would leave an empty line.
        std::thread::sleep(std::time::Duration::from_millis(50));
        let now = file.metadata()?.len();
        Ok(now == meta.len() && last_byte(&mut reader, now)? != b'\n')
    };
    if torn().unwrap_or(false) {
        let _ = file.write_all(b"\n");
    }
}

/// A failed write, and how many bytes reached the destination before it
/// failed: the lines among them arrived whole and are not lost.
#[derive(Debug)]
pub(crate) struct PartialWrite {
    pub(crate) written: usize,
    pub(crate) error: io::Error,
}

/// Flushes a writer that may buffer: if that fails, nothing is known to
/// have arrived.
fn flush<W: Write + ?Sized>(w: &mut W) -> Result<(), PartialWrite> {
    w.flush()
        .map_err(|error| PartialWrite { written: 0, error })
}

fn write_all_terminated<W: Write + ?Sized>(w: &mut W, bytes: &[u8]) -> Result<(), PartialWrite> {
    let mut written = 0;
    while written < bytes.len() {
        match w.write(&bytes[written..]) {
            Ok(0) => {
                return Err(finish_torn(
                    w,
                    bytes,
                    written,
                    io::ErrorKind::WriteZero.into(),
                ));
            }
            Ok(n) => written += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(finish_torn(w, bytes, written, e)),
        }
    }
    Ok(())
}

fn finish_torn<W: Write + ?Sized>(
    w: &mut W,
    bytes: &[u8],
    written: usize,
    error: io::Error,
) -> PartialWrite {
    if written > 0 && bytes[written - 1] != b'\n' {
        let _ = w.write(b"\n");
    }
    PartialWrite { written, error }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(value: Option<&OsStr>) -> (String, bool) {
        let resolved = LogTarget::FromEnv.resolve(value, "sess_x");
        (format!("{:?}", resolved.target), resolved.default_path)
    }

    #[test]
    fn provenance_log_names_a_stream_a_path_or_nothing() {
        let default = format!("File({:?})", default_log_path("sess_x"));
        assert_eq!(resolved(None), (default.clone(), true));
        assert_eq!(resolved(Some(" \t".as_ref())), (default, true));
        assert_eq!(resolved(Some(" stdout ".as_ref())).0, "Stdout");
        assert_eq!(resolved(Some("-".as_ref())).0, "Stdout");
        assert_eq!(resolved(Some("stderr".as_ref())).0, "Stderr");
        assert_eq!(resolved(Some("off".as_ref())).0, "Off");
        assert_eq!(
            resolved(Some(" runs/a.ndjson ".as_ref())),
            (format!("File({:?})", Path::new("runs/a.ndjson")), false)
        );
    }

    /// A path that is not UTF-8 is still the user's path, not "unset".
    #[cfg(unix)]
    #[test]
    fn provenance_log_that_is_not_utf8_is_used_as_a_path() {
        use std::os::unix::ffi::OsStrExt;
        let raw = OsStr::from_bytes(b"runs/\xffa.ndjson");
        let resolved = LogTarget::FromEnv.resolve(Some(raw), "sess_x");
        assert!(!resolved.default_path);
        assert!(matches!(&resolved.target, LogTarget::File(p) if p.as_os_str() == raw));
    }
}
