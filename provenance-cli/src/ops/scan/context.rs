//! A session's context as the verbs read it: the `context` of its
//! `session.start` line (docs/CONTEXT.md), read once, when the scan meets
//! the line, into types the verbs print and compare.
//!
//! The reading is lenient, because a log is evidence, not input to refuse:
//! a field an older writer did not write, or wrote with another type, reads
//! as absent (`validate` names the wrong type; the other verbs go on), and
//! contract version 1's integer seeds are kept as written for
//! [`crate::seed`] to read. The context as recorded is kept whole beside
//! the typed fields, so `summary --json` prints every field, unknown ones
//! included, exactly as written.
//!
//! Not the runtime's `ProvenanceContext`: that type is the writer's
//! contract for the current version, strict by design (a missing `host` or
//! a version-1 seed fails the whole value), while this reader must take
//! every version and any writer's partial context.

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

/// The typed view of one session's context.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Context {
    /// `git_sha`: the commit the results came from (`null` when none).
    #[serde(deserialize_with = "lenient")]
    pub git_sha: Option<String>,
    /// `git`: the source the binary was built from.
    #[serde(deserialize_with = "lenient")]
    pub git: Option<GitRecord>,
    /// `git_at_run`: the tree when the run started, written only when it
    /// differs from the build's.
    #[serde(deserialize_with = "lenient")]
    pub git_at_run: Option<GitRecord>,
    /// `config_hash`.
    #[serde(deserialize_with = "lenient")]
    pub config_hash: Option<String>,
    /// `root_seed`.
    #[serde(deserialize_with = "lenient")]
    pub root_seed: Option<RootSeed>,
    /// `random_seeds`: each seed as written (an integer in version 1).
    #[serde(deserialize_with = "lenient")]
    pub random_seeds: Option<Map<String, Value>>,
    /// `input_hashes`: input name to `sha256:…`; other values are skipped.
    #[serde(deserialize_with = "strings")]
    pub input_hashes: Vec<(String, String)>,
    /// `crate`: the experiment crate.
    #[serde(rename = "crate", deserialize_with = "lenient")]
    pub krate: Option<CrateRecord>,
    /// `rustc_version`.
    #[serde(deserialize_with = "lenient")]
    pub rustc_version: Option<String>,
    /// `host`: the machine.
    #[serde(deserialize_with = "lenient")]
    pub host: Option<Host>,
    /// `build`: profile, target and dependencies (writers since the build
    /// record).
    #[serde(deserialize_with = "lenient")]
    pub build: Option<Build>,
    /// `env`: the recorded variables, `None` for one recorded as unset;
    /// `None` altogether when the context has no `env`.
    #[serde(deserialize_with = "lenient_env")]
    pub env: Option<Variables>,
    /// `command_line`: the words of the command, the strings among them.
    #[serde(deserialize_with = "lenient")]
    pub command_line: Option<Vec<Value>>,
    /// `working_dir`: where the program ran.
    #[serde(deserialize_with = "lenient")]
    pub working_dir: Option<WorkingDir>,
    /// The context as recorded, for output that shows it whole.
    #[serde(skip)]
    recorded: Value,
}

/// Recorded variables, by name: `None` for one recorded as unset.
pub type Variables = Vec<(String, Option<String>)>;

