//! The page's data (`docs/REPORT.md`, *The data*): the `runs` table as
//! `runs --json` gives it, each run's context in the sections a compare
//! shows, its events, seeds, inputs and outputs, its metric series
//! (downsampled for drawing), and the lineage of the recorded files.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use ith_provenance_contract::is_envelope_field;

use super::series::{Series, downsample};
use crate::commands::runs::row::{Columns, Row, flatten, text};
use crate::commands::runs::{SelectArgs, select, table};
use crate::commands::why::lineage::Index;
use crate::error::CliError;
use crate::ops::log_source::LogSource;
use crate::ops::reader::LogReader;
use crate::ops::scan::{Context, Run, ScanOptions, Session};

/// The events of a run the page lists; more are counted, not listed.
const EVENTS_PER_RUN: usize = 200;

/// The page's data as JSON, with what it holds.
#[derive(Debug)]
pub(crate) struct Gathered {
    pub(crate) json: String,
    pub(crate) runs: usize,
    pub(crate) series: usize,
}

/// One run's part of the data, filled as the logs are read.
struct RunData {
    value: Map<String, Value>,
    events: Vec<Value>,
    events_omitted: u64,
}

/// The page's names for runs (`r0`, `r1`, …), each a run's own for as long
/// as one is kept: the live view gathers again and again, and its page
/// keeps the runs ticked and the run open by these names, so a log that
/// appears before the others in path order must not shift them.
#[derive(Debug, Default)]
pub(crate) struct RunKeys {
    runs: HashMap<(String, String), String>,
    /// A session's own series (recorded outside its runs): `s0`, `s1`, …
    sessions: HashMap<String, String>,
    /// What the last gather read of each log whose source gives versions
    /// (the live view's): a log unchanged since, whose shown runs are the
    /// same, is not read again.
    files: HashMap<PathBuf, FileData>,
}

/// What the page shows from one log's lines: its shown runs' events and
/// their series, drawn.
#[derive(Debug, Default, Clone)]
struct FileData {
    /// The log's version ([`LogSource::version`]) these were read at.
    version: u64,
    /// The keys read (the log's shown runs and sessions), sorted.
    keys: Vec<String>,
    /// Each run's events (the first [`EVENTS_PER_RUN`]) and how many more.
    events: HashMap<String, (Vec<Value>, u64)>,
    /// Each series by (key, name), downsampled.
    series: Vec<((String, String), Value)>,
}

impl RunKeys {
    /// The name of the run `id` (session, run), given it the first time.
    fn key(&mut self, id: &(String, String)) -> String {
        let next = self.runs.len();
        self.runs
            .entry(id.clone())
            .or_insert_with(|| format!("r{next}"))
            .clone()
    }

    /// The name of session `id`'s own series, given it the first time.
    fn session_key(&mut self, id: &str) -> String {
        let next = self.sessions.len();
        self.sessions
            .entry(id.to_string())
            .or_insert_with(|| format!("s{next}"))
            .clone()
    }
}

