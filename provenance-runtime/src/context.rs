//! The provenance of one run: who ran what, when, from which commit, with
//! which seeds, configuration and inputs.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Serialize};

#[cfg(doc)]
use crate::SecretNames;
use crate::build_info::{BuildInfo, CompiledWith};
use crate::{
    ArrayData, ArrayFingerprint, Error, FileFingerprint, Fingerprint, GitInfo, Result, RootSeed,
    Sha256Hash, config_hash, fingerprint_array, fingerprint_file, git_info,
};

/// The experiment crate's identity, captured at compile time by
/// [`crate_info!`](crate::crate_info) in the experiment's own crate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrateInfo {
    /// `CARGO_PKG_NAME` of the experiment crate.
    pub name: String,
    /// `CARGO_PKG_VERSION` of the experiment crate.
    pub version: String,
    /// `CARGO_MANIFEST_DIR` at build time: where the experiment's source
    /// was, and where the git repository is looked for first.
    pub manifest_dir: Option<PathBuf>,
    /// What `crate_info!()` captured of the crate's own compilation (its
    /// `Cargo.lock`, `debug_assertions`); moved into the context's `build`.
    #[serde(skip)]
    pub(crate) compiled: Option<CompiledWith>,
}

impl CrateInfo {
    /// Builds the record; [`crate_info!`](crate::crate_info) calls this with
    /// the calling crate's Cargo variables.
    pub fn new(name: &str, version: &str, manifest_dir: &str) -> Self {
        CrateInfo {
            name: name.to_string(),
            version: version.to_string(),
            manifest_dir: (!manifest_dir.is_empty()).then(|| PathBuf::from(manifest_dir)),
            compiled: None,
        }
    }

    /// Adds what only the crate's own compilation knows; `crate_info!()`
    /// calls this through `__private::compiled_with`.
    pub(crate) fn compiled_with(mut self, compiled: CompiledWith) -> Self {
        self.compiled = Some(compiled);
        self
    }
}

/// The machine a run happened on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostInfo {
    /// The host name, as the OS reports it (lossily made UTF-8).
    pub hostname: String,
    /// `linux`, `macos`, `windows`, … (`std::env::consts::OS`).
    pub os: String,
    /// `x86_64`, `aarch64`, … (`std::env::consts::ARCH`).
    pub arch: String,
    /// The CPU's model name (Linux's `/proc/cpuinfo`); `None` elsewhere.
    #[serde(default)]
    pub cpu_model: Option<String>,
    /// The numerics-relevant features the CPU offers, detected at run time
    /// (`avx2`, `fma`, `avx512f`, `neon`, …), sorted: libraries pick code
    /// paths by them.
    #[serde(default)]
    pub cpu_features: Vec<String>,
    /// `std::thread::available_parallelism()`: the thread count rayon and
    /// tokio default to.
    #[serde(default)]
    pub available_parallelism: Option<usize>,
}

impl HostInfo {
    /// The current machine.
    pub fn current() -> Self {
        HostInfo {
            hostname: gethostname::gethostname().to_string_lossy().into_owned(),
            os: std::env::consts::OS.to_string(),
            arch: std::env::consts::ARCH.to_string(),
            cpu_model: crate::machine::cpu().0.clone(),
            cpu_features: crate::machine::cpu().1.clone(),
            available_parallelism: std::thread::available_parallelism().ok().map(|n| n.get()),
        }
    }
}

/// The version of the rustc that built this program, e.g.
/// `rustc 1.95.0 (59807616e 2026-04-14)`.
pub const RUSTC_VERSION: &str = env!("PROVENANCE_RUSTC_VERSION");

