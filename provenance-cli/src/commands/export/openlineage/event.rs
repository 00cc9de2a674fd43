//! A session's runs as OpenLineage `RunEvent`s (spec 2-0-2): the mapping
//! `docs/EXPORT.md` specifies, as plain JSON values.

use std::collections::HashMap;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::ops::scan::{Input, Output, Run, Session};

/// The `schemaURL` of every event.
pub(crate) const EVENT_SCHEMA_URL: &str =
    "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";

/// Where our own facets' JSON Schemas are published: the files under
/// `provenance-cli/openlineage/` as the crate's source on docs.rs.
pub(crate) const FACET_SCHEMA_BASE: &str = concat!(
    "https://docs.rs/crate/provenance-cli/",
    env!("CARGO_PKG_VERSION"),
    "/source/openlineage/"
);

/// The job namespace of a session with no `experiment_id`.
pub(crate) const DEFAULT_NAMESPACE: &str = "provenance";

/// The UUID namespace run ids are derived in: UUIDv5 of this URL in the
/// standard URL namespace (RFC 9562).
const RUN_ID_NAMESPACE_URL: &str = "https://docs.rs/provenance-cli/openlineage/run-id";

/// `run.runId` of a run: UUIDv5, in the namespace above, of
/// `<session_id>/<run_id>`. The same log gives the same ids on every export.
pub(crate) fn run_uuid(session_id: &str, run_id: &str) -> Uuid {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, RUN_ID_NAMESPACE_URL.as_bytes());
    Uuid::new_v5(&namespace, format!("{session_id}/{run_id}").as_bytes())
}

/// Builds events; `producer` goes in every event and facet.
pub(crate) struct Mapper {
    producer: String,
}

/// One exported event and when it happened (for ordering).
pub(crate) struct Exported {
    /// The event's `eventTime`.
    pub(crate) time: String,
    /// The event.
    pub(crate) event: Value,
}

/// What a session's export holds besides its events.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Runs with an `algorithm.result`.
    pub(crate) finished: usize,
    /// Runs with none: exported as `START` only.
    pub(crate) unfinished: usize,
}

impl Mapper {
    /// A mapper naming `producer` (a URI) as the events' producer.
    pub(crate) fn new(producer: impl Into<String>) -> Mapper {
        Mapper {
            producer: producer.into(),
        }
    }

    /// A standard facet: `_producer` and `_schemaURL`, then `fields`.
    fn facet(&self, schema_url: String, fields: Value) -> Value {
        let mut facet = Map::new();
        facet.insert("_producer".into(), Value::String(self.producer.clone()));
        facet.insert("_schemaURL".into(), Value::String(schema_url));
        if let Value::Object(fields) = fields {
            facet.extend(fields);
        }
        Value::Object(facet)
    }

    fn standard(&self, name: &str, version: &str, fields: Value) -> Value {
        self.facet(
            format!("https://openlineage.io/spec/facets/{version}/{name}.json#/$defs/{name}"),
            fields,
        )
    }

    fn own(&self, name: &str, fields: Value) -> Value {
        self.facet(
            format!("{FACET_SCHEMA_BASE}{name}.json#/$defs/{name}"),
            fields,
        )
    }