/// Reads the logs `args` names and gathers what the page shows of the runs
/// it selects (as `runs` would list them), naming them with `run_keys`.
pub(crate) fn gather(
    args: &SelectArgs,
    source: &dyn LogSource,
    run_keys: &mut RunKeys,
    err: &mut dyn Write,
) -> Result<Gathered, CliError> {
    let selected = select(args, source, err)?;
    let options = ScanOptions {
        max_line: args.read.max_line_bytes,
        max_findings: 0,
        ..ScanOptions::default()
    };
    let mut keys: HashMap<(String, String), String> = HashMap::new();
    let mut runs: BTreeMap<String, RunData> = BTreeMap::new();
    let mut series: BTreeMap<(String, String), Value> = BTreeMap::new();
    let mut sessions = Map::new();
    let mut lineage = Index::default();
    // A session's own series (recorded outside its runs) are drawn beside
    // its runs' when one of them is shown, or, with no option narrowing
    // the runs, for every session read.
    let every_session = args.conditions.is_empty() && args.since.is_none() && args.limit.is_none();
    let mut owners = Map::new();
    let mut readers = Vec::new();
    for file in source.files() {
        let scan = source.scan(file, &options)?;
        let mut here = HashMap::new();
        for session in &scan.sessions {
            lineage.add(session);
            readers.extend(readers_of(session));
            let shown = session.runs.iter().any(|r| {
                selected
                    .matched
                    .contains(&(session.id.clone(), r.id.clone()))
            });
            let experiment = args
                .experiment
                .as_ref()
                .is_none_or(|e| session.experiment_id.as_ref() == Some(e));
            if shown || (every_session && experiment) {
                let key = run_keys.session_key(&session.id);
                here.insert((session.id.clone(), String::new()), key.clone());
                owners.insert(key, session.id.clone().into());
            }
            for run in &session.runs {
                let id = (session.id.clone(), run.id.clone());
                if !selected.matched.contains(&id) {
                    continue;
                }
                let key = run_keys.key(&id);
                let data = run_data(session, run, &key, file);
                if !sessions.contains_key(&session.id) {
                    let shared = session_sections(session.context.as_ref());
                    sessions.insert(session.id.clone(), shared);
                }
                here.insert(id.clone(), key.clone());
                keys.insert(id, key.clone());
                runs.insert(key, data);
            }
        }
        if here.is_empty() {
            continue;
        }
        let mut wanted: Vec<String> = here.values().cloned().collect();
        wanted.sort_unstable();
        let version = source.version(file);
        let kept = run_keys
            .files
            .get(file)
            .filter(|d| Some(d.version) == version && d.keys == wanted);
        let read = match kept {
            Some(data) => data.clone(),
            None => {
                let lines = source.lines(file, args.read.max_line_bytes)?;
                let mut data = read_lines(lines, &here)?;
                data.keys = wanted;
                if let Some(version) = version {
                    data.version = version;
                    run_keys.files.insert(file.clone(), data.clone());
                }
                data
            }
        };
        for (key, (events, omitted)) in read.events {
            if let Some(run) = runs.get_mut(&key) {
                run.events = events;
                run.events_omitted = omitted;
            }
        }
        series.extend(read.series);
    }
    // Logs no longer read are forgotten.
    let present: HashSet<&PathBuf> = source.files().iter().collect();
    run_keys.files.retain(|file, _| present.contains(file));
    let grouped = !args.group_by.is_empty();
    let table = table_json(&selected.rows, &selected.columns, grouped, &keys);
    let lineage = lineage_json(&lineage, &readers, &keys);
    let series_count = series.len();
    let series: Vec<Value> = series.into_values().collect();
    let run_count = runs.len();
    let runs: Map<String, Value> = runs
        .into_iter()
        .map(|(key, mut r)| {
            r.value.insert("events".into(), Value::Array(r.events));
            r.value
                .insert("events_omitted".into(), r.events_omitted.into());
            (key, Value::Object(r.value))
        })
        .collect();
    let data = json!({
        "format": "provenance-report",
        "version": 1,
        "generated_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "generator": concat!("provenance ", env!("CARGO_PKG_VERSION")),
        "logs": selected.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
        "options": {
            "where": args.conditions,
            "sort": args.sort,
            "group_by": args.group_by,
        },
        "table": table,
        "runs": runs,
        "sessions": sessions,
        "series": series,
        "session_series": owners,
        "lineage": lineage,
    });
    Ok(Gathered {
        json: data.to_string(),
        runs: run_count,
        series: series_count,
    })
}

/// `table`: the rows as `runs --json` prints them, each with the `key` of
/// its run (not when the rows are groups).
fn table_json(
    rows: &[Row],
    columns: &Columns,
    grouped: bool,
    keys: &HashMap<(String, String), String>,
) -> Value {
    let ids = table::columns(rows, columns);
    let names: Vec<&str> = ids.iter().map(|&id| columns.name(id)).collect();
    let rows: Vec<Value> = rows
        .iter()
        .map(|row| {
            let mut object = Map::new();
            if !grouped {
                let id = (text(row.get(0)).to_string(), text(row.get(1)).to_string());
                if let Some(key) = keys.get(&id) {
                    object.insert("key".into(), key.clone().into());
                }
            }
            for (&id, name) in ids.iter().zip(&names) {
                let cell = row
                    .get(id)
                    .and_then(|c| serde_json::from_str(&c.to_json()).ok())
                    .unwrap_or(Value::Null);
                object.insert((*name).to_string(), cell);
            }
            Value::Object(object)
        })
        .collect();
    json!({ "grouped": grouped, "columns": names, "rows": rows })
}