/// A `git` or `git_at_run` record (docs/GIT.md).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct GitRecord {
    /// `sha`.
    #[serde(deserialize_with = "lenient")]
    pub sha: Option<String>,
    /// `short_sha`.
    #[serde(deserialize_with = "lenient")]
    pub short_sha: Option<String>,
    /// `dirty`.
    #[serde(deserialize_with = "lenient")]
    pub dirty: Option<bool>,
    /// `branch`.
    #[serde(deserialize_with = "lenient")]
    pub branch: Option<String>,
    /// `diff_hash`.
    #[serde(deserialize_with = "lenient")]
    pub diff_hash: Option<String>,
    /// `dirty_paths`: the listed paths, in the record's order; entries
    /// without a string `path` and `status` are skipped.
    #[serde(deserialize_with = "dirty_paths")]
    pub dirty_paths: Vec<DirtyPath>,
    /// `dirty_path_count`: how many paths are dirty, listed or not.
    #[serde(deserialize_with = "lenient")]
    pub dirty_path_count: Option<u64>,
    /// `reason`: why no commit could be named.
    #[serde(deserialize_with = "lenient")]
    pub reason: Option<String>,
    /// `repo_root`.
    #[serde(deserialize_with = "lenient")]
    pub repo_root: Option<String>,
    /// `remote_url` (credentials already stripped by the writer).
    #[serde(deserialize_with = "lenient")]
    pub remote_url: Option<String>,
    /// `patch`: where the uncommitted changes were stored (a dirty build
    /// since `provenance rerun`; `None` before).
    #[serde(deserialize_with = "lenient")]
    pub patch: Option<PatchRecord>,
}

/// `git.patch`: the stored uncommitted changes (docs/GIT.md, *The patch*).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PatchRecord {
    /// `file`: the patch, relative to the log's folder (`None`: not stored).
    #[serde(deserialize_with = "lenient")]
    pub file: Option<String>,
    /// `bytes`: its size.
    #[serde(deserialize_with = "lenient")]
    pub bytes: Option<u64>,
    /// `sha256`: the hash of the patch file's bytes (`sha256:<hex>`).
    #[serde(deserialize_with = "lenient")]
    pub sha256: Option<String>,
    /// `redacted`: the paths whose secrets were replaced by `<redacted>`
    /// (the patch then cannot give back the build's `diff_hash`).
    #[serde(deserialize_with = "redacted")]
    pub redacted: Vec<String>,
    /// `reason`: why it was not stored.
    #[serde(deserialize_with = "lenient")]
    pub reason: Option<String>,
}

/// One of a git record's `dirty_paths`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct DirtyPath {
    /// The path, relative to the repository's root.
    pub path: String,
    /// `modified`, `added`, `deleted`, `untracked` or `conflicted`.
    pub status: String,
}

/// `root_seed`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RootSeed {
    /// `seed`, as written: `"0x…"` (version 2) or an integer (version 1).
    pub seed: Value,
    /// `source`: `explicit`, `environment` or `entropy`.
    #[serde(deserialize_with = "lenient")]
    pub source: Option<String>,
}

/// `crate`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CrateRecord {
    /// `name`.
    #[serde(deserialize_with = "lenient")]
    pub name: Option<String>,
    /// `version`.
    #[serde(deserialize_with = "lenient")]
    pub version: Option<String>,
    /// `manifest_dir`.
    #[serde(deserialize_with = "lenient")]
    pub manifest_dir: Option<String>,
}

/// `host`. The CPU fields tell "not recorded" (`None`: an older writer)
/// from "recorded as unknown" (`Some(None)`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Host {
    /// `hostname`.
    #[serde(deserialize_with = "lenient")]
    pub hostname: Option<String>,
    /// `os`.
    #[serde(deserialize_with = "lenient")]
    pub os: Option<String>,
    /// `arch`.
    #[serde(deserialize_with = "lenient")]
    pub arch: Option<String>,
    /// `cpu_model`.
    #[serde(deserialize_with = "nullable")]
    pub cpu_model: Option<Option<String>>,
    /// `cpu_features`.
    #[serde(deserialize_with = "nullable")]
    pub cpu_features: Option<Option<Vec<String>>>,
    /// `available_parallelism`.
    #[serde(deserialize_with = "nullable")]
    pub available_parallelism: Option<Option<u64>>,
}