    /// Every event of `session`'s runs, in time order (a run's `START`
    /// before its end, a parent's `START` before its children's); the
    /// session's counts of finished and unfinished runs.
    pub(crate) fn session(&self, session: &Session) -> (Vec<Exported>, Tally) {
        let by_id: HashMap<&str, &Run> = session.runs.iter().map(|r| (r.id.as_str(), r)).collect();
        let namespace = session
            .experiment_id
            .as_deref()
            .unwrap_or(DEFAULT_NAMESPACE);
        let last_top = session.runs.iter().rposition(|r| r.parent.is_none());
        let mut events = Vec::new();
        let mut tally = Tally::default();
        for (i, run) in session.runs.iter().enumerate() {
            let top = run.parent.is_none();
            // Inputs and outputs recorded outside any run belong to the
            // session: its inputs to every top-level run, its outputs to
            // the last one.
            let inputs: Vec<&Input> = session
                .inputs
                .iter()
                .filter(|x| x.run.as_deref() == Some(run.id.as_str()) || (top && x.run.is_none()))
                .collect();
            let outputs: Vec<&Output> = session
                .outputs
                .iter()
                .filter(|x| {
                    x.run.as_deref() == Some(run.id.as_str())
                        || (last_top == Some(i) && x.run.is_none())
                })
                .collect();
            let job = self.job(session, run, namespace);
            let run_id = run_uuid(&session.id, &run.id).to_string();
            let inputs: Vec<Value> = inputs.iter().map(|x| self.input(x, namespace)).collect();
            let start_time = run.start_ts.clone().unwrap_or_default();
            let mut start_facets = Map::new();
            if let Some(parent) = self.parent(session, run, &by_id, namespace) {
                start_facets.insert("parent".into(), parent);
            }
            start_facets.insert("processing_engine".into(), self.engine(session));
            if let Some(env) = self.environment(session) {
                start_facets.insert("environmentVariables".into(), env);
            }
            start_facets.insert("provenance".into(), self.run_facet(session, run, false));
            events.push(Exported {
                time: start_time.clone(),
                event: json!({
                    "eventTime": start_time,
                    "producer": self.producer,
                    "schemaURL": EVENT_SCHEMA_URL,
                    "eventType": "START",
                    "run": {"runId": run_id, "facets": start_facets},
                    "job": job,
                    "inputs": inputs,
                    "outputs": [],
                }),
            });
            let Some(status) = run.status.as_deref() else {
                tally.unfinished += 1;
                continue;
            };
            tally.finished += 1;
            let end_time = run.end_ts.clone().unwrap_or_else(|| start_time.clone());
            let mut end_facets = Map::new();
            if let Some(parent) = self.parent(session, run, &by_id, namespace) {
                end_facets.insert("parent".into(), parent);
            }
            let event_type = if status == "ok" {
                "COMPLETE"
            } else {
                let message = match (status, run.error.as_deref()) {
                    ("panic", Some(e)) => format!("panic: {e}"),
                    ("panic", None) => "panic".to_string(),
                    (_, Some(e)) => e.to_string(),
                    (s, None) => format!("the run ended with status {s:?}"),
                };
                end_facets.insert(
                    "errorMessage".into(),
                    self.standard(
                        "ErrorMessageRunFacet",
                        "1-0-1",
                        json!({"message": message, "programmingLanguage": "Rust"}),
                    ),
                );
                "FAIL"
            };
            end_facets.insert("provenance".into(), self.run_facet(session, run, true));
            let outputs: Vec<Value> = outputs.iter().map(|x| self.output(x)).collect();
            events.push(Exported {
                time: end_time.clone(),
                event: json!({
                    "eventTime": end_time,
                    "producer": self.producer,
                    "schemaURL": EVENT_SCHEMA_URL,
                    "eventType": event_type,
                    "run": {"runId": run_id, "facets": end_facets},
                    "job": job,
                    "inputs": inputs,
                    "outputs": outputs,
                }),
            });
        }
        // Stable: events of one time keep the order above (START first).
        events.sort_by(|a, b| a.time.cmp(&b.time));
        (events, tally)
    }

    fn job(&self, session: &Session, run: &Run, namespace: &str) -> Value {
        let mut facets = Map::new();
        facets.insert(
            "jobType".into(),
            self.standard(
                "JobTypeJobFacet",
                "2-0-4",
                json!({"processingType": "BATCH", "integration": "PROVENANCE", "jobType": "TASK"}),
            ),
        );
        if let Some(location) = source_location(session) {
            facets.insert(
                "sourceCodeLocation".into(),
                self.standard("SourceCodeLocationJobFacet", "1-1-0", location),
            );
        }
        json!({
            "namespace": namespace,
            "name": job_name(run),
            "facets": facets,
        })
    }

    /// The standard `parent` facet of a nested run: its parent, and the
    /// top-level run above it as `root`.
    fn parent(
        &self,
        session: &Session,
        run: &Run,
        by_id: &HashMap<&str, &Run>,
        namespace: &str,
    ) -> Option<Value> {
        let parent_id = run.parent.as_deref()?;
        let reference = |id: &str| {
            let name = by_id
                .get(id)
                .map_or_else(|| id.to_string(), |r| job_name(r));
            json!({
                "run": {"runId": run_uuid(&session.id, id).to_string()},
                "job": {"namespace": namespace, "name": name},
            })
        };
        let mut root = parent_id;
        // At most one step per run: a cycle of parents cannot loop.
        for _ in 0..session.runs.len() {
            match by_id.get(root).and_then(|r| r.parent.as_deref()) {
                Some(up) => root = up,
                None => break,
            }
        }
        let mut fields = reference(parent_id);
        fields["root"] = reference(root);
        Some(self.standard("ParentRunFacet", "1-2-0", fields))
    }

