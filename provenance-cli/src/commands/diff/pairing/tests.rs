//! The pairing of runs: by id, by place under paired parents, then the
//! most alike first, with ties broken by id whatever order the runs
//! started in.

use serde_json::{Value, json};

use super::{How, pair};
use crate::ops::scan::{Input, Run, Session};

fn run(id: &str, parent: Option<&str>, algorithm: &str, config: Value) -> Run {
    let mut run = Run::default();
    run.id = id.to_string();
    run.parent = parent.map(String::from);
    run.algorithm_name = Some(algorithm.to_string());
    run.config = Some(config);
    run
}

/// An input of `run` named `name` with fingerprint `sha`.
pub(in crate::commands::diff) fn input(run: &str, name: &str, sha: &str) -> Input {
    Input {
        name: name.into(),
        run: Some(run.into()),
        sha256: sha.into(),
        source_path: None,
        dtype: None,
        shape: None,
        size_bytes: None,
        working_dir: None,
        line: 0,
    }
}

fn session(runs: Vec<Run>) -> Session {
    let mut session = Session::default();
    session.runs = runs;
    session
}

/// A's run id → B's partner (`None`: A only), and B's runs left alone.
fn partners(a: &Session, b: &Session) -> (Vec<(String, Option<String>)>, Vec<String>) {
    let pairing = pair(a, b);
    let mut paired = Vec::new();
    let mut only_b = Vec::new();
    for p in &pairing.pairs {
        match (p.a, p.b) {
            (Some(x), y) => paired.push((x.id.clone(), y.map(|y| y.id.clone()))),
            (None, Some(y)) => only_b.push(y.id.clone()),
            (None, None) => unreachable!("a pair has a side"),
        }
    }
    paired.sort();
    (paired, only_b)
}

fn pairs(list: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    let mut v: Vec<_> = list
        .iter()
        .map(|(x, y)| (x.to_string(), y.map(String::from)))
        .collect();
    v.sort();
    v
}

/// The grid sweep of the issue: lookback 60 → 40 on every threshold.
fn grid(lookbacks: [u64; 2], order: &[usize]) -> Session {
    let mut runs = vec![run("sweep#1", None, "sweep", json!({}))];
    let mut workers = Vec::new();
    for lookback in lookbacks {
        for threshold in [0.25, 0.5, 0.75, 1.0] {
            let id = format!("sweep#1/rule@{lookback}-{threshold}#1");
            let config = json!({"lookback": lookback, "threshold": threshold});
            workers.push(run(&id, Some("sweep#1"), "rule", config));
        }
    }
    runs.extend(order.iter().map(|&i| workers[i].clone()));
    session(runs)
}

#[test]
fn a_changed_grid_value_pairs_each_worker_with_its_twin() {
    let in_order: Vec<usize> = (0..8).collect();
    let a = grid([20, 60], &in_order);
    // B's workers started in another order: the pairing must not care.
    let b = grid([20, 40], &[7, 3, 5, 1, 0, 6, 2, 4]);
    let (paired, only_b) = partners(&a, &b);
    assert!(only_b.is_empty());
    for (x, y) in &paired {
        let y = y.as_deref().expect("every run paired");
        assert_eq!(x.replace("@60-", "@40-"), y);
    }
    let pairing = pair(&a, &b);
    let how = |id: &str| {
        pairing
            .pairs
            .iter()
            .find(|p| p.a.unwrap().id == id)
            .unwrap()
            .how
    };
    assert_eq!(how("sweep#1/rule@20-0.5#1"), Some(How::Id));
    assert_eq!(how("sweep#1/rule@60-0.5#1"), Some(How::Similarity));
    assert_eq!(
        pairing.in_a("sweep#1/rule@40-0.5#1"),
        "sweep#1/rule@60-0.5#1"
    );
    assert_eq!(
        pairing.in_b("sweep#1/rule@60-0.5#1"),
        Some("sweep#1/rule@40-0.5#1")
    );
    assert_eq!(pairing.in_b("sweep#1/rule@20-0.5#1"), None);
}

#[test]
fn equal_ids_pair_even_when_another_run_is_more_alike() {
    let a = session(vec![run("w#1", None, "w", json!({"x": 1}))]);
    let b = session(vec![
        run("w#1", None, "w", json!({"x": 2})),
        run("w#2", None, "w", json!({"x": 1})),
    ]);
    let (paired, only_b) = partners(&a, &b);
    assert_eq!(paired, pairs(&[("w#1", Some("w#1"))]));
    assert_eq!(only_b, ["w#2"]);
}

#[test]
fn ties_break_by_id_whatever_the_start_order() {
    // Two runs of A equally far from B's one: A's smaller id takes it.
    let twins = |order: [&str; 2]| {
        session(
            order
                .iter()
                .map(|id| run(id, None, "w", json!({"x": 1})))
                .collect(),
        )
    };
    let b = session(vec![run("w@c#1", None, "w", json!({"x": 2}))]);
    let expected = pairs(&[("w@a#1", Some("w@c#1")), ("w@b#1", None)]);
    assert_eq!(partners(&twins(["w@a#1", "w@b#1"]), &b).0, expected);
    assert_eq!(partners(&twins(["w@b#1", "w@a#1"]), &b).0, expected);
    // Equal setup: the same outcome breaks the tie before the ids do.
    let mut a = twins(["w@a#1", "w@b#1"]);
    a.runs[1].status = Some("ok".into());
    let mut b = b;
    b.runs[0].status = Some("ok".into());
    assert_eq!(
        partners(&a, &b).0,
        pairs(&[("w@a#1", None), ("w@b#1", Some("w@c#1"))])
    );
}

