//! What each event says about its session: `session.start` its context,
//! seeds and inputs; `event.schema` a schema; `algorithm.init` and
//! `algorithm.result` a run; `data.load` an input; `seed.derived` a seed.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::context::Context;
use super::model::{CONTRACT_VERSION, Input, MAX_INPUTS, Output, Run, Seed, Session};
use crate::ops::line::{self, Payload, Problem};
use crate::ops::schemas::SchemaEntry;
use crate::seed::seeds_equal;

/// Records what one line says about its session.
pub(super) struct Record<'s> {
    pub(super) session: &'s mut Session,
    pub(super) line: u64,
    pub(super) run_id: Option<&'s str>,
    pub(super) parent: Option<&'s str>,
    pub(super) ts: &'s str,
}

impl Record<'_> {
    pub(super) fn session_start(self, payload: &Map<String, Value>, seq: u64) -> Vec<Problem> {
        let mut problems = Vec::new();
        if seq != 0 {
            problems.push(meta(
                "session.start must be the session's first line (seq 0)".into(),
            ));
        }
        let version = payload.get("contract_version").and_then(Value::as_u64);
        match version {
            None => problems.push(meta("session.start: contract_version is missing or not an integer".into())),
            Some(v) if v > CONTRACT_VERSION => problems.push(meta(format!(
                "session {} follows contract version {v}, newer than the version {CONTRACT_VERSION} \
                 this tool reads; its lines are not checked (upgrade ith-provenance-cli)",
                self.session.id
            ))),
            Some(_) => {}
        }
        self.session.contract_version = version;
        let Some(context) = payload.get("context").filter(|c| c.is_object()) else {
            problems.push(meta(
                "session.start: context is missing or not an object".into(),
            ));
            return problems;
        };
        if context.get("session_id").and_then(Value::as_str) != Some(self.session.id.as_str()) {
            problems.push(meta(
                "session.start: context.session_id differs from the line's session_id".into(),
            ));
        }
        let context = Context::read(context);
        if let Some(root) = &context.root_seed {
            self.session.seeds.insert(
                0,
                Seed {
                    component: "root".into(),
                    run: None,
                    seed: root.seed.clone(),
                    source: root.source.clone(),
                },
            );
        }
        for (component, seed) in context.random_seeds.iter().flatten() {
            push_seed(&mut self.session.seeds, None, component, seed, None);
        }
        for (name, hash) in &context.input_hashes {
            self.session.push_input(Input {
                name: name.clone(),
                run: None,
                sha256: hash.clone(),
                source_path: None,
                dtype: None,
                shape: None,
                size_bytes: None,
                working_dir: None,
                line: 0,
            });
        }
        self.session.context = Some(context);
        problems
    }

    /// The schema an `event.schema` line carries, in either form: version
    /// 2's `describes`, `event_version` and `payload_schema` (the schema as
    /// JSON text), or version 1's `name`, `version` and `schema` (an object).
    pub(super) fn event_schema(self, payload: &Map<String, Value>) -> Result<SchemaEntry, Problem> {
        if payload.contains_key("describes") || payload.contains_key("payload_schema") {
            let name = payload.get("describes").and_then(Value::as_str);
            let version = payload.get("event_version").and_then(Value::as_u64);
            let text = payload.get("payload_schema").and_then(Value::as_str);
            let (Some(name), Some(version), Some(text)) = (name, version, text) else {
                return Err(meta(
                    "event.schema needs describes (a string), event_version (an integer) and \
                     payload_schema (the schema as JSON text, a string)"
                        .into(),
                ));
            };
            let schema: Value = serde_json::from_str(text).map_err(|e| {
                meta(format!(
                    "event.schema of {name:?}: payload_schema is not JSON text: {e}"
                ))
            })?;
            if !(schema.is_object() || schema.is_boolean()) {
                return Err(meta(format!(
                    "event.schema of {name:?}: payload_schema holds a {}, not a JSON Schema \
                     (an object)",
                    line::kind_of(&schema)
                )));
            }
            return Ok(SchemaEntry {
                name: name.to_string(),
                version,
                schema,
            });
        }
        let name = payload.get("name").and_then(Value::as_str);
        let version = payload.get("version").and_then(Value::as_u64);
        let schema = payload
            .get("schema")
            .filter(|s| s.is_object() || s.is_boolean());
        match (name, version, schema) {
            (Some(name), Some(version), Some(schema)) => Ok(SchemaEntry {
                name: name.to_string(),
                version,
                schema: schema.clone(),
            }),
            _ => Err(meta(
                "event.schema needs describes, event_version and payload_schema (contract \
                 version 2), or name (a string), version (an integer) and schema (an object) \
                 (version 1)"
                    .into(),
            )),
        }
    }

    pub(super) fn event(mut self, event_type: &str, p: Payload<'_>) {
        // A line is noted once the run it may start exists, except a result
        // without a `run_id`: it closes the run it counts for, so it is
        // noted before.
        if event_type == "algorithm.result" && self.run_id.is_none() {
            self.session.saw(None, event_type, self.line);
            self.apply(event_type, p);
        } else {
            self.apply(event_type, p);
            self.session.saw(self.run_id, event_type, self.line);
        }
    }

    fn apply(&mut self, event_type: &str, p: Payload<'_>) {
        let s = |k: &str| p.str(k).map(String::from);
        match event_type {
            "algorithm.init" => {
                let id = match self.run_id {
                    Some(id) => id.to_string(),
                    None => {
                        self.session.manual_runs += 1;
                        format!("init-{}", self.session.manual_runs)
                    }
                };
                let i = self.session.push_run(Run {
                    id,
                    parent: self.parent.map(String::from),
                    algorithm_name: s("algorithm_name"),
                    version: s("version"),
                    config: p.value("config"),
                    config_hash: s("config_hash"),
                    random_seed: p.value("random_seed").filter(|v| !v.is_null()),
                    input_hash: s("input_hash"),
                    identity_from_start_order: start_order(&p),
                    start_ts: Some(self.ts.to_string()),
                    ..Run::default()
                });
                if self.run_id.is_none() {
                    self.session.open_manual = Some(i);
                }
            }
            "algorithm.result" => {
                let session = &mut *self.session;
                let open_manual = |runs: &[Run]| {
                    runs.iter()
                        .rposition(|r| r.status.is_none() && r.id.starts_with("init-"))
                };
                let found = match self.run_id {
                    Some(id) => session.run_index.get(id).copied(),
                    None => open_manual(&session.runs),
                };
                let i = match found {
                    Some(i) => i,
                    None => session.push_run(Run {
                        id: self.run_id.unwrap_or("result-only").to_string(),
                        parent: self.parent.map(String::from),
                        start_ts: Some(self.ts.to_string()),
                        ..Run::default()
                    }),
                };
                let lines = session.lines;
                let run = &mut session.runs[i];
                run.status = s("status");
                run.end_ts = Some(self.ts.to_string());
                run.duration_ms = p.f64("duration_ms");
                run.output_hash = s("output_hash");
                run.error = s("error");
                run.final_metrics = p.value("final_metrics");
                run.metrics = p.value("metrics").filter(Value::is_object);
                run.dropped_events = p.u64("dropped_events");
                run.identity_from_start_order |= start_order(&p);
                run.result_at = lines;
                let id = run.id.clone();
                // Payload version 2 lists the run's outputs again: the
                // data.save lines may have been lost, the result not.
                if let Some(Value::Array(outputs)) = p.value("outputs") {
                    for o in &outputs {
                        if let (Some(path), Some(hash)) =
                            (o["target_path"].as_str(), o["sha256_hash"].as_str())
                        {
                            session.push_output(Output {
                                run: Some(id.clone()),
                                target_path: path.to_string(),
                                sha256: hash.to_string(),
                                size_bytes: None,
                                output_name: None,
                                working_dir: None,
                                line: self.line,
                            });
                        }
                    }
                }
                if self.run_id.is_none() {
                    session.open_manual = open_manual(&session.runs);
                }
            }
            "data.load" => {
                let Some(sha256) = p.str("sha256_hash") else {
                    return;
                };
                let name = match p.str("input_name").or_else(|| p.str("source_path")) {
                    Some(name) => Cow::Borrowed(name),
                    None => Cow::Owned(format!("line {}", self.line)),
                };
                // A loop that loads the same input again and again: nothing
                // new to record, so build nothing (see `push_input`).
                if self.session.knows_input(self.run_id, &name, sha256) {
                    return;
                }
                self.session.push_input(Input {
                    name: name.into_owned(),
                    run: self.run_id.map(String::from),
                    sha256: sha256.to_string(),
                    source_path: s("source_path"),
                    dtype: s("dtype"),
                    shape: p.value("shape").filter(|v| !v.is_null()),
                    size_bytes: p.u64("size_bytes"),
                    working_dir: s("working_dir"),
                    line: self.line,
                });
            }
            "data.save" => {
                let (Some(path), Some(hash)) = (p.str("target_path"), p.str("sha256_hash")) else {
                    return;
                };
                let run = match self.run_id {
                    Some(id) => Some(id.to_string()),
                    None => self
                        .session
                        .open_manual
                        .map(|i| self.session.runs[i].id.clone()),
                };
                self.session.push_output(Output {
                    run,
                    target_path: path.to_string(),
                    sha256: hash.to_string(),
                    size_bytes: p.u64("size_bytes"),
                    output_name: s("output_name"),
                    working_dir: s("working_dir"),
                    line: self.line,
                });
            }
            "seed.derived" => {
                if let (Some(component), Some(seed)) = (p.str("component"), p.value("seed")) {
                    push_seed(
                        &mut self.session.seeds,
                        self.run_id,
                        component,
                        &seed,
                        s("root_seed_source"),
                    );
                }
            }
            _ => {}
        }
    }
}

