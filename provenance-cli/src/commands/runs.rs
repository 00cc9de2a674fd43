//! `runs`: one row per run (`algorithm.init` … `algorithm.result`) across
//! many logs, filtered, sorted and printed as a table, CSV or JSON.
//!
//! Each file is scanned on its own and only its rows are kept, each about
//! the size of its CSV line (`row.rs`), so memory grows with the runs
//! listed, not with the logs' lines or sessions. A session split over two
//! files is read as two (each with its own runs).
//!
//! `row.rs` builds a row and compares cells, `filter.rs` parses and tests
//! `--where`, `group.rs` folds runs by configuration (`--group-by`),
//! `suggest.rs` names the columns near one no run has, `table.rs` prints.

mod filter;
mod group;
pub(crate) mod row;
mod suggest;
pub(crate) mod table;

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::error::CliError;
use crate::ops::log_source::{Disk, LogSource};
use crate::ops::reader::ReadOptions;
use crate::ops::scan::{Scan, ScanOptions};
use row::{Columns, Row, compare, text};

/// Which runs `runs` lists (and `report` shows), in what order.
#[derive(Clone, Debug, Args)]
pub struct SelectArgs {
    /// Log files, directories (searched recursively for *.ndjson and
    /// *.jsonl) and patterns (`logs/*/sess_*.ndjson`).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Keep rows where COLUMN OP VALUE holds; OP is =, !=, <, <=, >, >=
    /// (numbers compare as numbers, anything else as text). Repeat to
    /// require several.
    #[arg(long = "where", value_name = "COLUMN OP VALUE")]
    pub conditions: Vec<String>,
    /// Keep runs of this experiment only.
    #[arg(long, value_name = "NAME")]
    pub experiment: Option<String>,
    /// Keep runs started at or after this time (RFC 3339, or a date:
    /// 2026-11-25, read as UTC midnight).
    #[arg(long, value_name = "TIMESTAMP|DATE")]
    pub since: Option<String>,
    /// Sort by this column (a leading - sorts descending); rows without it
    /// come last. A column no run read has is an error naming the nearest
    /// ones.
    #[arg(long, value_name = "COLUMN", allow_hyphen_values = true)]
    pub sort: Option<String>,
    /// Fold the runs into one row per distinct tuple of these
    /// configuration values (config.KEY, comma-separated), with the runs
    /// counted (n) and each numeric metric's mean, sample std, min and max
    /// (metric.NAME.mean, .std, .min, .max). --where filters runs before;
    /// --sort sorts the groups.
    #[arg(
        long = "group-by",
        value_name = "config.KEY[,config.KEY…]",
        value_delimiter = ','
    )]
    pub group_by: Vec<String>,
    /// Keep at most N rows (after sorting).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub read: ReadOptions,
}

/// `runs`.
#[derive(Debug, Args)]
pub struct RunsArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Print a JSON array of objects.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV.
    #[arg(long)]
    pub csv: bool,
}

/// Parses `--since`: an RFC 3339 time or a date (UTC midnight).
pub(crate) fn parse_since(text: &str) -> Result<chrono::DateTime<chrono::Utc>, CliError> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(d.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    Err(CliError::Usage(format!(
        "bad --since {text:?}: expected an RFC 3339 time (2026-11-25T10:46:11Z) or a date \
         (2026-11-25)"
    )))
}