    fn engine(&self, session: &Session) -> Value {
        let rustc = session
            .context
            .as_ref()
            .and_then(|c| c.rustc_version.as_deref())
            .unwrap_or("unknown");
        // "rustc 1.95.0 (59807616e 2026-04-14)" -> "1.95.0"
        let version = rustc.split_whitespace().nth(1).unwrap_or(rustc);
        self.standard(
            "ProcessingEngineRunFacet",
            "1-1-1",
            json!({
                "name": "rust",
                "version": version,
                "openlineageAdapterVersion": env!("CARGO_PKG_VERSION"),
            }),
        )
    }

    fn environment(&self, session: &Session) -> Option<Value> {
        let env = session.context.as_ref()?.env.as_ref()?;
        let vars: Vec<Value> = env
            .iter()
            .filter_map(|(name, value)| Some(json!({"name": name, "value": value.as_ref()?})))
            .collect();
        if vars.is_empty() {
            return None;
        }
        Some(self.standard(
            "EnvironmentVariablesRunFacet",
            "1-0-0",
            json!({"environmentVariables": vars}),
        ))
    }

    /// Our `provenance` run facet: what reproduces the run. `end` adds the
    /// result's fields.
    fn run_facet(&self, session: &Session, run: &Run, end: bool) -> Value {
        let ctx = session.context.as_ref();
        let git = ctx.and_then(|c| c.git.as_ref());
        let seeds: Map<String, Value> = session
            .seeds
            .iter()
            .filter(|s| s.run.as_deref() == Some(run.id.as_str()))
            .map(|s| (s.component.clone(), s.seed.clone()))
            .collect();
        let mut fields = json!({
            "session_id": session.id,
            "run_id": run.id,
            "parent_run_id": run.parent,
            "experiment_id": session.experiment_id,
            "log": session.file,
            "algorithm_name": run.algorithm_name,
            "algorithm_version": run.version,
            "git_sha": session.git().0,
            "git_dirty": session.git().1,
            "git_diff_hash": git.and_then(|g| g.diff_hash.as_deref()),
            "config": run.config,
            "config_hash": run.config_hash,
            "random_seed": run.random_seed,
            "root_seed": ctx.and_then(|c| c.root_seed.as_ref()?.seed.as_str()),
            "seeds": seeds,
            "input_hash": run.input_hash,
        });
        if end {
            fields["status"] = json!(run.status);
            fields["duration_ms"] = json!(run.duration_ms);
            fields["output_hash"] = json!(run.output_hash);
            fields["final_metrics"] = json!(run.final_metrics);
            fields["error"] = json!(run.error);
        }
        // Absent, not null: a reader tells "not recorded" by the key.
        if let Value::Object(map) = &mut fields {
            map.retain(|_, v| !v.is_null());
        }
        self.own("ProvenanceRunFacet", fields)
    }

    fn input(&self, input: &Input, job_namespace: &str) -> Value {
        let (namespace, name) = input_dataset(input, job_namespace);
        let mut fingerprint = json!({"sha256": input.sha256, "input_name": input.name});
        for (key, value) in [
            ("size_bytes", input.size_bytes.map(Value::from)),
            ("dtype", input.dtype.clone().map(Value::String)),
            ("shape", input.shape.clone()),
            ("working_dir", input.working_dir.clone().map(Value::String)),
        ] {
            if let Some(v) = value.filter(|v| !v.is_null()) {
                fingerprint[key] = v;
            }
        }
        json!({
            "namespace": namespace,
            "name": name,
            "facets": self.dataset_facets(&input.sha256, fingerprint),
        })
    }

    fn output(&self, output: &Output) -> Value {
        let (namespace, name) = path_dataset(&output.target_path);
        let mut fingerprint = json!({"sha256": output.sha256});
        for (key, value) in [
            ("size_bytes", output.size_bytes.map(Value::from)),
            ("output_name", output.output_name.clone().map(Value::String)),
            ("working_dir", output.working_dir.clone().map(Value::String)),
        ] {
            if let Some(v) = value {
                fingerprint[key] = v;
            }
        }
        json!({
            "namespace": namespace,
            "name": name,
            "facets": self.dataset_facets(&output.sha256, fingerprint),
        })
    }