/// `identity_from_start_order: true` (payload version 3; absent before).
fn start_order(p: &Payload<'_>) -> bool {
    p.value("identity_from_start_order") == Some(Value::Bool(true))
}

fn meta(message: String) -> Problem {
    Problem::Meta { message }
}

impl Run {
    /// Notes a line of this run (or of one nested in it), keeping the
    /// event type's buffer: no allocation per line once grown.
    fn saw(&mut self, event_type: &str, line: u64) {
        match &mut self.last_event {
            Some(last) => {
                last.clear();
                last.push_str(event_type);
            }
            None => self.last_event = Some(event_type.to_string()),
        }
        self.last_line = Some(line);
    }
}

impl Session {
    fn push_run(&mut self, run: Run) -> usize {
        let i = self.runs.len();
        self.run_index.insert(run.id.clone(), i);
        self.runs.push(run);
        i
    }

    /// Notes a line of `run_id` for that run and every run it is nested in
    /// (a line without one, for the latest unfinished run started without
    /// one). One lookup per level: no allocation, nor a walk over the runs.
    fn saw(&mut self, run_id: Option<&str>, event_type: &str, line: u64) {
        let Some(mut id) = run_id else {
            if let Some(i) = self.open_manual {
                self.runs[i].saw(event_type, line);
            }
            return;
        };
        loop {
            if let Some(&i) = self.run_index.get(id) {
                self.runs[i].saw(event_type, line);
            }
            match id.rfind('/') {
                Some(cut) => id = &id[..cut],
                None => break,
            }
        }
    }