/// Runs `runs`: exit 0 when a row is printed, 1 when no run matches.
pub(crate) fn run(
    args: &RunsArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, CliError> {
    let source = Disk::expand(&args.select.paths)?;
    let selected = select(&args.select, &source, err)?;
    finish(
        args,
        &selected.rows,
        &selected.columns,
        selected.files.len(),
        out,
    )
}

/// The rows [`select`] keeps, their columns, and the files read.
#[derive(Debug)]
pub(crate) struct Selected {
    pub(crate) rows: Vec<Row>,
    pub(crate) columns: Columns,
    pub(crate) files: Vec<PathBuf>,
    /// The runs the filters kept, before folding and `--limit`: (session
    /// id, run id).
    pub(crate) matched: HashSet<(String, String)>,
}

/// Reads the logs and keeps, folds and orders the rows as `args` say; a
/// `--where` column no run has is a warning on `err`.
pub(crate) fn select(
    args: &SelectArgs,
    source: &dyn LogSource,
    err: &mut dyn Write,
) -> Result<Selected, CliError> {
    let conditions = args
        .conditions
        .iter()
        .map(|c| filter::parse(c))
        .collect::<Result<Vec<_>, _>>()?;
    let since = args.since.as_deref().map(parse_since).transpose()?;
    group::check_keys(&args.group_by)?;
    let files = source.files().to_vec();
    let options = ScanOptions {
        max_line: args.read.max_line_bytes,
        max_findings: 0,
        ..ScanOptions::default()
    };
    let mut rows = Vec::new();
    let mut matched = HashSet::new();
    // Every column any run read has, listed or not (for the --where
    // warning and the --sort error).
    let mut columns = Columns::default();
    let mut read = 0usize;
    for file in &files {
        let scan = source.scan(file, &options)?;
        warn_unread(file, &scan, err)?;
        for session in &scan.sessions {
            if args
                .experiment
                .as_ref()
                .is_some_and(|e| session.experiment_id.as_ref() != Some(e))
            {
                continue;
            }
            for r in &session.runs {
                if let Some(since) = since {
                    let started = r
                        .start_ts
                        .as_deref()
                        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
                    if started.is_none_or(|t| t < since) {
                        continue;
                    }
                }
                read += 1;
                let row = Row::new(session, r, &mut columns);
                if conditions.iter().all(|c| c.matches(&row, &columns)) {
                    matched.insert((session.id.clone(), r.id.clone()));
                    rows.push(row);
                }
            }
        }
    }
    for (column, (run, shown, hidden)) in &columns.shared {
        let two = if shown == hidden {
            // `{"a.b": 1, "a": {"b": 2}}`
            format!("{shown} written both as one dotted key and nested")
        } else {
            format!("{shown} and {hidden}")
        };
        writeln!(
            err,
            "provenance: warning: column {column}: run {run} has two values for it, {two}; it \
             shows the first (rename one to see both)"
        )
        .map_err(CliError::Output)?;
    }
    for c in &conditions {
        if columns.find(&c.column).is_none() {
            writeln!(
                err,
                "provenance: warning: {}",
                suggest::unknown_column(&c.column, "--where", &columns)
            )
            .map_err(CliError::Output)?;
        }
    }
    if !args.group_by.is_empty() {
        let mut keys = Vec::new();
        for key in &args.group_by {
            match columns.find(key) {
                Some(id) => keys.push(id),
                // Without any run read, "no run matches" says it all.
                None if read == 0 => {
                    return Ok(Selected {
                        rows: Vec::new(),
                        columns,
                        files,
                        matched,
                    });
                }
                None => {
                    let option = format!("--group-by {}", args.group_by.join(","));
                    return Err(CliError::Usage(suggest::unknown_column(
                        key, &option, &columns,
                    )));
                }
            }
        }
        (rows, columns) = group::fold(&rows, &columns, &keys);
    }
    if let Some(sort) = &args.sort {
        let (column, descending) = match sort.strip_prefix('-') {
            Some(c) => (c, true),
            None => (sort.as_str(), false),
        };
        let id = columns.find(column);
        // Without any run read, "no run matches" says it all.
        if id.is_none() && read > 0 {
            let option = format!("--sort {sort}");
            let folded: Vec<String> = group::STATS
                .iter()
                .map(|stat| format!("{column}.{stat}"))
                .filter(|c| columns.find(c).is_some())
                .collect();
            if !args.group_by.is_empty() && !folded.is_empty() {
                // The runs' column, folded into its groups' statistics.
                let sign = if descending { "-" } else { "" };
                return Err(CliError::Usage(format!(
                    "{option}: the runs are grouped (--group-by), and {column} is folded into \
                     {}; sort by one of them, e.g. --sort {sign}{}",
                    folded.join(", "),
                    folded[0]
                )));
            }
            return Err(CliError::Usage(suggest::unknown_column(
                column, &option, &columns,
            )));
        }
        rows.sort_by(
            |a, b| match (id.and_then(|i| a.get(i)), id.and_then(|i| b.get(i))) {
                (Some(x), Some(y)) if descending => compare(y, x),
                (Some(x), Some(y)) => compare(x, y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
        );
    }
    if let Some(limit) = args.limit {
        rows.truncate(limit);
    }
    if args.group_by.is_empty() {
        // The runs listed: --limit may have cut some.
        matched = rows
            .iter()
            .map(|r| (text(r.get(0)).to_string(), text(r.get(1)).to_string()))
            .collect();
    }
    Ok(Selected {
        rows,
        columns,
        files,
        matched,
    })
}

/// Says on stderr what of `file` the rows cannot show: an empty file, a
/// file with no log line, or lines that are not as the contract says
/// (torn by a kill, broken, foreign), whose events are left out.
fn warn_unread(file: &Path, scan: &Scan, err: &mut dyn Write) -> Result<(), CliError> {
    let name = file.display();
    let said = if !scan.empty_files.is_empty() {
        format!("{name}: empty log (no lines; a log starts with session.start): no run in it")
    } else if scan.lines == 0 {
        format!(
            "{name}: not a log: none of its {} line(s) starts with {{ (a log starts with \
             session.start)",
            scan.skipped_lines
        )
    } else if scan.invalid_lines > 0 {
        format!(
            "{name}: {} line(s) not as the contract says (torn by a kill, broken or foreign): \
             what they hold is left out; `provenance validate {name}` lists them",
            scan.invalid_lines
        )
    } else {
        return Ok(());
    };
    writeln!(err, "provenance: warning: {said}").map_err(CliError::Output)
}

/// Prints the rows as asked; exit 0 when a row is printed, 1 when none.
fn finish(
    args: &RunsArgs,
    rows: &[Row],
    columns: &Columns,
    files: usize,
    out: &mut dyn Write,
) -> Result<i32, CliError> {
    if args.json {
        table::print_json(rows, columns, out)?;
    } else if args.csv {
        table::print_csv(rows, columns, out)?;
    } else if rows.is_empty() {
        crate::output::out!(out, "no run matches ({files} file(s) read)");
    } else {
        table::print_text(rows, columns, out)?;
    }
    Ok(if rows.is_empty() { 1 } else { 0 })
}
