//! One Parquet file being written: Snappy-compressed, row groups of at
//! most [`ROW_GROUP_ROWS`] rows, written under a temporary name
//! (`NAME.partial`) and left there, complete and on disk, until both
//! tables are written: `pair.rs` gives them their names, both or neither.
//! A partial file is removed whenever its table is dropped unpublished.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::Schema;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::error::CliError;

/// The most rows a row group (and a record batch) holds: 64 Ki, small
/// enough that the writer's buffered row group stays bounded, large enough
/// for readers to skip row groups by their statistics.
pub(super) const ROW_GROUP_ROWS: usize = 1 << 16;

/// The most bytes of text a record batch gathers before it is written,
/// whatever its rows: lines can be up to `--max-line-bytes` long.
pub(super) const BATCH_BYTES: usize = 32 << 20;

/// A Parquet file being written. Dropped unfinished (an error on the
/// way), it removes its partial file.
pub(super) struct TableFile {
    path: PathBuf,
    partial: PathBuf,
    /// `None` once finished.
    writer: Option<ArrowWriter<BufWriter<File>>>,
}

impl TableFile {
    /// Creates `path` (as `path.partial` until [`TableFile::finish`]).
    pub(super) fn create(path: &Path, schema: Arc<Schema>) -> Result<TableFile, CliError> {
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let file = File::create(&partial).map_err(|e| fail(&partial, &e))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_created_by(format!("provenance {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = ArrowWriter::try_new(
            BufWriter::with_capacity(1 << 20, file),
            schema,
            Some(properties),
        )
        .map_err(|e| fail(&partial, &e))?;
        Ok(TableFile {
            path: path.to_path_buf(),
            partial,
            writer: Some(writer),
        })
    }

    /// An error writing this file.
    pub(super) fn error(&self, error: &dyn std::fmt::Display) -> CliError {
        fail(&self.path, error)
    }

    /// Appends a batch of rows.
    pub(super) fn write(&mut self, batch: &RecordBatch) -> Result<(), CliError> {
        match &mut self.writer {
            Some(writer) => writer.write(batch).map_err(|e| fail(&self.partial, &e)),
            None => Ok(()),
        }
    }

    /// Writes the footer and the file's bytes to the disk; the file keeps
    /// its partial name until [`super::pair::publish`].
    pub(super) fn finish(mut self) -> Result<Written, CliError> {
        // Taken first: from here the partial file belongs to `written`,
        // which removes it on every way out but publication.
        let writer = self.writer.take();
        let written = Written {
            path: std::mem::take(&mut self.path),
            partial: std::mem::take(&mut self.partial),
            published: false,
        };
        if let Some(writer) = writer {
            let out = writer
                .into_inner()
                .map_err(|e| fail(&written.partial, &e))?;
            // Flushed here, where a full disk is an error, not on drop.
            let file = out
                .into_inner()
                .map_err(|e| fail(&written.partial, e.error()))?;
            // On the disk before it is renamed: a crash after the rename
            // must not leave an empty table under the final name.
            file.sync_all().map_err(|e| fail(&written.partial, &e))?;
        }
        Ok(written)
    }
}

impl Drop for TableFile {
    fn drop(&mut self) {
        if self.writer.is_some() {
            // Best effort: the error that stopped the export is the one
            // the user needs to read.
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

/// A complete table under its partial name, waiting for its pair.
/// Dropped unpublished, it removes its file.
pub(super) struct Written {
    /// The final name.
    pub(super) path: PathBuf,
    /// The name it has until published.
    pub(super) partial: PathBuf,
    /// Set once renamed to `path`.
    pub(super) published: bool,
}

impl Drop for Written {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

pub(super) fn fail(path: &Path, error: &dyn std::fmt::Display) -> CliError {
    CliError::WriteTable {
        path: path.to_path_buf(),
        message: error.to_string(),
    }
}