    /// Adds an output unless the same run, path and hash is there (an
    /// `outputs` entry repeats a `data.save` line, which has more).
    fn push_output(&mut self, output: Output) {
        let same = |o: &Output| {
            o.run == output.run && o.target_path == output.target_path && o.sha256 == output.sha256
        };
        if self.outputs.iter().any(same) || self.outputs.len() >= MAX_INPUTS {
            return;
        }
        self.outputs.push(output);
    }

    /// Whether an input of this run, name and fingerprint with a source
    /// path is recorded already (nothing new to record).
    fn knows_input(&self, run: Option<&str>, name: &str, sha256: &str) -> bool {
        self.input_index
            .get(run.unwrap_or(""))
            .and_then(|by_name| by_name.get(name))
            .and_then(|by_hash| by_hash.get(sha256))
            .is_some_and(|&i| self.inputs[i].source_path.is_some())
    }

    /// Adds an input unless the same run, name and hash is there (a
    /// `data.load` line then replaces an `input_hashes` entry); the same
    /// name in the same run with another hash becomes `name#2`, `name#3`, ….
    /// Constant time per input.
    fn push_input(&mut self, mut input: Input) {
        let run = input.run.clone().unwrap_or_default();
        if let Some(&i) = self
            .input_index
            .get(&run)
            .and_then(|by_name| by_name.get(&input.name))
            .and_then(|by_hash| by_hash.get(&input.sha256))
        {
            if self.inputs[i].source_path.is_none() {
                input.name = std::mem::take(&mut self.inputs[i].name);
                self.inputs[i] = input;
            }
            return;
        }
        if self.inputs.len() >= MAX_INPUTS {
            self.inputs_omitted += 1;
            return;
        }
        let variants = self.input_variants.entry(run.clone()).or_default();
        let base = input.name.clone();
        let count = variants.entry(base.clone()).or_insert(0);
        *count += 1;
        let mut n = *count;
        if n > 1 {
            loop {
                input.name = format!("{base}#{n}");
                if !variants.contains_key(&input.name) {
                    break;
                }
                n += 1;
            }
            variants.insert(input.name.clone(), 1);
        }
        self.input_index
            .entry(run)
            .or_default()
            .entry(base)
            .or_default()
            .insert(input.sha256.clone(), self.inputs.len());
        self.inputs.push(input);
    }
}

/// Adds a seed unless the same run, component and seed is there; the same
/// component of the same run with another seed becomes `component#2`, ….
fn push_seed(
    seeds: &mut Vec<Seed>,
    run: Option<&str>,
    component: &str,
    seed: &Value,
    source: Option<String>,
) {
    let same_run = |s: &Seed| s.run.as_deref() == run;
    if let Some(existing) = seeds
        .iter_mut()
        .find(|s| same_run(s) && s.component == component && seeds_equal(&s.seed, seed))
    {
        if existing.source.is_none() {
            existing.source = source;
        }
        return;
    }
    let mut name = component.to_string();
    let mut n = 1;
    while seeds.iter().any(|s| same_run(s) && s.component == name) {
        n += 1;
        name = format!("{component}#{n}");
    }
    seeds.push(Seed {
        component: name,
        run: run.map(String::from),
        seed: seed.clone(),
        source,
    });
}
