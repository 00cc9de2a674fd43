//! `runs --group-by`: the runs folded into one row per distinct tuple of
//! the named configuration values, with each numeric metric's mean, sample
//! standard deviation, min and max over the runs of the group — so runs
//! that differ only in their seeds (or in keys not named) read as one
//! configuration, and its spread says whether a good number was a lucky
//! seed.

use std::collections::HashMap;

use super::row::{Columns, Kind, Row, number};
use crate::error::CliError;

/// The statistics each numeric metric column gets, in column order:
/// `metric.<name>.mean`, `.std` (sample, n − 1; empty for one value),
/// `.min`, `.max`.
pub(crate) const STATS: [&str; 4] = ["mean", "std", "min", "max"];

/// The column counting a group's runs.
pub(crate) const COUNT: &str = "n";

/// Checks the `--group-by` keys as written: each a `config.` column (or
/// `config` itself, the column of a configuration that is one value), none
/// twice.
///
/// # Errors
/// [`CliError::Usage`] naming the key.
pub(crate) fn check_keys(keys: &[String]) -> Result<(), CliError> {
    for (i, key) in keys.iter().enumerate() {
        let column = key == "config" || (key.starts_with("config.") && key.len() > "config.".len());
        if !column {
            return Err(CliError::Usage(format!(
                "bad --group-by {key:?}: runs are grouped by configuration columns, config.KEY \
                 (e.g. --group-by config.hurdle,config.window), or config for a configuration \
                 that is one value"
            )));
        }
        if keys[..i].contains(key) {
            return Err(CliError::Usage(format!(
                "bad --group-by: {key:?} is named twice"
            )));
        }
    }
    Ok(())
}

/// One group being folded.
struct Group {
    /// The key columns' cells of its first run (`None`: runs without it).
    key: Vec<Option<(Kind, String)>>,
    runs: u64,
    /// Each metric column's numbers, in `metrics` order.
    values: Vec<Vec<f64>>,
}

/// A cell's text as grouping compares it: a JSON number written with a
/// fraction or an exponent that is a whole number below 2^53 (`1.0`,
/// `-0.0`, `1e3`) as that integer, as JSON's canonical form (RFC 8785)
/// writes it; anything else as written (integers and other numbers are
/// written canonically already, and big integers must stay exact).
fn canonical(kind: Kind, text: &str) -> String {
    let float = kind == Kind::Json && text.contains(['.', 'e', 'E']);
    match text.parse::<f64>() {
        Ok(f) if float && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
            // `as` is exact here; `-0.0` becomes 0.
            (f as i64).to_string()
        }
        _ => text.to_string(),
    }
}

