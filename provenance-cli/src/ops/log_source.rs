//! Where a verb that reads many logs gets them: the files on disk, or (the
//! live view) the bytes read of them so far, kept in memory and grown as
//! the files grow.

use std::path::{Path, PathBuf};

use crate::error::CliError;
use crate::ops::reader::LogReader;
use crate::ops::scan::{Scan, ScanOptions, scan};
use crate::ops::schemas::Schemas;

/// The logs a verb reads, file by file.
pub(crate) trait LogSource {
    /// The log files, in the order given.
    fn files(&self) -> &[PathBuf];
    /// `file` scanned.
    fn scan(&self, file: &Path, options: &ScanOptions) -> Result<Scan, CliError>;
    /// `file`'s lines, read again.
    fn lines(&self, file: &Path, max_line: usize) -> Result<LogReader, CliError>;
    /// A number that changes whenever `file`'s lines do, where the source
    /// knows one (the live view's bytes in memory): what was read of an
    /// unchanged file may be kept. `None`: read it again each time.
    fn version(&self, _file: &Path) -> Option<u64> {
        None
    }
}

/// The logs as the files on disk are now.
#[derive(Debug)]
pub(crate) struct Disk {
    files: Vec<PathBuf>,
}

impl Disk {
    /// The logs that `paths` (files, folders, patterns) name.
    pub(crate) fn expand(paths: &[PathBuf]) -> Result<Disk, CliError> {
        Ok(Disk {
            files: crate::ops::log_paths::expand(paths)?,
        })
    }
}

impl LogSource for Disk {
    fn files(&self) -> &[PathBuf] {
        &self.files
    }

    fn scan(&self, file: &Path, options: &ScanOptions) -> Result<Scan, CliError> {
        scan(&[file.to_path_buf()], options, Schemas::default())
    }

    fn lines(&self, file: &Path, max_line: usize) -> Result<LogReader, CliError> {
        LogReader::open(file, max_line)
    }
}