    fn dataset_facets(&self, sha256: &str, fingerprint: Value) -> Value {
        json!({
            "version": self.standard(
                "DatasetVersionDatasetFacet",
                "1-0-1",
                json!({"datasetVersion": sha256}),
            ),
            "provenance_fingerprint": self.own("ProvenanceFingerprintDatasetFacet", fingerprint),
        })
    }
}

/// The `sourceCodeLocation` fields of a session that recorded a commit:
/// the remote's URL when one was recorded (else the repository's folder as
/// a `file://` URL), the commit, the branch, and the crate's folder within
/// the repository.
fn source_location(session: &Session) -> Option<Value> {
    let sha = session.git().0?;
    let ctx = session.context.as_ref()?;
    let git = ctx.git.as_ref()?;
    let root = git.repo_root.as_deref();
    let (url, repo_url) = match git.remote_url.as_deref() {
        Some(remote) => (remote_uri(remote), remote.to_string()),
        None => {
            let local = file_url(root?);
            (local.clone(), local)
        }
    };
    let mut location = json!({"type": "git", "url": url, "repoUrl": repo_url, "version": sha});
    if let Some(branch) = &git.branch {
        location["branch"] = Value::String(branch.clone());
    }
    let path = root.and_then(|root| {
        let dir = ctx.krate.as_ref()?.manifest_dir.as_deref()?;
        let rest = dir.strip_prefix(root)?.trim_start_matches(['/', '\\']);
        (!rest.is_empty()).then(|| rest.to_string())
    });
    if let Some(path) = path {
        location["path"] = Value::String(path);
    }
    Some(location)
}

/// A remote's URL as a URI: as it is, or an scp-like `user@host:path` as
/// `ssh://user@host/path`, or a local path as a `file://` URL.
fn remote_uri(remote: &str) -> String {
    if remote.contains("://") {
        return remote.to_string();
    }
    if let Some((host, path)) = remote.split_once(':')
        && !host.contains('/')
        && !is_windows_absolute(remote)
    {
        return format!("ssh://{host}/{}", path.trim_start_matches('/'));
    }
    file_url(remote)
}

/// `job.name`: the algorithm, else the run id.
fn job_name(run: &Run) -> String {
    run.algorithm_name.clone().unwrap_or_else(|| run.id.clone())
}

