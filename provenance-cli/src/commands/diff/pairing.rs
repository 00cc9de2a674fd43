//! Which run of B each run of A is compared with, as a person would pair
//! them.
//!
//! A run's id is its identity (`docs/PROVENANCE_MACRO.md`), so runs of the
//! same id are paired first. An id can change while the call stays the same
//! one: a rayon worker's id carries a key derived from its configuration,
//! so changing one value of a grid changes the ids of the workers that had
//! it, and a changed run's nested runs get new ids under it. The runs left
//! over are paired level by level, parents before their children, within
//! groups of the same algorithm under the same parent *as paired* (not its
//! literal id):
//!
//! 1. runs at the same place under their paired parents (the same last
//!    segment of the id: `rule@1f0f6b16#1/fit#1` and `rule@4cea6191#1/fit#1`
//!    are the same `fit#1`);
//! 2. then by similarity: the assignment with the fewest differing setup
//!    fields in all (configuration values, version, input hash, the inputs
//!    a run loaded, its random seed), then the fewest differing outcome
//!    fields (status, output hash, error, final metrics); among equally
//!    good ones, the one pairing the most runs at the same rank in id
//!    order. The result depends only on the two logs, never on which
//!    thread started first.
//!
//! Step 2 is a least-total assignment (the Hungarian method,
//! `assignment.rs`), not a greedy one: the pairing that accounts for B with
//! the fewest changed fields is the shortest true account of what changed,
//! which is what a person writes down, while taking the most alike pair
//! first can force worse pairs on the runs left. A group of more than
//! [`MAX_CANDIDATES`] candidate pairs is paired in id order instead. Derived
//! seeds (`seed.derived`) are not compared: they derive from the run id,
//! so they differ for every pair whose ids do.
//!
//! The runs left then are on one side only.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use serde_json::Value;

mod assignment;

use super::value::{Tolerance, deltas};
use crate::ops::scan::{Run, Session};
use crate::seed::seeds_equal;

/// Configuration or metrics deltas counted per pair of runs: enough to
/// order candidates, bounded for runs with huge configurations.
const MAX_COUNTED: usize = 64;

/// Candidate pairs weighed in one group (same algorithm and parent, 500 ×
/// 500 runs); a larger group is paired in id order instead, to bound the
/// time spent (the assignment takes n²·m steps).
pub const MAX_CANDIDATES: usize = 250_000;

/// One differing setup field outweighs every outcome field that can
/// differ (status, output hash, error and [`MAX_COUNTED`] metrics).
const OUTCOME_WEIGHT: usize = MAX_COUNTED + 4;

/// Why two runs were paired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// The same run id.
    Id,
    /// The same place (last id segment) under paired parents.
    Place,
    /// The most alike of the runs left (see the module documentation).
    Similarity,
}

/// One run of A and its counterpart in B; one side is `None` for a run on
/// one side only.
#[derive(Clone, Copy, Debug)]
pub struct Pair<'s> {
    /// A's run.
    pub a: Option<&'s Run>,
    /// B's run.
    pub b: Option<&'s Run>,
    /// Why they are paired (`None`: one side only).
    pub how: Option<How>,
}

/// The runs of two sessions, paired.
#[derive(Debug, Default)]
pub struct Pairing<'s> {
    /// A's runs in their order, each with its counterpart, then B's runs
    /// that have none.
    pub pairs: Vec<Pair<'s>>,
    /// B's run id → A's, for runs paired under another id.
    pub b_to_a: HashMap<String, String>,
    /// A's run id → B's, for runs paired under another id.
    pub a_to_b: HashMap<String, String>,
}

impl Pairing<'_> {
    /// A run id of B in A's terms: its partner's id when paired under
    /// another id, else itself.
    pub fn in_a<'i>(&'i self, b_run: &'i str) -> &'i str {
        self.b_to_a.get(b_run).map_or(b_run, String::as_str)
    }

    /// The id of the run of B that a run of A is paired with, when it is
    /// another id.
    pub fn in_b(&self, a_run: &str) -> Option<&str> {
        self.a_to_b.get(a_run).map(String::as_str)
    }
}