/// A run's context, seeds, inputs and outputs; its events come later.
fn run_data(session: &Session, run: &Run, key: &str, file: &Path) -> RunData {
    let context = session.context.as_ref();
    let seeds: Vec<Value> = session
        .seeds
        .iter()
        .filter(|s| s.run.as_deref() == Some(run.id.as_str()))
        .map(|s| json!({ "component": s.component, "seed": s.seed }))
        .collect();
    let inputs: Vec<Value> = session
        .inputs
        .iter()
        .filter(|i| i.run.as_deref() == Some(run.id.as_str()))
        .map(|i| json!({ "name": i.name, "path": i.source_path, "hash": i.sha256 }))
        .collect();
    let outputs: Vec<Value> = session
        .outputs
        .iter()
        .filter(|o| o.run.as_deref() == Some(run.id.as_str()))
        .map(|o| json!({ "path": o.target_path, "hash": o.sha256, "size_bytes": o.size_bytes }))
        .collect();
    let value = json!({
        "key": key,
        "session": session.id,
        "run": run.id,
        "file": file.display().to_string(),
        "algorithm": run.algorithm_name,
        "status": run.status,
        "error": run.error,
        "start": run.start_ts,
        "end": run.end_ts,
        "duration_ms": run.duration_ms,
        "compare": run_sections(session, context, run),
        "seeds": seeds,
        "inputs": inputs,
        "outputs": outputs,
        "rerun": format!(
            "provenance rerun {} --session {} --run {}",
            shell_word(&file.display().to_string()),
            session.id,
            shell_word(&run.id)
        ),
    });
    let Value::Object(value) = value else {
        unreachable!("json! of an object is an object")
    };
    RunData {
        value,
        events: Vec::new(),
        events_omitted: 0,
    }
}

/// `word` as a shell reads it: quoted when it holds anything but plain
/// characters (a run id's `#` starts a comment).
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The run's own sections of a compare (configuration, seeds, inputs),
/// each a flat map of dotted paths to values.
fn run_sections(session: &Session, context: Option<&Context>, run: &Run) -> Value {
    let mut config = Vec::new();
    if let Some(value) = &run.config {
        flatten("config".to_string(), value, &mut config);
    }
    let config: Map<String, Value> = config.into_iter().map(|(k, v)| (k, v.clone())).collect();

    let mut seeds = Map::new();
    if let Some(root) = context.and_then(|c| c.root_seed.as_ref()) {
        seeds.insert("seeds.root".into(), root.seed.clone());
    }
    if let Some(seed) = &run.random_seed {
        seeds.insert("seeds.random_seed".into(), seed.clone());
    }
    for s in session
        .seeds
        .iter()
        .filter(|s| s.run.as_deref() == Some(run.id.as_str()))
    {
        seeds.insert(format!("seeds.{}", s.component), s.seed.clone());
    }

    let inputs: Map<String, Value> = session
        .inputs
        .iter()
        .filter(|i| i.run.as_deref() == Some(run.id.as_str()))
        .map(|i| (format!("inputs.{}", i.name), i.sha256.clone().into()))
        .collect();
    json!({ "config": config, "seeds": seeds, "inputs": inputs })
}