/// Everything needed to answer "what exactly produced this number?".
///
/// The seven fields of the original Python `ProvenanceContext` keep their
/// names (`session_id`, `experiment_id`, `input_hashes`, `random_seeds`,
/// `git_sha`, `config_hash`, `start_time`); the rest is what reproducing a
/// run needs and the original lacked. The JSON form is specified in
/// `docs/CONTEXT.md`.
///
/// ```
/// use ith_provenance::{crate_info, ProvenanceContext, seed::SeedSource};
///
/// let mut ctx = ProvenanceContext::builder(crate_info!())
///     .experiment_id("exp001")
///     .seed(42)
///     .build()?;
///
/// let prices = vec![101.5_f64, 102.0, 99.75];
/// let fp = ctx.fingerprint_array("prices", &prices);
/// assert_eq!(ctx.input_hashes["prices"], fp.sha256);
///
/// ctx.set_config_hash(&serde_json::json!({"hurdle": 0.05, "window": 20}))?;
/// let _rng = ctx.rng("bootstrap"); // seed derived from 42 and "bootstrap", recorded
/// assert_eq!(ctx.random_seeds["bootstrap"], ctx.root_seed.derive("bootstrap"));
/// assert_eq!(ctx.root_seed.source, SeedSource::Explicit);
///
/// let json = serde_json::to_value(&ctx)?;
/// assert_eq!(json["experiment_id"], "exp001");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProvenanceContext {
    /// Unique per run, even for runs started in the same second, and sorts
    /// by start time: `sess_YYYYmmdd_HHMMSS_ffffff_<12 hex random>`.
    pub session_id: String,
    /// The experiment this run belongs to, when given.
    pub experiment_id: Option<String>,
    /// When the run started: RFC 3339 UTC with microseconds.
    #[serde(with = "crate::time::rfc3339_micros")]
    pub start_time: DateTime<Utc>,
    /// Input name → fingerprint of the data read under that name.
    pub input_hashes: BTreeMap<String, Sha256Hash>,
    /// Component name → the seed it was given (each written as a
    /// [`Seed`](crate::Seed), `"0x"` + 16 hex digits).
    #[serde(with = "crate::seed::as_seed_map")]
    pub random_seeds: BTreeMap<String, u64>,
    /// The run's root seed and where it came from.
    pub root_seed: RootSeed,
    /// `config_hash` of the run's configuration, once set.
    pub config_hash: Option<Sha256Hash>,
    /// The full commit SHA of the experiment's source, or `null` (see
    /// `git.reason`).
    pub git_sha: Option<String>,
    /// Everything known about the source's git state: the state the
    /// binary was built from (`captured_at: "build"`, recorded by
    /// [`crate_info!`](crate::crate_info) when the experiment crate was
    /// compiled), which is what produced the results; the state when the
    /// run started if the binary carries none.
    pub git: GitInfo,
    /// The source's git state when the run started, recorded only when it
    /// differs from `git` (another commit, or other uncommitted edits): a
    /// binary not rebuilt since, or run against another checkout. `git`
    /// still names the build's source; opening the log says so on stderr.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_at_run: Option<GitInfo>,
    /// The machine.
    pub host: HostInfo,
    /// How the program was built: dependencies, profile, target features.
    #[serde(default)]
    pub build: BuildInfo,
    /// The thread-count variables that are set and the variables named by
    /// `PROVENANCE_ENV` or [`ProvenanceBuilder::record_env`] (`None` when
    /// unset); values of secret-looking names ([`SecretNames`]) as a keyed
    /// hash (`hmac-sha256:<hex>`, or `<redacted>` when there is no key),
    /// the credentials of URLs in the others redacted.
    #[serde(default)]
    pub env: BTreeMap<String, Option<String>>,
    /// The experiment crate.
    #[serde(rename = "crate")]
    pub crate_info: CrateInfo,
    /// The rustc that built the program.
    pub rustc_version: String,
    /// The program's arguments, the program itself first (lossily UTF-8),
    /// the values of secret-looking options and the credentials of URLs
    /// replaced by `<redacted>` ([`SecretNames`], `docs/CONTEXT.md`).
    pub command_line: Vec<String>,
    /// Where the program ran, so relative paths in the command line and
    /// the configuration mean what they meant (`provenance rerun` runs
    /// there again).
    #[serde(default)]
    pub working_dir: Option<WorkingDir>,
}

/// The working directory a run started in. JSON form: `docs/CONTEXT.md`,
/// `working_dir`.
///
/// ```
/// use ith_provenance::{crate_info, ProvenanceContext};
///
/// let ctx = ProvenanceContext::builder(crate_info!()).seed(1).build()?;
/// let dir = ctx.working_dir.expect("the test runs in a folder");
/// assert_eq!(dir.path, Some(std::env::current_dir()?));
/// // Doctests run in the crate's folder, inside this repository.
/// assert!(dir.in_repo.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkingDir {
    /// The absolute path.
    pub path: Option<PathBuf>,
    /// The path relative to `git.repo_root`, `/`-separated (`""` at the
    /// root); `null` outside the repository or when git names none.
    pub in_repo: Option<String>,
}