/// A `file://` URL of an absolute path, its bytes outside the URI's
/// unreserved and path characters percent-encoded.
pub(crate) fn file_url(path: &str) -> String {
    let mut url = String::from("file://");
    if !path.starts_with('/') {
        url.push('/');
    }
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// The dataset of a path or URI (OpenLineage's naming conventions): a URI
/// `scheme://authority/key` is namespace `scheme://authority`, name `key`;
/// a path is namespace `file`, name the path.
pub(crate) fn path_dataset(path: &str) -> (String, String) {
    if let Some((scheme, rest)) = path.split_once("://")
        && !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        && scheme != "file"
    {
        let (authority, key) = rest.split_once('/').unwrap_or((rest, ""));
        let key = if key.is_empty() { "/" } else { key };
        return (format!("{scheme}://{authority}"), key.to_string());
    }
    let path = path.strip_prefix("file://").unwrap_or(path);
    ("file".to_string(), path.to_string())
}

/// The dataset of an input: a file (or URI) by its path; in-memory data
/// (an array or value fingerprint, or no path) as `inmemory://`, named
/// `<job namespace>/<input name>`.
fn input_dataset(input: &Input, job_namespace: &str) -> (String, String) {
    match &input.source_path {
        Some(path) if input.dtype.is_none() => {
            let relative =
                !path.starts_with('/') && !path.contains("://") && !is_windows_absolute(path);
            match &input.working_dir {
                Some(dir) if relative && !dir.is_empty() => {
                    path_dataset(&format!("{}/{path}", dir.trim_end_matches('/')))
                }
                _ => path_dataset(path),
            }
        }
        _ => (
            "inmemory://".to_string(),
            format!("{job_namespace}/{}", input.name),
        ),
    }
}

fn is_windows_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::scan::Context;

    #[test]
    fn datasets_follow_the_naming_conventions() {
        assert_eq!(
            path_dataset("/data/raw.csv"),
            ("file".into(), "/data/raw.csv".into())
        );
        assert_eq!(
            path_dataset("s3://bucket/a/b.parquet"),
            ("s3://bucket".into(), "a/b.parquet".into())
        );
        assert_eq!(
            path_dataset("gs://bucket"),
            ("gs://bucket".into(), "/".into())
        );
        assert_eq!(path_dataset("file:///x/y"), ("file".into(), "/x/y".into()));
        assert_eq!(
            path_dataset("C:\\data\\x.csv"),
            ("file".into(), "C:\\data\\x.csv".into())
        );
    }

    #[test]
    fn file_urls_escape_what_a_uri_cannot_hold() {
        assert_eq!(file_url("/home/a b/repo"), "file:///home/a%20b/repo");
        assert_eq!(file_url("/r/é"), "file:///r/%C3%A9");
        assert_eq!(file_url("C:\\src"), "file:///C:/src");
    }

    #[test]
    fn source_location_prefers_the_remote_and_names_the_crate_folder() {
        let sha = "85d3b4ee9368fb736297f20f75f76b41958c233f";
        let mut session = Session::default();
        let mut context = json!({
            "git_sha": sha,
            "git": {"sha": sha, "branch": "main", "repo_root": "/home/ana/ith",
                    "remote_url": "git@github.com:ana/ith.git"},
            "crate": {"manifest_dir": "/home/ana/ith/crates/train"},
        });
        session.context = Some(Context::read(&context));
        assert_eq!(
            source_location(&session),
            Some(
                json!({"type": "git", "url": "ssh://git@github.com/ana/ith.git",
                        "repoUrl": "git@github.com:ana/ith.git", "version": sha,
                        "branch": "main", "path": "crates/train"})
            )
        );
        // No remote: the repository's folder, as a file:// URL.
        context["git"]["remote_url"] = Value::Null;
        context["crate"]["manifest_dir"] = json!("/home/ana/ith");
        session.context = Some(Context::read(&context));
        assert_eq!(
            source_location(&session),
            Some(json!({"type": "git", "url": "file:///home/ana/ith",
                        "repoUrl": "file:///home/ana/ith", "version": sha, "branch": "main"}))
        );
        // No commit: no facet.
        session.context = Some(Context::read(
            &json!({"git_sha": null, "git": {"repo_root": "/x"}}),
        ));
        assert_eq!(source_location(&session), None);
    }

    #[test]
    fn remotes_become_uris() {
        assert_eq!(
            remote_uri("https://github.com/a/b.git"),
            "https://github.com/a/b.git"
        );
        assert_eq!(
            remote_uri("git@github.com:a/b.git"),
            "ssh://git@github.com/a/b.git"
        );
        assert_eq!(remote_uri("/srv/git/b.git"), "file:///srv/git/b.git");
    }

    #[test]
    fn run_ids_are_stable_and_distinct() {
        let a = run_uuid("sess_1", "main");
        assert_eq!(a, run_uuid("sess_1", "main"));
        assert_ne!(a, run_uuid("sess_2", "main"));
        assert_ne!(a, run_uuid("sess_1", "main/worker@0#1"));
        assert_eq!(a.get_version_num(), 5);
    }
}

#[cfg(test)]
mod schema_files {
    use super::FACET_SCHEMA_BASE;

    /// Our facets' schema files name themselves where `_schemaURL` says
    /// they are (a version bump must move both).
    #[test]
    fn our_facet_schemas_live_at_the_url_the_events_name() {
        for (name, text) in [
            (
                "ProvenanceRunFacet",
                include_str!("../../../../openlineage/ProvenanceRunFacet.json"),
            ),
            (
                "ProvenanceFingerprintDatasetFacet",
                include_str!("../../../../openlineage/ProvenanceFingerprintDatasetFacet.json"),
            ),
        ] {
            let schema: serde_json::Value = serde_json::from_str(text).expect("JSON");
            assert_eq!(schema["$id"], format!("{FACET_SCHEMA_BASE}{name}.json"));
            assert!(schema["$defs"][name].is_object(), "{name} is defined");
        }
    }
}
