//! `summary`: each session's provenance on one screen.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde_json::Value;

use crate::error::CliError;
use crate::ops::reader::ReadOptions;
use crate::ops::scan::{GitRecord, Scan, ScanOptions, Session, Status, scan};
use crate::ops::schemas::Schemas;
use crate::output::out;
use crate::seed::seed_text;

/// Dirty paths named on the `dirty by` line; the rest are counted.
const DIRTY_PATHS_SHOWN: usize = 10;

/// `summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Log files (`-` for standard input), directories (searched
    /// recursively for *.ndjson and *.jsonl) and patterns.
    #[arg(required = true, value_name = "LOG")]
    pub logs: Vec<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadOptions,
}

/// Runs `summary`: 0 when the logs hold at least one session, 1 when none.
///
/// # Errors
/// A log that cannot be read.
pub fn run(args: &SummaryArgs, out: &mut dyn Write) -> Result<i32, CliError> {
    let options = ScanOptions {
        max_line: args.read.max_line_bytes,
        max_findings: 5,
        ..ScanOptions::default()
    };
    let files = crate::ops::log_paths::expand_all(&args.logs)?;
    let scan = scan(&files, &options, Schemas::default())?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &scan).map_err(|e| CliError::Output(e.into()))?;
        out!(out, "");
    } else {
        write_text(&scan, out)?;
    }
    Ok(if scan.sessions.is_empty() { 1 } else { 0 })
}

/// The text form.
///
/// # Errors
/// Writing fails.
pub fn write_text(scan: &Scan, out: &mut dyn Write) -> Result<(), CliError> {
    for file in &scan.empty_files {
        out!(
            out,
            "{file}: empty log (no lines; a log starts with session.start)"
        );
    }
    for (i, session) in scan.sessions.iter().enumerate() {
        if i > 0 {
            out!(out, "");
        }
        write_session(session, out)?;
    }
    if scan.sessions.is_empty() && scan.empty_files.len() < scan.files.len() {
        out!(out, "no session found: no line has a valid envelope");
    }
    if scan.skipped_lines > 0 {
        out!(out, "");
        out!(out, "{}", skipped_text(scan.skipped_lines));
    }
    if scan.findings_total > 0 {
        out!(out, "");
        out!(
            out,
            "invalid   {} line(s), {} problem(s){}",
            scan.invalid_lines,
            scan.findings_total,
            if scan.findings_total as usize > scan.findings.len() {
                "; the first:"
            } else {
                ":"
            }
        );
        for f in &scan.findings {
            out!(out, "          {}:{}: {}", f.file, f.line, f.problem);
        }
        out!(out, "          (provenance validate lists them all)");
    }
    Ok(())
}

/// ` in <run_id>` for an item a run recorded.
fn in_run(run: Option<&str>) -> String {
    run.map(|r| format!(" in {r}")).unwrap_or_default()
}

