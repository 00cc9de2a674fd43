//! `diff`'s text output: a one-line verdict, then the differences by
//! kind, the notes, and with `--events` one line per event type.

use std::io::Write;

use serde_json::Value;

use super::compare::Difference;
use super::events::TypeReport;
use super::report::Report;
use crate::error::CliError;
use crate::output::out;

/// Lines listed per section in the text output (`--json` lists all).
const MAX_TEXT_LINES: usize = 12;

/// The text form: a one-line verdict, then a section for each kind of
/// difference, the notes, and with `--events` one line per event type.
///
/// # Errors
/// Writing fails.
pub fn write_text(report: &Report, out: &mut dyn Write) -> Result<(), CliError> {
    // Event types, not lines of the report: a type's series are one type.
    let diverged = report
        .events
        .iter()
        .flatten()
        .filter(|t| !t.same)
        .map(|t| t.event_type.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let sides = format!(
        "{} ({}) and {} ({})",
        report.a.file, report.a.session, report.b.file, report.b.session
    );
    let start_order = report.start_order.counted();
    match (&start_order, report.same) {
        (None, true) => out!(out, "same: {sides} record the same provenance"),
        (Some(runs), true) => out!(
            out,
            "same except start order: {sides} record the same provenance, but {runs} are \
             numbered by start order: their ids and seeds follow thread scheduling, so runs \
             paired by id may be different calls (--strict-identity makes this a difference)"
        ),
        (_, false) => write_differ(report, &sides, start_order.as_deref(), diverged, out)?,
    }
    let version = |v: Option<u64>| v.map_or_else(|| "unknown".to_string(), |v| v.to_string());
    out!(
        out,
        "read: contract version {} (A), {} (B)",
        version(report.a.contract_version),
        version(report.b.contract_version)
    );
    if report.a.skipped_lines > 0 || report.b.skipped_lines > 0 {
        out!(
            out,
            "skipped non-JSON lines (program output?): {} (A), {} (B)",
            report.a.skipped_lines,
            report.b.skipped_lines
        );
    }
    const SECTIONS: [(&str, &str); 12] = [
        ("git", "git"),
        ("version", "versions"),
        ("dependency", "dependencies"),
        ("build", "build"),
        ("machine", "machine"),
        ("env", "environment"),
        ("experiment", "experiment"),
        ("config", "config"),
        ("run", "runs"),
        ("input", "inputs"),
        ("seed", "seeds"),
        ("count", "event counts"),
    ];
    for (what, title) in SECTIONS {
        let items: Vec<&Difference> = report
            .differences
            .iter()
            .filter(|d| d.what == what)
            .collect();
        write_section(out, title, &items)?;
    }
    if let Some(line) = consequences(&report.differences) {
        out!(out, "{line}");
    }
    if start_order.is_some() {
        out!(
            out,
            "numbered by start order (ids and seeds follow thread scheduling; mark the \
             argument that tells the calls apart #[config] or #[fingerprint])"
        );
        for (side, groups) in [("A", &report.start_order.a), ("B", &report.start_order.b)] {
            for group in groups {
                out!(out, "  {side}: {}", group.describe());
            }
        }
    }
    let notes: Vec<&Difference> = report.notes.iter().collect();
    write_section(out, "notes (not differences)", &notes)?;
    if let Some(types) = &report.events {
        out!(out, "events (ts, ids, seq and duration_ms ignored)");
        if types.is_empty() {
            out!(out, "  no events besides session.start and event.schema");
        }
        for t in types {
            out!(out, "  {}", event_line(t));
        }
    }
    Ok(())
}

/// The verdict when the sides differ: how many differences, diverging
/// event types and runs numbered by start order.
fn write_differ(
    report: &Report,
    sides: &str,
    start_order: Option<&str>,
    diverged: usize,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let listed = report.differences.iter().filter(|d| d.follows.is_none());
    let mut verdict = format!("differ: {} difference(s)", listed.count());
    if diverged > 0 {
        verdict.push_str(&format!(", {diverged} event type(s) diverge"));
    }
    if let Some(runs) = start_order {
        verdict.push_str(&format!(", {runs} numbered by start order"));
        if report.strict_identity {
            verdict.push_str(" (--strict-identity)");
        }
    }
    out!(out, "{verdict} between {sides}");
    Ok(())
}

fn write_section(out: &mut dyn Write, title: &str, items: &[&Difference]) -> Result<(), CliError> {
    // What follows from a listed difference is counted in one line instead.
    let items: Vec<&Difference> = items
        .iter()
        .copied()
        .filter(|d| d.follows.is_none())
        .collect();
    if items.is_empty() {
        return Ok(());
    }
    out!(out, "{title}");
    for d in items.iter().take(MAX_TEXT_LINES) {
        if let Some(text) = &d.text {
            out!(out, "  {text}");
            continue;
        }
        let label = match &d.run {
            Some(run) => {
                let algorithm = d.algorithm.as_deref().unwrap_or("?");
                match d
                    .path
                    .strip_prefix(run.as_str())
                    .and_then(|r| r.strip_prefix('.'))
                {
                    Some(rest) => format!("{run} {algorithm} {rest}"),
                    None => format!("{} {algorithm}", d.path),
                }
            }
            None => d.path.clone(),
        };
        // Seeds as the logs hold them, without quotes: each form is what
        // PROVENANCE_SEED accepts.
        let is_seed = d.what == "seed" || d.path.ends_with(".random_seed");
        let show = |v: Option<&Value>| match v {
            Some(v) if is_seed && !d.path.ends_with(".source") => crate::seed::seed_text(v),
            v => show(v),
        };
        let paired = match &d.run_b {
            Some(run_b) => format!(" (paired with B's {run_b})"),
            None => String::new(),
        };
        match (&d.a, &d.b) {
            (Some(a), Some(b)) => {
                let verb = if d.what == "input" { " changed" } else { "" };
                out!(
                    out,
                    "  {label}{verb}: {} → {}{paired}",
                    show(Some(a)),
                    show(Some(b))
                );
            }
            (Some(a), None) => out!(out, "  {label}: only in A: {}{paired}", show(Some(a))),
            (None, b) => out!(out, "  {label}: only in B: {}{paired}", show(b.as_ref())),
        }
    }
    if items.len() > MAX_TEXT_LINES {
        out!(
            out,
            "  … and {} more (--json lists all)",
            items.len() - MAX_TEXT_LINES
        );
    }
    Ok(())
}

/// The line counting the differences that follow from listed ones: `also
/// differ as a consequence: 4 with changed configurations (run ids, config
/// hashes), …`.
fn consequences(differences: &[Difference]) -> Option<String> {
    const CAUSES: [(&str, &str, &str); 4] = [
        ("config", "changed configurations", "run ids, config hashes"),
        ("input", "changed inputs", "run ids"),
        ("parent", "parents of other ids", "nested run ids"),
        ("id", "changed run ids", "seeds derived from them"),
    ];
    let parts: Vec<String> = CAUSES
        .iter()
        .filter_map(|(cause, why, which)| {
            let n = differences
                .iter()
                .filter(|d| d.follows == Some(*cause))
                .count();
            (n > 0).then(|| format!("{n} with {why} ({which})"))
        })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "also differ as a consequence: {} (--json lists them)",
            parts.join(", ")
        )
    })
}