impl WorkingDir {
    /// The current directory, placed in the repository at `repo_root`.
    fn current(repo_root: Option<&Path>) -> Option<WorkingDir> {
        let path = std::env::current_dir().ok()?;
        let in_repo = repo_root.and_then(|root| {
            let relative = path
                .strip_prefix(root)
                .ok()
                .map(Path::to_path_buf)
                .or_else(|| {
                    // One side may reach the folder through a symlink (macOS's /tmp).
                    let real = path.canonicalize().ok()?;
                    let root = root.canonicalize().ok()?;
                    real.strip_prefix(root).ok().map(Path::to_path_buf)
                })?;
            let parts: Option<Vec<&str>> = relative.iter().map(|part| part.to_str()).collect();
            Some(parts?.join("/"))
        });
        Some(WorkingDir {
            path: Some(path),
            in_repo,
        })
    }
}

impl ProvenanceContext {
    /// Starts a context for the crate named by `crate_info`; pass
    /// [`crate_info!()`](crate::crate_info) so the experiment's own crate,
    /// not this library, is recorded.
    pub fn builder(crate_info: CrateInfo) -> ProvenanceBuilder {
        ProvenanceBuilder {
            crate_info,
            experiment_id: None,
            seed: None,
            env_seed: None,
            start_time: None,
            session_id: None,
            git: None,
            store_patch: true,
            command_line: None,
            env_names: Vec::new(),
            redact_names: Vec::new(),
        }
    }

    /// Records the fingerprint of an input under `name` (replacing any
    /// earlier one of that name).
    pub fn add_input_hash(&mut self, name: impl Into<String>, hash: Sha256Hash) {
        self.input_hashes.insert(name.into(), hash);
    }

    /// Records a seed chosen outside this context for `component`.
    pub fn add_random_seed(&mut self, component: impl Into<String>, seed: u64) {
        self.random_seeds.insert(component.into(), seed);
    }

    /// Hashes `config` ([`config_hash`]), records and returns the hash.
    ///
    /// # Errors
    /// [`Error::Config`] naming the field JSON cannot hold (a NaN, a map
    /// with non-string keys).
    pub fn set_config_hash<T: Serialize + ?Sized>(&mut self, config: &T) -> Result<Sha256Hash> {
        let hash = config_hash(config)?;
        self.config_hash = Some(hash);
        Ok(hash)
    }

    /// Fingerprints an array ([`fingerprint_array`]) and records its hash in
    /// `input_hashes` under `name`.
    pub fn fingerprint_array<A: ArrayData + ?Sized>(
        &mut self,
        name: impl Into<String>,
        data: &A,
    ) -> ArrayFingerprint {
        let fp = fingerprint_array(data);
        self.add_input_hash(name, fp.sha256);
        fp
    }

    /// Fingerprints a file ([`fingerprint_file`]) and records its hash in
    /// `input_hashes` under `name`.
    ///
    /// # Errors
    /// [`Error::Io`] naming the path when it cannot be read.
    pub fn fingerprint_file(
        &mut self,
        name: impl Into<String>,
        path: impl AsRef<Path>,
    ) -> Result<FileFingerprint> {
        let fp = fingerprint_file(path)?;
        self.add_input_hash(name, fp.sha256);
        Ok(fp)
    }