#[test]
fn more_runs_on_one_side_leave_the_least_alike_alone() {
    let a = session(vec![
        run("w@1#1", None, "w", json!({"x": 1, "y": 1})),
        run("w@2#1", None, "w", json!({"x": 2, "y": 2})),
        run("w@3#1", None, "w", json!({"x": 3, "y": 3})),
    ]);
    let b = session(vec![
        run("w@4#1", None, "w", json!({"x": 3, "y": 9})),
        run("w@5#1", None, "w", json!({"x": 1, "y": 9})),
    ]);
    let (paired, only_b) = partners(&a, &b);
    assert_eq!(
        paired,
        pairs(&[
            ("w@1#1", Some("w@5#1")),
            ("w@2#1", None),
            ("w@3#1", Some("w@4#1")),
        ])
    );
    assert!(only_b.is_empty());
    // And the other way round.
    let (paired, only_b) = partners(&b, &a);
    assert_eq!(
        paired,
        pairs(&[("w@4#1", Some("w@3#1")), ("w@5#1", Some("w@1#1"))])
    );
    assert_eq!(only_b, ["w@2#1"]);
}

#[test]
fn the_fewest_changes_in_all_win_over_the_most_alike_pair_first() {
    // a1 and a2 are each one field from b1; b2 is two fields from a1 and
    // four from a2. Taking a1~b1 first (the tie broken by id) leaves a2~b2:
    // 5 changes. a1~b2 and a2~b1 account for B with 3.
    let a = session(vec![
        run("w@a1#1", None, "w", json!({"p": 0, "q": 0, "r": 0, "s": 0})),
        run("w@a2#1", None, "w", json!({"p": 1, "q": 1, "r": 0, "s": 0})),
    ]);
    let b = session(vec![
        run("w@b1#1", None, "w", json!({"p": 1, "q": 0, "r": 0, "s": 0})),
        run("w@b2#1", None, "w", json!({"p": 0, "q": 0, "r": 1, "s": 1})),
    ]);
    assert_eq!(
        partners(&a, &b).0,
        pairs(&[("w@a1#1", Some("w@b2#1")), ("w@a2#1", Some("w@b1#1"))])
    );
}

#[test]
fn nested_runs_pair_under_their_paired_parents() {
    let tree = |key: &str, lookback: u64| {
        let parent = format!("sweep#1/rule@{key}#1");
        session(vec![
            run("sweep#1", None, "sweep", json!({})),
            run(
                &parent,
                Some("sweep#1"),
                "rule",
                json!({"lookback": lookback}),
            ),
            run(
                &format!("{parent}/fit#1"),
                Some(&parent),
                "fit",
                json!({"k": 1}),
            ),
            run(
                &format!("{parent}/fit#2"),
                Some(&parent),
                "fit",
                json!({"k": 2}),
            ),
            // Same algorithm, other parent: never paired across parents.
            run("sweep#1/fit#1", Some("sweep#1"), "fit", json!({"k": 1})),
        ])
    };
    let (a, b) = (tree("aa", 60), tree("bb", 40));
    let pairing = pair(&a, &b);
    let (paired, only_b) = partners(&a, &b);
    assert!(only_b.is_empty());
    assert_eq!(
        paired,
        pairs(&[
            ("sweep#1", Some("sweep#1")),
            ("sweep#1/fit#1", Some("sweep#1/fit#1")),
            ("sweep#1/rule@aa#1", Some("sweep#1/rule@bb#1")),
            ("sweep#1/rule@aa#1/fit#1", Some("sweep#1/rule@bb#1/fit#1")),
            ("sweep#1/rule@aa#1/fit#2", Some("sweep#1/rule@bb#1/fit#2")),
        ])
    );
    let child = pairing
        .pairs
        .iter()
        .find(|p| p.a.unwrap().id == "sweep#1/rule@aa#1/fit#2")
        .unwrap();
    assert_eq!(child.how, Some(How::Place));
    // A parent B has alone keeps its children alone too.
    let mut lone = tree("bb", 40);
    lone.runs[1].algorithm_name = Some("other".into());
    let (paired, only_b) = partners(&a, &lone);
    assert!(
        paired
            .iter()
            .filter(|(x, _)| x.starts_with("sweep#1/rule@aa#1"))
            .all(|(_, y)| y.is_none()),
        "{paired:?}"
    );
    assert_eq!(only_b.len(), 3, "{only_b:?}");
}

#[test]
fn the_inputs_a_run_loaded_count_in_its_likeness() {
    let input = |run: &str, sha: &str| input(run, "prices", sha);
    let mut a = session(vec![
        run("w@1#1", None, "w", json!({})),
        run("w@2#1", None, "w", json!({})),
    ]);
    a.inputs = vec![input("w@1#1", "sha256:one"), input("w@2#1", "sha256:two")];
    let mut b = session(vec![
        run("w@3#1", None, "w", json!({})),
        run("w@4#1", None, "w", json!({})),
    ]);
    b.inputs = vec![input("w@3#1", "sha256:two"), input("w@4#1", "sha256:one")];
    assert_eq!(
        partners(&a, &b).0,
        pairs(&[("w@1#1", Some("w@4#1")), ("w@2#1", Some("w@3#1"))])
    );
}