fn event_line(t: &TypeReport) -> String {
    if let Some(name) = &t.series {
        return series_line(t, name);
    }
    let counts = if t.a == t.b {
        format!("{} event(s)", t.a)
    } else {
        format!("{} → {} event(s)", t.a, t.b)
    };
    let Some(d) = &t.first_difference else {
        return format!("{}: same ({counts})", t.event_type);
    };
    let line = |l: Option<u64>| l.map_or_else(|| "-".to_string(), |l| l.to_string());
    let index = match (&d.run, &d.run_b) {
        (Some(run), Some(run_b)) => format!("{} in {run} (paired with B's {run_b})", d.index),
        (Some(run), None) => format!("{} in {run}", d.index),
        (None, _) => d.index.to_string(),
    };
    match &d.path {
        Some(path) => format!(
            "{}: first differs at #{index} (A line {}, B line {}): {}: {} → {} ({counts})",
            t.event_type,
            line(d.line_a),
            line(d.line_b),
            if path.is_empty() { "(payload)" } else { path },
            show(d.a.as_ref()),
            show(d.b.as_ref()),
        ),
        None => {
            let (side, at) = if d.line_a.is_some() {
                ("A", d.line_a)
            } else {
                ("B", d.line_b)
            };
            format!(
                "{}: only {side} has #{index} on (first at line {}) ({counts})",
                t.event_type,
                line(at)
            )
        }
    }
}

/// A metric series: `metrics loss in fit#1: first differs at step 37: 0.5
/// → 0.52 (3000 point(s))`.
fn series_line(t: &TypeReport, name: &str) -> String {
    let counts = if t.a == t.b {
        format!("{} point(s)", t.a)
    } else {
        format!("{} → {} point(s)", t.a, t.b)
    };
    let Some(d) = &t.first_difference else {
        return format!("{} {name}: same ({counts})", t.event_type);
    };
    let run = match (&d.run, &d.run_b) {
        (Some(run), Some(run_b)) => format!(" in {run} (paired with B's {run_b})"),
        (Some(run), None) => format!(" in {run}"),
        (None, _) => " (outside any run)".to_string(),
    };
    let step = d
        .step
        .map_or_else(|| format!("point #{}", d.index), |s| format!("step {s}"));
    let what = match d.path.as_deref() {
        Some("steps") => format!(
            "first differs at point #{}: step {} → {}",
            d.index,
            show(d.a.as_ref()),
            show(d.b.as_ref())
        ),
        Some(_) => format!(
            "first differs at {step}: {} → {}",
            show(d.a.as_ref()),
            show(d.b.as_ref())
        ),
        None if t.a == 0 || t.b == 0 => {
            format!("only in {}", if d.line_a.is_some() { "A" } else { "B" })
        }
        None => format!(
            "only {} has points from {step} on",
            if d.line_a.is_some() { "A" } else { "B" }
        ),
    };
    format!("{} {name}{run}: {what} ({counts})", t.event_type)
}

/// A value for the text output: `(absent)`, a shortened hash, or compact
/// JSON cut to a readable length.
fn show(value: Option<&Value>) -> String {
    const MAX: usize = 60;
    match value {
        None => "(absent)".into(),
        Some(Value::String(s)) if s.starts_with("sha256:") && s.len() > 19 => {
            let short: String = s.chars().take(19).collect();
            format!("{short}…")
        }
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > MAX {
                let cut: String = text.chars().take(MAX).collect();
                format!("{cut}…")
            } else {
                text
            }
        }
    }
}
