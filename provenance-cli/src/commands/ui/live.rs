//! The logs as read so far: for each file, its complete lines in memory
//! and how far it was read, grown by the bytes appended since. A file that
//! got shorter (replaced or truncated) is read again from the start.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::CliError;
use crate::ops::log_source::LogSource;
use crate::ops::reader::LogReader;
use crate::ops::scan::{Scan, ScanOptions, scan_bytes};

/// One file's bytes read so far.
#[derive(Debug, Default)]
struct Tail {
    /// Changes whenever `lines` does (a number no other state of any file
    /// had), so what was read of unchanged lines can be kept.
    version: u64,
    /// Bytes read from the file.
    read: u64,
    /// Its complete lines.
    lines: Vec<u8>,
    /// What follows the last complete line (a line being written).
    partial: Vec<u8>,
}

/// The logs named by a `ui`'s paths, read incrementally.
#[derive(Debug)]
pub(crate) struct Live {
    paths: Vec<PathBuf>,
    files: Vec<PathBuf>,
    tails: BTreeMap<PathBuf, Tail>,
    /// The last version given out.
    versions: u64,
    /// Each file's last scan, at (version, line limit): an unchanged file
    /// is not scanned again.
    scans: RefCell<HashMap<PathBuf, (u64, usize, Scan)>>,
}

impl Live {
    pub(crate) fn new(paths: &[PathBuf]) -> Live {
        Live {
            paths: paths.to_vec(),
            files: Vec::new(),
            tails: BTreeMap::new(),
            versions: 0,
            scans: RefCell::new(HashMap::new()),
        }
    }

    /// Finds the logs the paths name now and reads what was appended to
    /// each; returns whether any complete line was added (or a log came or
    /// went).
    pub(crate) fn look(&mut self) -> Result<bool, CliError> {
        let files = crate::ops::log_paths::expand_watched(&self.paths)?;
        let mut changed = files != self.files;
        let present: HashSet<&PathBuf> = files.iter().collect();
        self.tails.retain(|path, _| present.contains(path));
        self.scans
            .get_mut()
            .retain(|path, _| present.contains(path));
        for file in &files {
            let tail = self.tails.entry(file.clone()).or_default();
            if read_more(file, tail)? {
                self.versions += 1;
                tail.version = self.versions;
                changed = true;
            }
        }
        self.files = files;
        Ok(changed)
    }
}

/// Reads the bytes appended to `file` since `tail` was last grown.
fn read_more(file: &Path, tail: &mut Tail) -> Result<bool, CliError> {
    let open_error = |source| CliError::Open {
        path: file.to_path_buf(),
        source,
    };
    let mut handle = std::fs::File::open(file).map_err(open_error)?;
    let len = handle.metadata().map_err(open_error)?.len();
    let mut changed = false;
    if len < tail.read {
        // Replaced or truncated: what was read is no longer the file.
        *tail = Tail::default();
        changed = true;
    }
    if len == tail.read {
        return Ok(changed);
    }
    let read_error = |source| CliError::Read {
        path: file.to_path_buf(),
        line: 0,
        source,
    };
    handle
        .seek(SeekFrom::Start(tail.read))
        .map_err(read_error)?;
    let before = tail.partial.len();
    handle
        .take(len - tail.read)
        .read_to_end(&mut tail.partial)
        .map_err(read_error)?;
    tail.read += (tail.partial.len() - before) as u64;
    if let Some(end) = tail.partial.iter().rposition(|&b| b == b'\n') {
        tail.lines.extend(tail.partial.drain(..=end));
        changed = true;
    }
    Ok(changed)
}

impl LogSource for Live {
    fn files(&self) -> &[PathBuf] {
        &self.files
    }

    fn scan(&self, file: &Path, options: &ScanOptions) -> Result<Scan, CliError> {
        let version = self.version(file).unwrap_or(0);
        if let Some((v, max_line, scan)) = self.scans.borrow().get(file)
            && (*v, *max_line) == (version, options.max_line)
        {
            return Ok(scan.clone());
        }
        let lines = self.tails.get(file).map_or(&[][..], |t| &t.lines[..]);
        let mut scan = scan_bytes(lines, options);
        let name = file.display().to_string();
        scan.files = vec![name.clone()];
        for session in &mut scan.sessions {
            session.file.clone_from(&name);
        }
        self.scans.borrow_mut().insert(
            file.to_path_buf(),
            (version, options.max_line, scan.clone()),
        );
        Ok(scan)
    }

