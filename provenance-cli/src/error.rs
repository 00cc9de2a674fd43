//! Errors that stop a verb (exit status 2): the log cannot be read at all,
//! or the request cannot be answered. Problems *inside* a log are not
//! errors; they are findings ([`crate::ops::line::Problem`]).

use std::path::PathBuf;

/// Why a verb could not run.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The file does not exist or cannot be opened.
    #[error("cannot open {}: {source}", path.display())]
    Open {
        /// The path given.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },

    /// A directory was given where a log file was expected.
    #[error("{} is a directory, not a log file (logs are in logs/provenance/<session>.ndjson)", .0.display())]
    IsDirectory(PathBuf),

    /// A file that is binary, not NDJSON text (`reader::binary_reason`).
    #[error(
        "{name} is not a log: {reason} in its first KiB, outside any line starting with {{; \
         a log is NDJSON text, one JSON object a line"
    )]
    NotALog {
        /// The file as given (`<stdin>` for standard input).
        name: String,
        /// What in its first KiB makes it binary.
        reason: String,
    },

    /// Reading failed part-way.
    #[error("cannot read {} at line {line}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The line being read.
        line: u64,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },

    /// A file could not be written (`export parquet`'s tables, `report`'s
    /// page): the folder cannot be created, the file cannot be created or
    /// renamed, or the Parquet writer failed.
    #[error("cannot write {}: {message}", path.display())]
    WriteTable {
        /// The file (or folder).
        path: PathBuf,
        /// What went wrong.
        message: String,
    },

    /// A `--schema` file that cannot be used.
    #[error("schema file {}: {message}", path.display())]
    SchemaFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },

    /// The log holds no session to work on.
    #[error("{0}: no session in this log (no line with a session_id)")]
    NoSession(String),

    /// The log holds several sessions and none was chosen.
    #[error("{file} holds {} sessions ({}); choose one with {flag} <SESSION_ID>", sessions.len(), sessions.join(", "))]
    AmbiguousSession {
        /// The file.
        file: String,
        /// Its sessions.
        sessions: Vec<String>,
        /// The option that chooses one.
        flag: &'static str,
    },

    /// The chosen session is not in the log.
    #[error("{file} has no session {session:?} (it holds {})", sessions.join(", "))]
    UnknownSession {
        /// The file.
        file: String,
        /// The session asked for.
        session: String,
        /// The sessions it holds.
        sessions: Vec<String>,
    },

    /// A session written under a newer contract than this tool reads.
    #[error(
        "{file}: session {session} follows contract version {version}, newer than the version \
         {supported} this tool reads; upgrade ith-provenance-cli"
    )]
    NewerContract {
        /// The file.
        file: String,
        /// The session.
        session: String,
        /// Its contract version.
        version: u64,
        /// The version this tool reads.
        supported: u64,
    },

    /// Writing the output failed (a closed pipe is not an error).
    #[error("cannot write output: {0}")]
    Output(#[source] std::io::Error),

    /// An export could not be delivered (`export openlineage --url`).
    #[error("export openlineage: {0}")]
    Export(String),

    /// A bad option value that clap cannot check.
    #[error("{0}")]
    Usage(String),

    /// A run that cannot be rerun (`rerun`): what is missing or wrong.
    #[error("rerun: {0}")]
    Rerun(String),
}

impl From<crate::ops::rerun::Refusal> for CliError {
    fn from(refusal: crate::ops::rerun::Refusal) -> CliError {
        CliError::Rerun(refusal.0)
    }
}
