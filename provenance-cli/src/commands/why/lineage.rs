//! The runs that wrote files, indexed by the hashes they wrote, and the
//! tree of runs behind one hash: its writer, the writers of that run's
//! inputs, and so on.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use crate::ops::scan::{Output, Run, Session};

/// A run that wrote at least one file, with what `why` prints of it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Writer {
    /// `session_id`.
    pub(crate) session: String,
    /// The log it was read from.
    pub(crate) file: String,
    /// The run id (`null`: lines without a `run_id`, outside any run).
    pub(crate) run: Option<String>,
    /// `algorithm_name`.
    pub(crate) algorithm: Option<String>,
    /// The `ts` of its `algorithm.init`.
    pub(crate) start: Option<String>,
    /// The session's full commit.
    pub(crate) commit: Option<String>,
    /// Whether the tree had uncommitted changes.
    pub(crate) dirty: Option<bool>,
    /// `config`.
    pub(crate) config: Option<Value>,
    /// The root seed, the run's `random_seed` and its derived seeds.
    pub(crate) seeds: Vec<SeedEntry>,
    /// Its file inputs (and those of runs nested in it).
    #[serde(skip)]
    pub(crate) inputs: Vec<InputEntry>,
    /// What it wrote.
    #[serde(skip)]
    pub(crate) outputs: Vec<OutputEntry>,
}

/// A seed of a [`Writer`].
#[derive(Clone, Debug, Serialize)]
pub(crate) struct SeedEntry {
    /// `root`, `random_seed`, or a component.
    pub(crate) component: String,
    /// As the log holds it.
    pub(crate) seed: Value,
    /// The run that derived it: the writer or a run nested in it (`None`:
    /// the root seed, the session's own).
    pub(crate) run: Option<String>,
}

/// A `data.load` of a [`Writer`].
#[derive(Clone, Debug, Serialize)]
pub(crate) struct InputEntry {
    /// `input_name`, else `source_path`.
    pub(crate) name: String,
    /// `source_path`.
    pub(crate) source_path: Option<String>,
    /// `sha256_hash`.
    pub(crate) sha256: String,
    /// `working_dir`.
    pub(crate) working_dir: Option<String>,
    /// What data in memory it fingerprints (`array float64 [2000]`,
    /// `value`); `None` for a file.
    pub(crate) in_memory: Option<String>,
}

/// A `data.save` of a [`Writer`].
#[derive(Clone, Debug, Serialize)]
pub(crate) struct OutputEntry {
    /// `target_path`.
    pub(crate) target_path: String,
    /// `sha256_hash`.
    pub(crate) sha256: String,
    /// Its line in the log.
    pub(crate) line: u64,
}

/// Every writer of every log read, by the hashes they wrote.
#[derive(Default)]
pub(crate) struct Index {
    pub(crate) writers: Vec<Writer>,
    by_hash: HashMap<String, Vec<usize>>,
}