fn write_session(s: &Session, out: &mut dyn Write) -> Result<(), CliError> {
    let ctx = s.context.as_ref();
    let text = |v: Option<&String>| v.map_or("?", String::as_str).to_string();
    // Lost lines and dropped events make every other line of the block
    // doubtful: say so where the eye lands first.
    let lost: u64 = s.gaps.iter().map(|(a, b)| b - a + 1).sum();
    // Each result carries the session's count so far: the largest is the
    // session's.
    let dropped = s.runs.iter().filter_map(|r| r.dropped_events).max();
    let mut losses = Vec::new();
    if lost > 0 {
        losses.push(format!("{lost} line(s) lost (seq gaps)"));
    }
    if let Some(d) = dropped.filter(|&d| d > 0) {
        losses.push(format!("{d} event(s) dropped"));
    }
    let incomplete = if losses.is_empty() {
        String::new()
    } else {
        format!("  — INCOMPLETE: {}", losses.join(", "))
    };
    out!(out, "session    {}  ({}){incomplete}", s.id, s.file);
    if !s.also_in.is_empty() {
        out!(out, "           also in {}", s.also_in.join(", "));
    }
    out!(
        out,
        "experiment {}",
        s.experiment_id.as_deref().unwrap_or("(none)")
    );
    if ctx.is_none() {
        out!(
            out,
            "context    (no session.start line: the log's start is missing)"
        );
    }
    match s.contract_version {
        Some(v) => out!(out, "contract   version {v}"),
        None => out!(
            out,
            "contract   unknown (no session.start; read as version {})",
            crate::ops::scan::CONTRACT_VERSION
        ),
    }
    if let Some(ctx) = ctx {
        let (sha, dirty) = s.git();
        let recorded = ctx.git.as_ref();
        let git = match sha {
            None => format!(
                "no commit ({})",
                recorded
                    .and_then(|g| g.reason.as_deref())
                    .unwrap_or("unknown reason")
            ),
            Some(sha) => {
                let state = match dirty {
                    Some(true) => format!(
                        "dirty, uncommitted changes {}",
                        text(recorded.and_then(|g| g.diff_hash.as_ref()))
                    ),
                    Some(false) => "clean".into(),
                    None => "dirty state unknown".into(),
                };
                let branch = recorded
                    .and_then(|g| g.branch.as_deref())
                    .map(|b| format!(" on {b}"))
                    .unwrap_or_default();
                format!("{sha} ({state}){branch}")
            }
        };
        out!(out, "git        {git}");
        let at_run = ctx.git_at_run.as_ref();
        dirty_by(out, "dirty by", recorded)?;
        dirty_by(out, "run dirty", at_run)?;
        if let Some(now) = at_run {
            out!(
                out,
                "stale      the binary was built from {}, but its source was at {} when it \
                 ran; the build's commit produced these results",
                crate::ops::git_state::describe(recorded),
                crate::ops::git_state::describe(Some(now))
            );
        }
        let krate = ctx.krate.as_ref();
        out!(
            out,
            "built by   {} {}, {}",
            text(krate.and_then(|k| k.name.as_ref())),
            text(krate.and_then(|k| k.version.as_ref())),
            text(ctx.rustc_version.as_ref())
        );
        let host = ctx.host.as_ref();
        out!(
            out,
            "host       {} {}/{}",
            text(host.and_then(|h| h.hostname.as_ref())),
            text(host.and_then(|h| h.os.as_ref())),
            text(host.and_then(|h| h.arch.as_ref()))
        );
        if let Some(cmd) = &ctx.command_line {
            let words: Vec<&str> = cmd.iter().filter_map(Value::as_str).collect();
            out!(out, "command    {}", words.join(" "));
        }
    }
    let span = match (&s.first_ts, &s.last_ts) {
        (Some(a), Some(b)) => format!("{a} .. {b} ({})", span_text(a, b)),
        _ => "?".into(),
    };
    out!(out, "time       {span}");
    for (i, seed) in s.seeds.iter().enumerate() {
        out!(
            out,
            "{} {} = {}{}{}",
            if i == 0 { "seeds     " } else { "          " },
            seed.component,
            seed_text(&seed.seed),
            seed.source
                .as_deref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default(),
            in_run(seed.run.as_deref())
        );
    }
    if let Some(hash) = ctx.and_then(|c| c.config_hash.as_deref()) {
        out!(out, "config     {hash} (context)");
    }
    for input in &s.inputs {
        let detail = match (&input.dtype, &input.shape) {
            (Some(dtype), Some(shape)) => format!(" {dtype} {shape}"),
            (Some(dtype), None) => format!(" {dtype}"),
            _ => String::new(),
        };
        let from = input
            .source_path
            .as_deref()
            .map(|p| format!(" from {p}"))
            .unwrap_or_default();
        out!(
            out,
            "input      {} {}{detail}{from}{}",
            input.name,
            input.sha256,
            in_run(input.run.as_deref())
        );
    }
    if s.inputs_omitted > 0 {
        out!(
            out,
            "           ... and {} more input(s), not listed (a session keeps {})",
            s.inputs_omitted,
            crate::ops::scan::MAX_INPUTS
        );
    }
    for run in &s.runs {
        let name = run.algorithm_name.as_deref().unwrap_or("?");
        let version = run.version.as_deref().unwrap_or("?");
        let parent = run
            .parent
            .as_deref()
            .map(|p| format!(" (in {p})"))
            .unwrap_or_default();
        let end = match (&run.status, run.duration_ms) {
            (None, _) => match (&run.last_event, run.last_line) {
                (Some(event), Some(line)) => {
                    format!("unfinished (last seen: {event} at line {line})")
                }
                _ => "unfinished".into(),
            },
            (Some(st), Some(ms)) => format!("{st} in {ms:.1} ms"),
            (Some(st), None) => st.clone(),
        };
        out!(out, "run        {}{parent} {name} {version}: {end}", run.id);
        if let Some(hash) = &run.config_hash {
            out!(
                out,
                "             config {hash} {}",
                compact(run.config.as_ref())
            );
        }
        if let Some(seed) = &run.random_seed {
            out!(out, "             seed   {}", seed_text(seed));
        }
        if let Some(e) = &run.error {
            out!(out, "             error  {e}");
        }
        if let Some(h) = &run.output_hash {
            out!(out, "             output {h}");
        }
        if let Some(m) = run
            .final_metrics
            .as_ref()
            .filter(|m| m.as_object().is_some_and(|o| !o.is_empty()))
        {
            out!(out, "             metrics {}", compact(Some(m)));
        }
        if let Some(d) = run.dropped_events.filter(|&d| d > 0) {
            out!(out, "             dropped {d} event(s)");
        }
    }
    for group in s.start_order_groups() {
        out!(
            out,
            "start order {}: ids and seeds follow thread scheduling; mark the argument \
             that tells the calls apart #[config] or #[fingerprint]",
            group.describe()
        );
    }
    let counts: Vec<String> = s.counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
    out!(out, "events     {} line(s): {}", s.lines, counts.join(", "));
    out!(out, "status     {}", status_text(&s.status()));
    if lost == 0 && s.out_of_order == 0 {
        out!(out, "seq        gapless (no line lost)");
    } else if lost == 0 {
        out!(
            out,
            "seq        no line lost; {} repeated or out of order",
            s.out_of_order
        );
    } else {
        let ranges: Vec<String> = s
            .gaps
            .iter()
            .map(|(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}..={b}")
                }
            })
            .collect();
        out!(
            out,
            "seq        {lost} line(s) lost (missing seq {}){}",
            ranges.join(", "),
            if s.out_of_order > 0 {
                format!(", {} repeated or out of order", s.out_of_order)
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

/// The line that says how many lines were skipped as a program's output:
/// `skipped 3 non-JSON lines (program output?)`.
pub fn skipped_text(n: u64) -> String {
    let lines = if n == 1 { "line" } else { "lines" };
    format!("skipped {n} non-JSON {lines} (program output?)")
}

/// The `status` line's words.
fn status_text(status: &Status<'_>) -> String {
    let (mut text, more, unfinished) = match *status {
        Status::None => return "none (no run recorded)".into(),
        Status::Ok => return "ok".into(),
        Status::Unfinished { runs } => {
            return format!("unfinished: {runs} run(s) without a result");
        }
        Status::Error {
            run,
            more,
            unfinished,
        } => (
            format!("error in run {run}"),
            (more > 0).then(|| format!("{more} more run(s) ended in error")),
            unfinished,
        ),
        Status::Panic {
            run,
            later_lines,
            more,
            unfinished,
        } => {
            let mut text = format!("panic in run {run}");
            if later_lines > 0 {
                text.push_str(&format!(
                    " (caught: the process went on, {later_lines} later line(s))"
                ));
            }
            (
                text,
                (more > 0).then(|| format!("{more} more run(s) panicked")),
                unfinished,
            )
        }
    };
    for note in more
        .into_iter()
        .chain((unfinished > 0).then(|| format!("{unfinished} run(s) unfinished")))
    {
        text.push_str("; ");
        text.push_str(&note);
    }
    text
}

/// A value on one line, cut to 100 characters.
fn compact(v: Option<&Value>) -> String {
    let text = v.map(Value::to_string).unwrap_or_default();
    if text.chars().count() > 100 {
        let cut: String = text.chars().take(97).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// The time between two contract timestamps, in the largest fitting unit.
fn span_text(a: &str, b: &str) -> String {
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    match (parse(a), parse(b)) {
        (Some(a), Some(b)) => {
            let us = (b - a).num_microseconds().unwrap_or(i64::MAX);
            match us {
                ..1_000 => format!("{us} µs"),
                1_000..1_000_000 => format!("{:.1} ms", us as f64 / 1e3),
                1_000_000..120_000_000 => format!("{:.2} s", us as f64 / 1e6),
                _ => format!("{:.1} min", us as f64 / 6e7),
            }
        }
        _ => "?".into(),
    }
}

/// The `dirty by` (build) or `run dirty` (tree at run) line: the paths a
/// git record lists as making its tree
/// dirty, the first [`DIRTY_PATHS_SHOWN`] named, the rest counted.
fn dirty_by(out: &mut dyn Write, label: &str, git: Option<&GitRecord>) -> Result<(), CliError> {
    let paths = crate::ops::git_state::dirty_paths(git);
    if paths.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = paths
        .iter()
        .take(DIRTY_PATHS_SHOWN)
        .map(|(path, status)| format!("{path} ({status})"))
        .collect();
    let count = git
        .and_then(|g| g.dirty_path_count)
        .map_or(paths.len(), |n| n as usize);
    let more = match count.saturating_sub(shown.len()) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    out!(out, "{label:<10} {}{more}", shown.join(", "));
    Ok(())
}
