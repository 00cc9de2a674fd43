//! What to say about a column no run read has (`--sort`, `--where`): the
//! nearest columns the logs read do have, by edit distance, so a typo or a
//! forgotten `config.` / `metric.` prefix is named with its fix.

use super::row::Columns;

/// At most this many suggestions.
const SUGGESTIONS: usize = 3;

/// Without a near column, at most this many of the columns present are
/// listed.
const LISTED: usize = 12;

/// `no run read has a column "metric.sharp" (--sort -metric.sharp);
/// nearest: metric.sharpe`, or, with nothing near, the columns present (the
/// first [`LISTED`]). `option` is where the user named it.
pub(crate) fn unknown_column(name: &str, option: &str, columns: &Columns) -> String {
    let near = nearest(name, columns);
    if !near.is_empty() {
        return format!(
            "no run read has a column {name:?} ({option}); nearest: {}",
            near.join(", ")
        );
    }
    let all: Vec<&str> = columns.names().collect();
    let more = all.len().saturating_sub(LISTED);
    let mut text = format!(
        "no run read has a column {name:?} ({option}); the columns are {}",
        all[..all.len().min(LISTED)].join(", ")
    );
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

/// The columns within a few edits of `name` (a third of its length, at
/// least 2), nearest first, at most [`SUGGESTIONS`]. A column is also
/// compared without its `config.` / `metric.` prefix: `sharpe` finds
/// `metric.sharpe`.
fn nearest<'c>(name: &str, columns: &'c Columns) -> Vec<&'c str> {
    let limit = (name.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = columns
        .names()
        .filter_map(|column| {
            let whole = strsim::osa_distance(name, column);
            let bare = column
                .split_once('.')
                .map_or(whole, |(_, rest)| strsim::osa_distance(name, rest));
            let distance = whole.min(bare);
            (distance <= limit).then_some((distance, column))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(names: &[&str]) -> Columns {
        let mut columns = Columns::default();
        for name in names {
            columns.id(name);
        }
        columns
    }

    #[test]
    fn typos_and_missing_prefixes_find_their_column() {
        let c = columns(&["config.hurdle", "config.window", "metric.sharpe"]);
        assert_eq!(nearest("config.hurdel", &c), ["config.hurdle"]);
        assert_eq!(nearest("sharpe", &c), ["metric.sharpe"]);
        assert_eq!(nearest("metric.sharp", &c), ["metric.sharpe"]);
        assert!(nearest("zzzzzzzzzzzz", &c).is_empty());
        assert!(
            unknown_column("zzzzzzzzzzzz", "--where", &c).ends_with(
                "the columns are session, run, experiment, algorithm, start, commit, dirty, \
                 status, duration_ms, config.hurdle, config.window, metric.sharpe"
            ),
            "{}",
            unknown_column("zzzzzzzzzzzz", "--where", &c)
        );
    }
}