/// The session's sections of a compare (commit, dependencies, build,
/// environment), shared by its runs: written once a session in `sessions`.
fn session_sections(context: Option<&Context>) -> Value {
    let mut commit = Map::new();
    let mut dependencies = Map::new();
    let mut build = Map::new();
    let mut environment = Map::new();
    if let Some(c) = context {
        commit.insert("git.commit".into(), c.sha().into());
        if let Some(git) = &c.git {
            commit.insert("git.dirty".into(), git.dirty.into());
            commit.insert("git.diff_hash".into(), git.diff_hash.clone().into());
            commit.insert("git.branch".into(), git.branch.clone().into());
        }
        if let Some(k) = &c.krate {
            build.insert("crate.name".into(), k.name.clone().into());
            build.insert("crate.version".into(), k.version.clone().into());
        }
        build.insert("rustc".into(), c.rustc_version.clone().into());
        if let Some(b) = &c.build {
            build.insert("build.profile".into(), b.profile.clone().into());
            build.insert("build.opt_level".into(), b.opt_level.clone().into());
            build.insert("build.debug_assertions".into(), b.debug_assertions.into());
            build.insert("build.target".into(), b.target.clone().into());
            build.insert("build.panic".into(), b.panic.clone().into());
            if let Some(cargo) = &b.cargo {
                build.insert("build.cargo.package".into(), cargo.package.clone().into());
                build.insert(
                    "build.cargo.target".into(),
                    cargo.target_name.clone().into(),
                );
                build.insert(
                    "build.cargo.features".into(),
                    cargo.features.as_ref().map(|f| f.join(",")).into(),
                );
            }
            if let Some(t) = &b.toolchain {
                build.insert("build.toolchain".into(), t.release.clone().into());
            }
            for d in &b.dependencies {
                dependencies.insert(format!("deps.{}", d.name), d.version.clone().into());
            }
        }
        for (name, value) in c.env.iter().flatten() {
            environment.insert(format!("env.{name}"), value.clone().into());
        }
        if let Some(h) = &c.host {
            environment.insert("host.os".into(), h.os.clone().into());
            environment.insert("host.arch".into(), h.arch.clone().into());
            environment.insert(
                "host.cpu_model".into(),
                h.cpu_model.clone().flatten().into(),
            );
            environment.insert(
                "host.available_parallelism".into(),
                h.available_parallelism.flatten().into(),
            );
        }
    }
    json!({
        "commit": commit,
        "dependencies": dependencies,
        "build": build,
        "environment": environment,
    })
}

/// Reads `file`'s lines once more for the events and metric points of the
/// runs in `here` (by session and run id).
fn read_lines(
    mut reader: LogReader,
    here: &HashMap<(String, String), String>,
) -> Result<FileData, CliError> {
    let mut events: HashMap<String, (Vec<Value>, u64)> = HashMap::new();
    let mut series: BTreeMap<(String, String), Series> = BTreeMap::new();
    while let Some(line) = reader.next_line()? {
        // `scan` has reported long, broken and foreign lines; they are
        // left out here.
        if line.too_long.is_some() || !line.is_log_line {
            continue;
        }
        let number = line.number;
        let Ok(Value::Object(event)) = serde_json::from_slice::<Value>(line.bytes) else {
            continue;
        };
        let id = |field: &str| event.get(field).and_then(Value::as_str).map(str::to_string);
        let event_type = id("event_type").unwrap_or_default();
        let Some(session) = id("session_id") else {
            continue;
        };
        // No run: the session's own (only its series are drawn).
        let run = match id("run_id") {
            Some(run) => run,
            None if event_type == "metrics" => String::new(),
            None => continue,
        };
        let Some(key) = here.get(&(session, run)) else {
            continue;
        };
        // A type's schema, written before its first line: not the run's doing.
        if event_type == "event.schema" {
            continue;
        }
        if event_type == "metrics" {
            if let Some(name) = id("name") {
                let points = series.entry((key.clone(), name)).or_default();
                points.add(&event);
            }
            continue;
        }
        let (list, omitted) = events.entry(key.clone()).or_default();
        if list.len() >= EVENTS_PER_RUN {
            *omitted += 1;
            continue;
        }
        list.push(json!({
            "line": number,
            "seq": event.get("seq"),
            "ts": event.get("ts"),
            "event_type": event_type,
            "text": summary(&event),
        }));
    }
    Ok(FileData {
        events,
        series: series
            .into_iter()
            .map(|((key, name), s)| {
                let drawn = downsample(&key, &name, s);
                ((key, name), drawn)
            })
            .collect(),
        ..FileData::default()
    })
}

/// An event's payload on one line (its envelope left out): `key=value`
/// pairs, cut at 160 characters.
fn summary(event: &Map<String, Value>) -> String {
    let mut text = String::new();
    for (key, value) in event.iter().filter(|(k, _)| !is_envelope_field(k)) {
        if !text.is_empty() {
            text.push_str(", ");
        }
        text.push_str(key);
        text.push('=');
        match value {
            Value::String(s) => text.push_str(s),
            other => text.push_str(&other.to_string()),
        }
        if text.len() > 160 {
            let mut cut = 157;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push('…');
            break;
        }
    }
    text
}

