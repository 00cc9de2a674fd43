//! `why`'s text: the run that wrote the hash, then, indented beneath each
//! of its inputs, the run that wrote that input, and so on.

use std::io::Write;

use super::lineage::Node;
use crate::error::CliError;
use crate::output::out;

/// Prints the tree under a header naming what was asked about.
pub(crate) fn tree(
    node: &Node,
    file: Option<&str>,
    hash: &str,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match file {
        Some(f) => out!(out, "{f}  {hash}"),
        None => out!(out, "{hash}"),
    }
    print_node(node, 0, out)
}

fn print_node(node: &Node, depth: usize, out: &mut dyn Write) -> Result<(), CliError> {
    let pad = "    ".repeat(depth);
    let w = &node.writer;
    let run = w.run.as_deref().unwrap_or("(outside any run)");
    let algorithm = w
        .algorithm
        .as_deref()
        .map(|a| format!(" {a}"))
        .unwrap_or_default();
    let line = node
        .output
        .as_ref()
        .map(|o| format!(":{}", o.line))
        .unwrap_or_default();
    out!(
        out,
        "{pad}└─ written by run {run}{algorithm} of session {} ({}{line})",
        w.session,
        w.file
    );
    let pad = format!("{pad}   ");
    if node.other_writers > 0 {
        out!(
            out,
            "{pad}({} runs wrote it; shown: the latest, one that wrote it at this path first)",
            node.other_writers + 1
        );
    }
    if let Some(start) = &w.start {
        out!(out, "{pad}start    {start}");
    }
    let commit = w.commit.as_deref().unwrap_or("unknown");
    let dirty = match w.dirty {
        Some(true) => " (dirty: uncommitted changes)",
        Some(false) => " (clean)",
        None => "",
    };
    out!(out, "{pad}commit   {commit}{dirty}");
    if let Some(config) = &w.config {
        out!(out, "{pad}config   {config}");
    }
    // The root seed and the run's own `random_seed` on one line; each
    // derived seed on its own, with the run (this one or one nested in
    // it) that derived it.
    let (own, derived): (Vec<_>, Vec<_>) = w
        .seeds
        .iter()
        .partition(|s| s.component == "root" || s.component == "random_seed");
    if !own.is_empty() {
        let seeds: Vec<String> = own
            .iter()
            .map(|s| format!("{}={}", s.component, seed_text(&s.seed)))
            .collect();
        out!(out, "{pad}seeds    {}", seeds.join(", "));
    }
    for s in derived {
        let run = s.run.as_deref().unwrap_or("(outside any run)");
        out!(
            out,
            "{pad}derived  {}={} in {run}",
            s.component,
            seed_text(&s.seed)
        );
    }
    if node.inputs.is_empty() {
        out!(out, "{pad}inputs   none recorded");
    }
    // Arrays and values fingerprinted in memory: no run wrote them, so
    // one line says what they were instead of a dead-end branch each.
    let (in_memory, files): (Vec<_>, Vec<_>) = node
        .inputs
        .iter()
        .partition(|i| i.input.in_memory.is_some());
    for input in files {
        let path = input.input.source_path.as_deref().unwrap_or("?");
        out!(
            out,
            "{pad}input    {}  {path}  {}",
            input.input.name,
            input.input.sha256
        );
        match (&input.written_by, input.cycle) {
            (Some(child), _) => print_node(child, depth + 1, out)?,
            (None, true) => out!(out, "{pad}    └─ (a cycle: written by a run above)"),
            (None, false) => out!(out, "{pad}    └─ no log read says a run wrote it"),
        }
    }
    if !in_memory.is_empty() {
        let list: Vec<String> = in_memory
            .iter()
            .map(|i| {
                let what = i.input.in_memory.as_deref().unwrap_or_default();
                format!("{} ({what})", i.input.name)
            })
            .collect();
        let inputs = if list.len() == 1 { "input" } else { "inputs" };
        out!(
            out,
            "{pad}in memory {} {inputs}: {}",
            list.len(),
            list.join(", ")
        );
    }
    Ok(())
}

/// A seed as the log holds it, without quotes.
fn seed_text(seed: &serde_json::Value) -> String {
    match seed {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
