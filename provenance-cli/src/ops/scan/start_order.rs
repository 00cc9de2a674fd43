//! Runs numbered by start order: groups of sibling runs with an equal
//! identity (same function, parent and `@key`) of which at least one was
//! seen racing another on a different thread (`identity_from_start_order`).
//! Their `#n`, and so their seeds, follow thread scheduling; `summary` lists
//! the groups and `diff` names them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::model::Session;

/// One group of equal siblings numbered by start order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StartOrderGroup {
    /// The run ids without their last `#n`: `sweep#1/worker@3f9a0c2b`.
    pub group: String,
    /// Their `algorithm_name`.
    pub algorithm: Option<String>,
    /// Runs of the group in the session.
    pub runs: usize,
    /// Of them, those whose log lines say they raced.
    pub seen_racing: usize,
}

impl StartOrderGroup {
    /// The group in one line: `8 run(s) sweep#1/worker@3f9a0c2b#1..#8 (worker, 2 seen racing)`.
    pub fn describe(&self) -> String {
        let algorithm = self.algorithm.as_deref().unwrap_or("?");
        format!(
            "{} run(s) {}#… ({algorithm}, {} seen racing)",
            self.runs, self.group, self.seen_racing
        )
    }
}

impl Session {
    /// The groups of runs numbered by start order, by group id. Every run
    /// of a group counts, not only the ones marked: which of them overlap is
    /// itself a matter of timing.
    pub fn start_order_groups(&self) -> Vec<StartOrderGroup> {
        let group_of = |id: &str| id.rsplit_once('#').map(|(group, _)| group.to_string());
        let marked: BTreeSet<String> = self
            .runs
            .iter()
            .filter(|r| r.identity_from_start_order)
            .filter_map(|r| group_of(&r.id))
            .collect();
        if marked.is_empty() {
            return Vec::new();
        }
        let mut groups: BTreeMap<String, StartOrderGroup> = BTreeMap::new();
        for run in &self.runs {
            let Some(group) = group_of(&run.id).filter(|g| marked.contains(g.as_str())) else {
                continue;
            };
            let entry = groups
                .entry(group.clone())
                .or_insert_with(|| StartOrderGroup {
                    group,
                    algorithm: run.algorithm_name.clone(),
                    runs: 0,
                    seen_racing: 0,
                });
            entry.runs += 1;
            entry.seen_racing += usize::from(run.identity_from_start_order);
        }
        groups.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::scan::Run;

    fn run(id: &str, marked: bool) -> Run {
        Run {
            id: id.to_string(),
            algorithm_name: Some("worker".into()),
            identity_from_start_order: marked,
            ..Run::default()
        }
    }

    #[test]
    fn a_group_with_one_marked_run_counts_all_its_runs() {
        let session = Session {
            runs: vec![
                run("sweep#1", false),
                run("sweep#1/worker@aa#1", false),
                run("sweep#1/worker@aa#2", true),
                run("sweep#1/worker@aa#3", false),
                run("sweep#1/worker@bb#1", false),
                run("sweep#2/worker@aa#1", false),
            ],
            ..Session::default()
        };
        assert_eq!(
            session.start_order_groups(),
            [StartOrderGroup {
                group: "sweep#1/worker@aa".into(),
                algorithm: Some("worker".into()),
                runs: 3,
                seen_racing: 1,
            }]
        );
    }

    #[test]
    fn no_marked_run_no_group() {
        let session = Session {
            runs: vec![
                run("sweep#1/worker@aa#1", false),
                run("sweep#1/worker@aa#2", false),
            ],
            ..Session::default()
        };
        assert!(session.start_order_groups().is_empty());
    }
}