/// `build`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Build {
    /// `profile`.
    #[serde(deserialize_with = "lenient")]
    pub profile: Option<String>,
    /// `opt_level`.
    #[serde(deserialize_with = "lenient")]
    pub opt_level: Option<String>,
    /// `debug_assertions`.
    #[serde(deserialize_with = "lenient")]
    pub debug_assertions: Option<bool>,
    /// `target`.
    #[serde(deserialize_with = "lenient")]
    pub target: Option<String>,
    /// `target_features`.
    #[serde(deserialize_with = "lenient")]
    pub target_features: Option<Vec<String>>,
    /// `panic`.
    #[serde(deserialize_with = "lenient")]
    pub panic: Option<String>,
    /// `cargo_lock.sha256`.
    #[serde(deserialize_with = "lock_hash", rename = "cargo_lock")]
    pub cargo_lock_sha256: Option<String>,
    /// `dependencies`; entries without a string `name` are skipped.
    #[serde(deserialize_with = "dependencies")]
    pub dependencies: Vec<Dependency>,
    /// `cargo`: the package, target, features and profile cargo built.
    #[serde(deserialize_with = "lenient")]
    pub cargo: Option<CargoTarget>,
    /// `toolchain`: `rustc -vV` of the compiler.
    #[serde(deserialize_with = "lenient")]
    pub toolchain: Option<Toolchain>,
}

/// `build.cargo`: what `cargo build` built (docs/CONTEXT.md, *The build*).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CargoTarget {
    /// `package`.
    #[serde(deserialize_with = "lenient")]
    pub package: Option<String>,
    /// `target_kind`: `bin`, `example`, `test`, `bench` or `lib`.
    #[serde(deserialize_with = "lenient")]
    pub target_kind: Option<String>,
    /// `target_name`: what `--bin`, `--example`, `--test` or `--bench` takes.
    #[serde(deserialize_with = "lenient")]
    pub target_name: Option<String>,
    /// `features`: every feature enabled (`None`: not recorded).
    #[serde(deserialize_with = "lenient")]
    pub features: Option<Vec<String>>,
    /// `profile`: the name `--profile` takes.
    #[serde(deserialize_with = "lenient")]
    pub profile: Option<String>,
    /// `reason`: why something is not known.
    #[serde(deserialize_with = "lenient")]
    pub reason: Option<String>,
}

/// `build.toolchain`: the compiler's `rustc -vV`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Toolchain {
    /// `release`: `1.95.0`.
    #[serde(deserialize_with = "lenient")]
    pub release: Option<String>,
    /// `commit_hash`.
    #[serde(deserialize_with = "lenient")]
    pub commit_hash: Option<String>,
    /// `host`.
    #[serde(deserialize_with = "lenient")]
    pub host: Option<String>,
}

/// `working_dir`: where the program ran.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct WorkingDir {
    /// `path`: absolute.
    #[serde(deserialize_with = "lenient")]
    pub path: Option<String>,
    /// `in_repo`: relative to the build's `git.repo_root` (`""` its root;
    /// `None` outside it).
    #[serde(deserialize_with = "lenient")]
    pub in_repo: Option<String>,
}

/// One of `build.dependencies`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Dependency {
    /// `name`.
    pub name: String,
    /// `version`.
    #[serde(default, deserialize_with = "lenient")]
    pub version: Option<String>,
    /// `source`: `None` for a path dependency.
    #[serde(default, deserialize_with = "lenient")]
    pub source: Option<String>,
}

impl Context {
    /// Reads the typed view of `recorded`, a `context` object; never fails.
    pub fn read(recorded: &Value) -> Context {
        let mut context = Context::deserialize(recorded).unwrap_or_default();
        context.recorded = recorded.clone();
        context
    }

    /// The commit: `git_sha`, else `git.sha` (writers that left out the
    /// top-level field).
    pub fn sha(&self) -> Option<&str> {
        self.git_sha
            .as_deref()
            .or_else(|| self.git.as_ref()?.sha.as_deref())
    }

    /// The context as recorded.
    pub fn recorded(&self) -> &Value {
        &self.recorded
    }
}