    /// Fingerprints a structured value ([`Fingerprint`]) and records its
    /// hash in `input_hashes` under `name`.
    pub fn fingerprint_value<T: Fingerprint + ?Sized>(
        &mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Sha256Hash {
        let hash = value.fingerprint();
        self.add_input_hash(name, hash);
        hash
    }

    /// The seed of `component`, derived from the root seed and the name
    /// alone, and recorded in `random_seeds`.
    pub fn seed(&mut self, component: &str) -> u64 {
        let seed = self.root_seed.derive(component);
        self.add_random_seed(component, seed);
        seed
    }

    /// A ChaCha20 generator for `component`, from [`seed`](Self::seed)
    /// (recorded). Asking twice gives two generators at the same start.
    pub fn rng(&mut self, component: &str) -> ChaCha20Rng {
        crate::rng_from_seed(self.seed(component))
    }
}

/// Builds a [`ProvenanceContext`]; see [`ProvenanceContext::builder`].
#[derive(Debug)]
#[must_use = "a builder does nothing until .build() is called"]
pub struct ProvenanceBuilder {
    crate_info: CrateInfo,
    experiment_id: Option<String>,
    seed: Option<u64>,
    env_seed: Option<Option<OsString>>,
    start_time: Option<DateTime<Utc>>,
    session_id: Option<String>,
    git: Option<GitInfo>,
    store_patch: bool,
    command_line: Option<Vec<String>>,
    env_names: Vec<String>,
    redact_names: Vec<String>,
}

impl ProvenanceBuilder {
    /// Groups the run under an experiment.
    pub fn experiment_id(mut self, id: impl Into<String>) -> Self {
        self.experiment_id = Some(id.into());
        self
    }

    /// Fixes the root seed in code (it wins over `PROVENANCE_SEED`).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Uses this value instead of reading `PROVENANCE_SEED` from the
    /// environment (`None`: as if unset). For tests and embedding.
    pub fn seed_env_value(mut self, value: Option<OsString>) -> Self {
        self.env_seed = Some(value);
        self
    }

    /// Sets the start time instead of reading the clock (tests, replays).
    pub fn start_time(mut self, time: DateTime<Utc>) -> Self {
        self.start_time = Some(time);
        self
    }

    /// Sets the session id instead of generating one.
    pub fn session_id(mut self, id: impl Into<String>) -> Self {
        self.session_id = Some(id.into());
        self
    }

    /// Uses this git record instead of capturing one (tests, or a record
    /// the caller captured already).
    pub fn git(mut self, git: GitInfo) -> Self {
        self.git = Some(git);
        self
    }

    /// Whether to store the patch of the uncommitted changes of a dirty
    /// build beside the log (default `true`, unless `PROVENANCE_PATCH=off`).
    /// The patch holds source code and travels with the log when it is
    /// shared; with `false`, the record keeps only `diff_hash` and the
    /// patch's `reason` says it was turned off (`docs/GIT.md`, *The patch*).
    ///
    /// ```
    /// use ith_provenance::{crate_info, ProvenanceContext};
    ///
    /// let ctx = ProvenanceContext::builder(crate_info!())
    ///     .store_patch(false)
    ///     .seed(1)
    ///     .build()?;
    /// if let Some(patch) = &ctx.git.patch {
    ///     assert_eq!(patch.file, None, "a dirty build's patch is not stored");
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn store_patch(mut self, store: bool) -> Self {
        self.store_patch = store;
        self
    }

    /// Records these arguments instead of the process's own (their secrets
    /// redacted all the same).
    pub fn command_line(mut self, args: Vec<String>) -> Self {
        self.command_line = Some(args);
        self
    }

    /// Records these environment variables too (beside the thread-count
    /// ones and those `PROVENANCE_ENV` names): their values, `None` when
    /// unset, a keyed hash for names that look like secrets.
    ///
    /// ```
    /// use ith_provenance::{crate_info, ProvenanceContext};
    ///
    /// let ctx = ProvenanceContext::builder(crate_info!())
    ///     .record_env(["DATASET_ROOT", "HF_TOKEN"])
    ///     .seed(1)
    ///     .build()?;
    /// assert!(ctx.env.contains_key("DATASET_ROOT"));
    /// if let Some(Some(token)) = &ctx.env.get("HF_TOKEN") {
    ///     assert!(
    ///         token.starts_with("hmac-sha256:") || token == "<redacted>",
    ///         "never in clear"
    ///     );
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_env<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.env_names.extend(names.into_iter().map(Into::into));
        self
    }