/// Where a run's parent stands, in A's terms: what two runs must share to
/// be paired.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Parent<'s> {
    Top,
    /// A run of A (for B's runs: the one their parent is paired with), or
    /// a parent id no run of the session has.
    Run(&'s str),
    /// A run of B paired with nothing: its children pair with nothing.
    OnlyInB(&'s str),
}

/// Pairs the runs of `a` and `b`.
pub fn pair<'s>(a: &'s Session, b: &'s Session) -> Pairing<'s> {
    let mut partner_a: Vec<Option<(usize, How)>> = vec![None; a.runs.len()];
    let mut partner_b: Vec<Option<usize>> = vec![None; b.runs.len()];
    let mut by_id: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (j, run) in b.runs.iter().enumerate() {
        by_id.entry(run.id.as_str()).or_default().push_back(j);
    }
    for (i, run) in a.runs.iter().enumerate() {
        if let Some(j) = by_id.get_mut(run.id.as_str()).and_then(VecDeque::pop_front) {
            partner_a[i] = Some((j, How::Id));
            partner_b[j] = Some(i);
        }
    }
    let (depth_a, depth_b) = (depths(&a.runs), depths(&b.runs));
    let index_b: HashMap<&str, usize> = b
        .runs
        .iter()
        .enumerate()
        .map(|(j, r)| (r.id.as_str(), j))
        .collect();
    let deepest = depth_a.iter().chain(&depth_b).copied().max().unwrap_or(0);
    let profiles_a: Vec<Profile> = a.runs.iter().map(|r| Profile::of(r, a)).collect();
    let profiles_b: Vec<Profile> = b.runs.iter().map(|r| Profile::of(r, b)).collect();
    for depth in 0..=deepest {
        type Left = (Vec<usize>, Vec<usize>);
        let mut groups: BTreeMap<(Option<&str>, Parent), Left> = BTreeMap::new();
        for (i, run) in a.runs.iter().enumerate() {
            if depth_a[i] == depth && partner_a[i].is_none() {
                let parent = run.parent.as_deref().map_or(Parent::Top, Parent::Run);
                let key = (run.algorithm_name.as_deref(), parent);
                groups.entry(key).or_default().0.push(i);
            }
        }
        for (j, run) in b.runs.iter().enumerate() {
            if depth_b[j] == depth && partner_b[j].is_none() {
                let parent = match run.parent.as_deref() {
                    None => Parent::Top,
                    Some(p) => match index_b.get(p) {
                        None => Parent::Run(p),
                        Some(&pj) => match partner_b[pj] {
                            Some(pi) => Parent::Run(a.runs[pi].id.as_str()),
                            None => Parent::OnlyInB(p),
                        },
                    },
                };
                let key = (run.algorithm_name.as_deref(), parent);
                groups.entry(key).or_default().1.push(j);
            }
        }
        for (left_a, left_b) in groups.values() {
            if left_a.is_empty() || left_b.is_empty() {
                continue;
            }
            let group = Group {
                a: &a.runs,
                b: &b.runs,
                profiles_a: &profiles_a,
                profiles_b: &profiles_b,
            };
            for (i, j, how) in group.assign(left_a, left_b) {
                partner_a[i] = Some((j, how));
                partner_b[j] = Some(i);
            }
        }
    }
    let mut pairing = Pairing::default();
    for (i, run) in a.runs.iter().enumerate() {
        let other = partner_a[i].map(|(j, how)| (&b.runs[j], how));
        if let Some((other, _)) = other
            && other.id != run.id
        {
            pairing.b_to_a.insert(other.id.clone(), run.id.clone());
            pairing.a_to_b.insert(run.id.clone(), other.id.clone());
        }
        pairing.pairs.push(Pair {
            a: Some(run),
            b: other.map(|(r, _)| r),
            how: other.map(|(_, how)| how),
        });
    }
    for (j, run) in b.runs.iter().enumerate() {
        if partner_b[j].is_none() {
            pairing.pairs.push(Pair {
                a: None,
                b: Some(run),
                how: None,
            });
        }
    }
    pairing
}

/// Each run's nesting depth: 0 at the top or under a parent the session
/// has no run of. A parent cycle (a hand-written log) stops the count.
fn depths(runs: &[Run]) -> Vec<usize> {
    let index: HashMap<&str, usize> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    runs.iter()
        .map(|run| {
            let mut depth = 0;
            let mut parent = run.parent.as_deref();
            while let Some(&i) = parent.and_then(|p| index.get(p)) {
                depth += 1;
                if depth > runs.len() {
                    break;
                }
                parent = runs[i].parent.as_deref();
            }
            depth
        })
        .collect()
}

/// What a run is compared on when looking for its partner.
struct Profile<'s> {
    /// The inputs it loaded: name → fingerprint.
    inputs: BTreeMap<&'s str, &'s str>,
}