/// `lineage`: files and the runs that read and wrote them, as nodes and
/// edges (input → run → output). Runs outside the page's are named but
/// not linked to a run view.
/// A run that read files and wrote none: the lineage shows it beside the
/// writers `why`'s index holds (which follows writers only).
struct Reader {
    session: String,
    run: String,
    algorithm: Option<String>,
    /// (sha256, path) of each file it read.
    inputs: Vec<(String, String)>,
}

/// The runs of `session` that read a file and recorded no output.
fn readers_of(session: &Session) -> Vec<Reader> {
    let of = |run: &str, r: Option<&str>| r == Some(run);
    session
        .runs
        .iter()
        .filter(|r| !session.outputs.iter().any(|o| of(&r.id, o.run.as_deref())))
        .filter_map(|r| {
            let inputs: Vec<(String, String)> = session
                .inputs
                .iter()
                .filter(|i| of(&r.id, i.run.as_deref()) && i.in_memory().is_none())
                .filter_map(|i| Some((i.sha256.clone(), i.source_path.clone()?)))
                .collect();
            (!inputs.is_empty()).then(|| Reader {
                session: session.id.clone(),
                run: r.id.clone(),
                algorithm: r.algorithm_name.clone(),
                inputs,
            })
        })
        .collect()
}

fn lineage_json(
    index: &Index,
    readers: &[Reader],
    keys: &HashMap<(String, String), String>,
) -> Value {
    let mut nodes: BTreeMap<String, Value> = BTreeMap::new();
    let mut edges = Vec::new();
    for (i, reader) in readers.iter().enumerate() {
        let run_key = keys.get(&(reader.session.clone(), reader.run.clone()));
        let node = match run_key {
            Some(key) => format!("run:{key}"),
            None => format!("reader:{i}"),
        };
        nodes.insert(
            node.clone(),
            run_node(
                &node,
                &reader.run,
                run_key,
                reader.algorithm.as_deref(),
                &reader.session,
            ),
        );
        for (hash, path) in &reader.inputs {
            let file = format!("file:{hash}");
            nodes
                .entry(file.clone())
                .or_insert_with(|| file_node(&file, path, hash));
            edges.push(json!({ "from": file, "to": node }));
        }
    }
    for (i, writer) in index.writers.iter().enumerate() {
        let run_key = writer
            .run
            .as_ref()
            .and_then(|r| keys.get(&(writer.session.clone(), r.clone())));
        let node = match run_key {
            Some(key) => format!("run:{key}"),
            None => format!("writer:{i}"),
        };
        let label = writer.run.as_deref().unwrap_or("(outside runs)");
        nodes.insert(
            node.clone(),
            run_node(
                &node,
                label,
                run_key,
                writer.algorithm.as_deref(),
                &writer.session,
            ),
        );
        for input in writer.inputs.iter().filter(|i| i.in_memory.is_none()) {
            let file = format!("file:{}", input.sha256);
            let path = input.source_path.as_deref().unwrap_or(&input.name);
            nodes
                .entry(file.clone())
                .or_insert_with(|| file_node(&file, path, &input.sha256));
            edges.push(json!({ "from": file, "to": node }));
        }
        for output in &writer.outputs {
            let file = format!("file:{}", output.sha256);
            nodes
                .entry(file.clone())
                .or_insert_with(|| file_node(&file, &output.target_path, &output.sha256));
            edges.push(json!({ "from": node, "to": file }));
        }
    }
    json!({ "nodes": nodes.into_values().collect::<Vec<_>>(), "edges": edges })
}

fn run_node(
    id: &str,
    label: &str,
    key: Option<&String>,
    algorithm: Option<&str>,
    session: &str,
) -> Value {
    json!({
        "id": id,
        "kind": "run",
        "label": label,
        "run": key,
        "detail": format!("{} {session}", algorithm.unwrap_or("")).trim().to_string(),
    })
}

fn file_node(id: &str, path: &str, hash: &str) -> Value {
    let label = Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
    json!({
        "id": id,
        "kind": "file",
        "label": label,
        "detail": format!("{path} {}", &hash[..hash.len().min(19)]),
    })
}