    fn version(&self, file: &Path) -> Option<u64> {
        self.tails.get(file).map(|t| t.version)
    }

    fn lines(&self, file: &Path, max_line: usize) -> Result<LogReader, CliError> {
        let lines = self.tails.get(file).map_or(Vec::new(), |t| t.lines.clone());
        Ok(LogReader::new(
            Box::new(std::io::Cursor::new(lines)),
            file.display().to_string(),
            max_line,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn only_complete_lines_are_kept_and_a_shorter_file_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ndjson");
        std::fs::write(&path, "{\"a\":1}\n{\"b\":").unwrap();
        let mut tail = Tail::default();
        assert!(read_more(&path, &mut tail).unwrap());
        assert_eq!(tail.lines, b"{\"a\":1}\n");
        assert!(!read_more(&path, &mut tail).unwrap(), "nothing new");
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"2}\n").unwrap();
        assert!(read_more(&path, &mut tail).unwrap());
        assert_eq!(tail.lines, b"{\"a\":1}\n{\"b\":2}\n");
        assert_eq!(tail.read, 16);
        std::fs::write(&path, "{\"c\":3}\n").unwrap();
        assert!(read_more(&path, &mut tail).unwrap());
        assert_eq!(tail.lines, b"{\"c\":3}\n");
    }
}

#[cfg(test)]
mod cache_tests {
    use std::cell::Cell;
    use std::io::Write;

    use clap::Parser;

    use super::*;
    use crate::commands::report::data::{RunKeys, gather};
    use crate::commands::runs::SelectArgs;

    /// The live view as a source, counting the logs read again line by line.
    struct Counted<'a> {
        live: &'a Live,
        lines: Cell<usize>,
    }

    impl LogSource for Counted<'_> {
        fn files(&self) -> &[PathBuf] {
            self.live.files()
        }
        fn scan(&self, file: &Path, options: &ScanOptions) -> Result<Scan, CliError> {
            self.live.scan(file, options)
        }
        fn lines(&self, file: &Path, max_line: usize) -> Result<LogReader, CliError> {
            self.lines.set(self.lines.get() + 1);
            self.live.lines(file, max_line)
        }
        fn version(&self, file: &Path) -> Option<u64> {
            self.live.version(file)
        }
    }

    #[derive(Parser)]
    struct Args {
        #[command(flatten)]
        select: SelectArgs,
    }

    /// A log unchanged since the last gather, whose shown runs are the
    /// same, is not read again, and the page's data is the same; a log
    /// that grew is, and the data has its new runs.
    #[test]
    fn an_unchanged_log_is_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.ndjson"), dir.path().join("b.ndjson"));
        let log = provenance_test_support::logs::ith_epochs();
        std::fs::write(&a, log).unwrap();
        std::fs::write(&b, log).unwrap();
        let args = Args::parse_from(["ui", dir.path().to_str().unwrap()]).select;
        let mut live = Live::new(&args.paths);
        live.look().unwrap();
        let mut keys = RunKeys::default();
        let data = |live: &Live, keys: &mut RunKeys| {
            let source = Counted {
                live,
                lines: Cell::new(0),
            };
            let gathered = gather(&args, &source, keys, &mut std::io::sink()).unwrap();
            let mut json: serde_json::Value = serde_json::from_str(&gathered.json).unwrap();
            json["generated_at"] = serde_json::Value::Null;
            (json, source.lines.get())
        };
        let (first, read) = data(&live, &mut keys);
        assert_eq!(read, 2, "both logs read the first time");
        let (again, read) = data(&live, &mut keys);
        assert_eq!(read, 0, "neither read again");
        assert_eq!(again, first, "the same data from what was kept");

        std::fs::OpenOptions::new()
            .append(true)
            .open(&b)
            .unwrap()
            .write_all(log.replace("sess_", "sesx_").as_bytes())
            .unwrap();
        assert!(live.look().unwrap());
        let (grown, read) = data(&live, &mut keys);
        assert_eq!(read, 1, "only the log that grew");
        let rows = |d: &serde_json::Value| d["table"]["rows"].as_array().unwrap().len();
        assert_eq!(rows(&grown), rows(&first) + rows(&first) / 2);
        assert_eq!(
            grown["runs"]["r0"], first["runs"]["r0"],
            "kept runs as they were"
        );
    }
}