    /// Treats values named with any of `names` as secrets too, beside
    /// [`SECRET_NAME_PARTS`](crate::SECRET_NAME_PARTS) and the names in
    /// `PROVENANCE_REDACT`: options of the command line, recorded
    /// variables and URL parameters whose name contains one (any case),
    /// and a short option `-p` when `"p"` is given.
    ///
    /// ```
    /// use ith_provenance::{crate_info, ProvenanceContext};
    ///
    /// let ctx = ProvenanceContext::builder(crate_info!())
    ///     .redact_names(["sig"])
    ///     .command_line(vec!["prog".into(), "--sig=abc".into(), "--api-key".into(), "k".into()])
    ///     .seed(1)
    ///     .build()?;
    /// assert_eq!(ctx.command_line, ["prog", "--sig=<redacted>", "--api-key", "<redacted>"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn redact_names<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.redact_names.extend(names.into_iter().map(Into::into));
        self
    }

    /// Resolves the seed, reads the clock, captures git (once per process)
    /// and the host, and returns the context.
    ///
    /// # Errors
    /// [`Error::InvalidSeed`] when `PROVENANCE_SEED` is malformed,
    /// [`Error::Entropy`] when no seed is given and the OS has no entropy.
    pub fn build(mut self) -> Result<ProvenanceContext> {
        let compiled = self.crate_info.compiled.take();
        let root_seed = match self.env_seed {
            Some(env) => RootSeed::resolve_with(self.seed, env.as_deref())?,
            None => RootSeed::resolve(self.seed)?,
        };
        let start_time = self.start_time.unwrap_or_else(Utc::now);
        let session_id = match self.session_id {
            Some(id) => id,
            None => new_session_id(&start_time)?,
        };
        let (git, git_at_run) = match self.git {
            Some(git) => (git, None),
            None => {
                let built = compiled.as_ref().map(|compiled| &compiled.git);
                let (mut git, at_run) = crate::git::reconcile(
                    built,
                    GitInfo::clone(&git_info(self.crate_info.manifest_dir.as_deref())),
                );
                if git.captured_at == Some(crate::git::CapturedAt::Build) && git.dirty == Some(true)
                {
                    let allowed = crate::git::patch::allowed(self.store_patch);
                    git.patch = built
                        .and_then(|built| built.patch)
                        .map(|patch| patch.record(allowed));
                }
                (git, at_run)
            }
        };
        let secrets = crate::secret::secret_names(&self.redact_names);
        let command_line = self.command_line.unwrap_or_else(|| {
            std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect()
        });
        // Once, here: the line writer never sees a secret to skip.
        let command_line = crate::secret::redact_command_line(command_line, &secrets);
        let working_dir = WorkingDir::current(git.repo_root.as_deref());
        Ok(ProvenanceContext {
            session_id,
            experiment_id: self.experiment_id,
            start_time,
            input_hashes: BTreeMap::new(),
            random_seeds: BTreeMap::new(),
            root_seed,
            config_hash: None,
            git_sha: git.sha.clone(),
            git,
            git_at_run,
            host: HostInfo::current(),
            build: BuildInfo::capture(compiled),
            env: crate::machine::recorded_env(&self.env_names, &secrets),
            crate_info: self.crate_info,
            rustc_version: RUSTC_VERSION.to_string(),
            command_line,
            working_dir,
        })
    }
}