impl Index {
    /// Adds the writers of `session`: its runs that wrote a file. Only
    /// they are kept, so memory grows with the runs that wrote, not with
    /// the logs.
    pub(crate) fn add(&mut self, session: &Session) {
        let mut by_run: Vec<(Option<&str>, Vec<&Output>)> = Vec::new();
        for o in &session.outputs {
            match by_run.iter_mut().find(|(r, _)| *r == o.run.as_deref()) {
                Some((_, list)) => list.push(o),
                None => by_run.push((o.run.as_deref(), vec![o])),
            }
        }
        let (sha, dirty) = session.git();
        for (run_id, outputs) in by_run {
            let run: Option<&Run> = run_id.and_then(|id| session.runs.iter().find(|r| r.id == id));
            let mine = |r: Option<&str>| match (r, run_id) {
                (Some(r), Some(id)) => r == id || r.starts_with(&format!("{id}/")),
                (None, None) => true,
                _ => false,
            };
            let mut seeds: Vec<SeedEntry> = session
                .seeds
                .iter()
                .filter(|s| s.run.is_none() && s.component == "root")
                .map(|s| SeedEntry {
                    component: "root".into(),
                    seed: s.seed.clone(),
                    run: None,
                })
                .collect();
            if let Some(seed) = run.and_then(|r| r.random_seed.clone()) {
                seeds.push(SeedEntry {
                    component: "random_seed".into(),
                    seed,
                    run: run_id.map(String::from),
                });
            }
            seeds.extend(
                session
                    .seeds
                    .iter()
                    .filter(|s| s.run.is_some() && mine(s.run.as_deref()))
                    .map(|s| SeedEntry {
                        component: s.component.clone(),
                        seed: s.seed.clone(),
                        run: s.run.clone(),
                    }),
            );
            let inputs = session
                .inputs
                .iter()
                .filter(|i| i.source_path.is_some() && mine(i.run.as_deref()))
                .map(|i| InputEntry {
                    name: i.name.clone(),
                    source_path: i.source_path.clone(),
                    sha256: i.sha256.clone(),
                    working_dir: i.working_dir.clone(),
                    in_memory: i.in_memory().map(|m| m.to_string()),
                })
                .collect();
            let i = self.writers.len();
            for o in &outputs {
                let list = self.by_hash.entry(o.sha256.clone()).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
            self.writers.push(Writer {
                session: session.id.clone(),
                file: session.file.clone(),
                run: run_id.map(String::from),
                algorithm: run.and_then(|r| r.algorithm_name.clone()),
                start: run.and_then(|r| r.start_ts.clone()),
                commit: sha.map(String::from),
                dirty,
                config: run.and_then(|r| r.config.clone()),
                seeds,
                inputs,
                outputs: outputs
                    .iter()
                    .map(|o| OutputEntry {
                        target_path: o.target_path.clone(),
                        sha256: o.sha256.clone(),
                        line: o.line,
                    })
                    .collect(),
            });
        }
    }

    /// The writers of `hash`, the latest (by start time) first.
    pub(crate) fn writers_of(&self, hash: &str) -> Vec<usize> {
        let mut found = self.by_hash.get(hash).cloned().unwrap_or_default();
        found.sort_by(|&a, &b| self.writers[b].start.cmp(&self.writers[a].start));
        found
    }

    /// The run shown as the writer of `hash` found at `path`: the latest
    /// that wrote it at that very path, else the latest that wrote it
    /// anywhere (a `provenance rerun` writes the same bytes later, in its
    /// worktree: the file's own writer stays the one shown).
    pub(crate) fn writer_of(&self, hash: &str, path: Option<&str>) -> Option<usize> {
        let writers = self.writers_of(hash);
        let here = path.and_then(|path| {
            writers.iter().copied().find(|&i| {
                self.writers[i]
                    .outputs
                    .iter()
                    .any(|o| o.sha256 == hash && o.target_path == path)
            })
        });
        here.or_else(|| writers.first().copied())
    }

    /// A recorded output at `path` (absolute), with another hash than
    /// `hash`: the latest.
    pub(crate) fn written_at(&self, path: &str) -> Option<(usize, &OutputEntry)> {
        self.writers
            .iter()
            .enumerate()
            .flat_map(|(i, w)| w.outputs.iter().map(move |o| (i, o)))
            .filter(|(_, o)| o.target_path == path)
            .max_by(|a, b| self.writers[a.0].start.cmp(&self.writers[b.0].start))
    }

    /// The tree behind writer `i` of `hash` (found at `path`): each input
    /// followed to its own writer.
    pub(crate) fn tree(&self, i: usize, hash: &str, path: Option<&str>) -> Node {
        let mut above = HashSet::new();
        self.node(i, hash, path, &mut above)
    }

    /// `above`: the runs above this one in the tree (a cycle would
    /// otherwise never end).
    fn node(&self, i: usize, hash: &str, path: Option<&str>, above: &mut HashSet<usize>) -> Node {
        above.insert(i);
        let writer = &self.writers[i];
        let of_hash = || writer.outputs.iter().filter(|o| o.sha256 == hash);
        let output = of_hash()
            .find(|o| Some(o.target_path.as_str()) == path)
            .or_else(|| of_hash().next())
            .cloned();
        let others = self.writers_of(hash).len().saturating_sub(1);
        let inputs = writer
            .inputs
            .iter()
            .map(|input| {
                // Data in memory has an array or value fingerprint, never
                // a file's SHA-256: no run wrote it.
                let by = match input.in_memory {
                    Some(_) => None,
                    None => self.writer_of(&input.sha256, input.source_path.as_deref()),
                };
                let (written_by, cycle) = match by {
                    Some(j) if above.contains(&j) => (None, true),
                    Some(j) => {
                        let from = input.source_path.as_deref();
                        (
                            Some(Box::new(self.node(j, &input.sha256, from, above))),
                            false,
                        )
                    }
                    None => (None, false),
                };
                InputNode {
                    input: input.clone(),
                    written_by,
                    cycle,
                }
            })
            .collect();
        above.remove(&i);
        Node {
            writer: Writer {
                outputs: Vec::new(),
                inputs: Vec::new(),
                ..writer.clone()
            },
            output,
            other_writers: others,
            inputs,
        }
    }
}

/// A run in the tree, with the output that led here and its inputs.
#[derive(Debug, Serialize)]
pub(crate) struct Node {
    #[serde(flatten)]
    pub(crate) writer: Writer,
    /// The output of this run that the tree follows.
    pub(crate) output: Option<OutputEntry>,
    /// How many other runs wrote the same hash (this is the latest).
    pub(crate) other_writers: usize,
    /// Its inputs, each with the run that wrote it.
    pub(crate) inputs: Vec<InputNode>,
}

/// An input in the tree.
#[derive(Debug, Serialize)]
pub(crate) struct InputNode {
    #[serde(flatten)]
    pub(crate) input: InputEntry,
    /// The run that wrote it (`null`: no log read records one, or a cycle).
    pub(crate) written_by: Option<Box<Node>>,
    /// The run that wrote it is already above in the tree.
    pub(crate) cycle: bool,
}