impl Serialize for Context {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.recorded.serialize(serializer)
    }
}

/// A field of another type than the contract's reads as absent.
fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    Ok(serde_json::from_value(Value::deserialize(d)?).ok())
}

/// A present field: `Some(None)` when `null` or of another type.
fn nullable<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Ok(Some(serde_json::from_value(Value::deserialize(d)?).ok()))
}

/// An object's string members, in order; the others skipped.
fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(map) => map
            .into_iter()
            .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
            .collect(),
        _ => Vec::new(),
    })
}

/// `env`: each variable's value, `None` unless a string.
fn lenient_env<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Variables>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(map) => Some(
            map.into_iter()
                .map(|(k, v)| (k, v.as_str().map(String::from)))
                .collect(),
        ),
        _ => None,
    })
}

/// The elements of an array that read as `T`, the others skipped.
fn elements<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect(),
        _ => Vec::new(),
    })
}

fn dirty_paths<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<DirtyPath>, D::Error> {
    elements(d)
}

fn redacted<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    elements(d)
}

fn dependencies<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Dependency>, D::Error> {
    elements(d)
}

fn lock_hash<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let lock = Value::deserialize(d)?;
    Ok(lock["sha256"].as_str().map(String::from))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_version_2_context_reads_typed_and_serializes_as_recorded() {
        let recorded = json!({
            "session_id": "s", "git_sha": "abc", "unknown_field": [1, 2],
            "git": {"sha": "abc", "short_sha": "abc", "dirty": true, "branch": "main",
                    "diff_hash": "sha256:00", "dirty_path_count": 2,
                    "dirty_paths": [{"path": "a.rs", "status": "modified"}, {"path": 3}]},
            "root_seed": {"seed": "0x000000000000002a", "source": "explicit"},
            "host": {"hostname": "h", "os": "linux", "arch": "x86_64", "cpu_model": null,
                     "cpu_features": ["avx2"]},
            "build": {"profile": "release", "cargo_lock": {"sha256": "sha256:11"},
                      "dependencies": [{"name": "serde", "version": "1.0.0", "source": "r"}, {}]},
            "env": {"A": "1", "B": null},
            "crate": {"name": "x", "version": "0.1.0"}
        });
        let c = Context::read(&recorded);
        assert_eq!(c.sha(), Some("abc"));
        let git = c.git.as_ref().unwrap();
        assert_eq!(git.dirty, Some(true));
        assert_eq!(
            git.dirty_paths,
            vec![DirtyPath {
                path: "a.rs".into(),
                status: "modified".into()
            }]
        );
        let host = c.host.as_ref().unwrap();
        assert_eq!(host.cpu_model, Some(None), "recorded as unknown");
        assert_eq!(host.available_parallelism, None, "not recorded");
        let build = c.build.as_ref().unwrap();
        assert_eq!(build.cargo_lock_sha256.as_deref(), Some("sha256:11"));
        assert_eq!(build.dependencies.len(), 1);
        assert_eq!(
            c.env,
            Some(vec![("A".into(), Some("1".into())), ("B".into(), None)])
        );
        assert_eq!(c.krate.as_ref().unwrap().name.as_deref(), Some("x"));
        assert_eq!(serde_json::to_value(&c).unwrap(), recorded);
    }

    #[test]
    fn version_1_and_wrong_types_read_as_absent_never_fail() {
        let c = Context::read(&json!({
            "root_seed": {"seed": 42, "source": "explicit"},
            "git": {"sha": null}, "git_sha": 7, "host": "nope", "random_seeds": {"a": 1}
        }));
        assert_eq!(c.root_seed.as_ref().unwrap().seed, json!(42));
        assert_eq!(c.sha(), None);
        assert!(c.host.is_none());
        assert_eq!(c.random_seeds.unwrap()["a"], json!(1));
        let c = Context::read(&json!("not an object"));
        assert!(c.git.is_none() && c.build.is_none());
    }
}