/// Folds `rows` by the columns `keys` (ids in `columns`): one row per
/// distinct tuple of their cells, in the order each tuple first appears,
/// with the columns `keys`…, [`COUNT`], then for each `metric.*` column
/// holding a number in some row its [`STATS`], metrics sorted by name. A
/// metric's statistics are over the group's runs that have a number in it.
pub(crate) fn fold(rows: &[Row], columns: &Columns, keys: &[u32]) -> (Vec<Row>, Columns) {
    let mut metrics: Vec<u32> = (0..u32::try_from(columns.len()).expect("u32 columns"))
        .filter(|&id| columns.name(id).starts_with("metric."))
        .filter(|&id| rows.iter().any(|r| r.get(id).and_then(number).is_some()))
        .collect();
    metrics.sort_by(|&a, &b| columns.name(a).cmp(columns.name(b)));
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<Vec<Option<(Kind, String)>>, usize> = HashMap::new();
    for row in rows {
        let key: Vec<Option<(Kind, String)>> = keys
            .iter()
            .map(|&k| row.get(k).map(|c| (c.kind, c.text.to_string())))
            .collect();
        // Equal values are one group however they were written (`1` and
        // `1.0`, as the configuration hash and `diff` see them); the group
        // shows the first run's form.
        let same: Vec<Option<(Kind, String)>> = key
            .iter()
            .map(|cell| {
                cell.as_ref()
                    .map(|(kind, text)| (*kind, canonical(*kind, text)))
            })
            .collect();
        let at = *index.entry(same).or_insert_with(|| {
            groups.push(Group {
                key,
                runs: 0,
                values: vec![Vec::new(); metrics.len()],
            });
            groups.len() - 1
        });
        let group = &mut groups[at];
        group.runs += 1;
        for (values, &id) in group.values.iter_mut().zip(&metrics) {
            if let Some(x) = row.get(id).and_then(number) {
                values.push(x);
            }
        }
    }
    let mut names: Vec<String> = keys.iter().map(|&k| columns.name(k).to_string()).collect();
    names.push(COUNT.to_string());
    for &id in &metrics {
        for stat in STATS {
            names.push(format!("{}.{stat}", columns.name(id)));
        }
    }
    let folded = Columns::fixed(&names);
    let rows = groups
        .iter()
        .map(|group| {
            let mut texts: Vec<(u32, Kind, String)> = Vec::new();
            let mut column = 0u32;
            for cell in &group.key {
                if let Some((kind, text)) = cell {
                    texts.push((column, *kind, text.clone()));
                }
                column += 1;
            }
            texts.push((column, Kind::Json, group.runs.to_string()));
            column += 1;
            for values in &group.values {
                for value in stats(values) {
                    if let Some(n) = value.and_then(serde_json::Number::from_f64) {
                        texts.push((column, Kind::Json, n.to_string()));
                    }
                    column += 1;
                }
            }
            let cells: Vec<(u32, Kind, &str)> =
                texts.iter().map(|(c, k, t)| (*c, *k, t.as_str())).collect();
            Row::from_cells(&cells)
        })
        .collect();
    (rows, folded)
}

/// Mean, sample standard deviation (n − 1), min and max of `values`, in
/// [`STATS`] order; `None` where undefined (no value; one value's spread).
fn stats(values: &[f64]) -> [Option<f64>; 4] {
    if values.is_empty() {
        return [None; 4];
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let std = (values.len() > 1)
        .then(|| (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt());
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    [Some(mean), std, Some(min), Some(max)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_numbers_group_together_however_written() {
        let json = |t| canonical(Kind::Json, t);
        assert_eq!(json("1.0"), "1");
        assert_eq!(json("1"), "1");
        assert_eq!(json("-0.0"), "0");
        assert_eq!(json("1e3"), "1000");
        assert_eq!(json("0.5"), "0.5");
        assert_eq!(json("1e300"), "1e300", "beyond 2^53: as written");
        assert_eq!(json("18446744073709551615"), "18446744073709551615");
        assert_eq!(json("9007199254740993"), "9007199254740993", "exact");
        assert_eq!(canonical(Kind::Text, "1.0"), "1.0", "a string stays one");
    }

    #[test]
    fn statistics_are_sample_ones() {
        let [mean, std, min, max] = stats(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!((mean, min, max), (Some(2.5), Some(1.0), Some(4.0)));
        assert!((std.unwrap() - 1.290_994_448_735_805_6).abs() < 1e-15);
        assert_eq!(stats(&[7.0])[1], None, "one value has no sample spread");
        assert_eq!(stats(&[]), [None; 4]);
    }

    #[test]
    fn keys_must_be_config_columns() {
        assert!(check_keys(&["config.a".into(), "config.b".into()]).is_ok());
        for bad in ["metric.sharpe", "config.", "hurdle"] {
            let e = check_keys(&[bad.into()]).unwrap_err().to_string();
            assert!(e.contains(bad) && e.contains("config.KEY"), "{e}");
        }
        let e = check_keys(&["config.a".into(), "config.a".into()]).unwrap_err();
        assert!(e.to_string().contains("twice"), "{e}");
    }
}