impl<'s> Profile<'s> {
    fn of(run: &Run, session: &'s Session) -> Profile<'s> {
        let inputs = session
            .inputs
            .iter()
            .filter(|i| i.run.as_deref() == Some(run.id.as_str()))
            .map(|i| (i.name.as_str(), i.sha256.as_str()))
            .collect();
        Profile { inputs }
    }
}

/// The runs of one (algorithm, parent) group.
struct Group<'g> {
    a: &'g [Run],
    b: &'g [Run],
    profiles_a: &'g [Profile<'g>],
    profiles_b: &'g [Profile<'g>],
}

impl Group<'_> {
    /// Pairs `left_a` with `left_b` (indices into each side's runs).
    fn assign(&self, left_a: &[usize], left_b: &[usize]) -> Vec<(usize, usize, How)> {
        let mut taken = Vec::new();
        let mut free_a: Vec<usize> = Vec::new();
        let mut free_b: Vec<usize> = left_b.to_vec();
        for &i in left_a {
            let place = segment(&self.a[i]);
            match free_b.iter().position(|&j| segment(&self.b[j]) == place) {
                Some(k) => taken.push((i, free_b.remove(k), How::Place)),
                None => free_a.push(i),
            }
        }
        if free_a.is_empty() || free_b.is_empty() {
            return taken;
        }
        let by_id = |runs: &[Run], mut idx: Vec<usize>| {
            idx.sort_by(|&x, &y| runs[x].id.cmp(&runs[y].id).then(x.cmp(&y)));
            idx
        };
        let (rows, columns) = (by_id(self.a, free_a), by_id(self.b, free_b));
        if rows.len().saturating_mul(columns.len()) > MAX_CANDIDATES {
            let pairs = rows.into_iter().zip(columns);
            taken.extend(pairs.map(|(i, j)| (i, j, How::Similarity)));
            return taken;
        }
        // Setup first, then outcome; among assignments of equal cost, the
        // one pairing most runs at the same rank in id order.
        let n = rows.len().max(columns.len()) as i64 + 1;
        let cost: Vec<Vec<i64>> = rows
            .iter()
            .enumerate()
            .map(|(r, &i)| {
                columns
                    .iter()
                    .enumerate()
                    .map(|(k, &j)| {
                        let (setup, outcome) = self.distance(i, j);
                        let weighed = (setup * OUTCOME_WEIGHT + outcome) as i64;
                        weighed * n + i64::from(r != k)
                    })
                    .collect()
            })
            .collect();
        for (r, k) in assignment::min_total(&cost) {
            taken.push((rows[r], columns[k], How::Similarity));
        }
        taken
    }

    /// (differing setup fields, differing outcome fields) of A's run `i`
    /// and B's run `j`.
    fn distance(&self, i: usize, j: usize) -> (usize, usize) {
        let (x, y) = (&self.a[i], &self.b[j]);
        let (px, py) = (&self.profiles_a[i], &self.profiles_b[j]);
        let null = Value::Null;
        let count = |p: Option<&Value>, q: Option<&Value>, t: Tolerance| {
            deltas(p.unwrap_or(&null), q.unwrap_or(&null), t, MAX_COUNTED).len()
        };
        let seeds_differ = match (&x.random_seed, &y.random_seed) {
            (Some(p), Some(q)) => !seeds_equal(p, q),
            (p, q) => p != q,
        };
        let names: BTreeSet<&&str> = px.inputs.keys().chain(py.inputs.keys()).collect();
        let inputs = names
            .into_iter()
            .filter(|n| px.inputs.get(*n) != py.inputs.get(*n))
            .take(MAX_COUNTED)
            .count();
        let setup = count(x.config.as_ref(), y.config.as_ref(), Tolerance::EXACT)
            + usize::from(x.version != y.version)
            + usize::from(x.input_hash != y.input_hash)
            + usize::from(seeds_differ)
            + inputs;
        let outcome = usize::from(x.status != y.status)
            + usize::from(x.output_hash != y.output_hash)
            + usize::from(x.error != y.error)
            + count(
                x.final_metrics.as_ref(),
                y.final_metrics.as_ref(),
                Tolerance::EXACT,
            );
        (setup, outcome)
    }
}

/// A run's place under its parent: the last segment of its id when the id
/// extends its parent's (`rule@1f0f6b16#1` of `grid#1/rule@1f0f6b16#1`),
/// else the whole id.
fn segment(run: &Run) -> &str {
    run.parent
        .as_deref()
        .and_then(|p| run.id.strip_prefix(p))
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(&run.id)
}

#[cfg(test)]
pub(super) mod tests;