/// `sess_YYYYmmdd_HHMMSS_ffffff_<12 hex>`: the original's form, plus
/// microseconds and 48 random bits so runs started together never collide,
/// while ids still sort by start time.
fn new_session_id(start: &DateTime<Utc>) -> Result<String> {
    let random = crate::seed::entropy_u64().map_err(|e| match e {
        Error::Entropy(msg) => Error::Entropy(format!("{msg} (while drawing a session id)")),
        other => other,
    })?;
    Ok(format!(
        "sess_{}_{:012x}",
        start.format("%Y%m%d_%H%M%S_%6f"),
        random & 0xffff_ffff_ffff
    ))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn fixed_git() -> GitInfo {
        GitInfo {
            sha: Some("0123456789abcdef0123456789abcdef01234567".into()),
            short_sha: Some("0123456".into()),
            dirty: Some(false),
            branch: Some("main".into()),
            diff_hash: None,
            dirty_paths: Vec::new(),
            dirty_path_count: Some(0),
            captured_at: Some(crate::git::CapturedAt::Build),
            repo_root: None,
            remote_url: None,
            searched_from: None,
            found_via: None,
            reason: None,
            patch: None,
        }
    }

    fn builder() -> ProvenanceBuilder {
        ProvenanceContext::builder(crate::crate_info!())
            .git(fixed_git())
            .seed_env_value(None)
    }

    #[test]
    fn session_ids_are_unique_and_sort_by_time() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 25, 12, 0, 0).unwrap();
        let t1 = t0 + chrono::Duration::microseconds(1);
        let a = new_session_id(&t0).unwrap();
        let b = new_session_id(&t0).unwrap();
        let c = new_session_id(&t1).unwrap();
        assert!(a.starts_with("sess_20260125_120000_000000_"), "{a}");
        assert_eq!(a.len(), "sess_20260125_120000_000000_".len() + 12);
        assert_ne!(a, b, "same-microsecond runs collided");
        assert!(a < c && b < c, "{a} {b} {c}");
    }

    #[test]
    fn serializes_to_the_documented_json_and_back() {
        let t = Utc.with_ymd_and_hms(2026, 11, 25, 10, 46, 11).unwrap()
            + chrono::Duration::microseconds(123_456);
        let mut ctx = builder()
            .experiment_id("exp001")
            .seed(42)
            .start_time(t)
            .session_id("sess_x")
            .command_line(vec!["prog".into(), "--fast".into()])
            .build()
            .unwrap();
        ctx.fingerprint_array("prices", &[1.0_f64, 2.0]);
        let params = ctx.fingerprint_value("params", &("window", 20_u32));
        assert_eq!(params, ("window", 20_u32).fingerprint());
        ctx.seed("bootstrap");
        ctx.set_config_hash(&serde_json::json!({"b": 1, "a": [true]}))
            .unwrap();
        let json = serde_json::to_value(&ctx).unwrap();
        assert_eq!(json["start_time"], "2026-11-25T10:46:11.123456Z");
        assert_eq!(
            json["root_seed"],
            serde_json::json!({"seed": "0x000000000000002a", "source": "explicit"})
        );
        assert_eq!(
            json["random_seeds"]["bootstrap"],
            crate::Seed(derive_expected(42, "bootstrap")).to_string()
        );
        assert_eq!(json["git_sha"], "0123456789abcdef0123456789abcdef01234567");
        assert_eq!(json["crate"]["name"], "ith-provenance-runtime");
        assert_eq!(json["command_line"], serde_json::json!(["prog", "--fast"]));
        assert_eq!(
            json["config_hash"],
            Sha256Hash::of(br#"{"a":[true],"b":1}"#)
                .to_string()
                .as_str()
        );
        assert!(
            json["input_hashes"]["prices"]
                .as_str()
                .unwrap()
                .starts_with("sha256:")
        );
        assert!(
            json["rustc_version"]
                .as_str()
                .unwrap()
                .starts_with("rustc ")
        );
        let back: ProvenanceContext = serde_json::from_value(json).unwrap();
        assert_eq!(back, ctx);
    }

    fn derive_expected(root: u64, name: &str) -> u64 {
        crate::derive_seed(root, name)
    }

    #[test]
    fn seed_precedence_reaches_the_record() {
        let env = Some(OsString::from("7"));
        let ctx = builder().seed_env_value(env.clone()).build().unwrap();
        assert_eq!(
            (ctx.root_seed.seed, ctx.root_seed.source),
            (7, crate::SeedSource::Environment)
        );
        let ctx = builder().seed_env_value(env).seed(9).build().unwrap();
        assert_eq!(ctx.root_seed, RootSeed::explicit(9));
        let err = builder()
            .seed_env_value(Some("x7".into()))
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::InvalidSeed { .. }), "{err}");
    }

    #[test]
    fn records_the_host_and_a_failed_file_names_its_path() {
        let mut ctx = builder().seed(1).build().unwrap();
        assert_eq!(ctx.host.os, std::env::consts::OS);
        assert!(!ctx.host.hostname.is_empty());
        let err = ctx
            .fingerprint_file("data", "/definitely/not/here.csv")
            .unwrap_err();
        assert!(
            err.to_string().contains("/definitely/not/here.csv"),
            "{err}"
        );
        assert!(ctx.input_hashes.is_empty());
    }
}
