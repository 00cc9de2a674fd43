//! How the experiment program was built: its resolved dependencies, profile,
//! target and the target features that change floating-point results.
//!
//! The dependencies come from the experiment crate's `Cargo.lock`, read
//! when that crate is compiled (`crate_info!()`); cargo rebuilds the crate
//! when the lock changes. The rest is fixed when this crate is compiled, as
//! part of the same build: the target and profile from Cargo's build-script
//! variables, the target features and panic strategy from `cfg`.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::Sha256Hash;

/// The build of the running program. JSON form: `docs/CONTEXT.md`, `build`.
///
/// ```
/// use ith_provenance::{crate_info, ProvenanceContext};
///
/// let ctx = ProvenanceContext::builder(crate_info!()).seed(1).build()?;
/// assert_eq!(ctx.build.debug_assertions, Some(cfg!(debug_assertions)));
/// assert_eq!(ctx.build.target_features.contains(&"fma".to_string()), cfg!(target_feature = "fma"));
/// // This doctest's crate is the `provenance` package, whose lock lists its dependencies.
/// assert!(ctx.build.dependencies.iter().any(|d| d.name == "sha2"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BuildInfo {
    /// Cargo's profile kind: `debug` (the `dev` and `test` profiles and
    /// those inheriting from them) or `release` (`release`, `bench`, …).
    pub profile: Option<String>,
    /// The optimization level: `0` to `3`, `s` or `z`.
    pub opt_level: Option<String>,
    /// Whether `debug_assertions` was on for the experiment crate.
    pub debug_assertions: Option<bool>,
    /// The target triple, e.g. `x86_64-unknown-linux-gnu`.
    pub target: Option<String>,
    /// The numerics-relevant target features enabled at compile time
    /// (`-C target-feature`, `-C target-cpu`), sorted: `sse2`, `avx2`,
    /// `fma`, `neon`, ….
    pub target_features: Vec<String>,
    /// The panic strategy: `unwind` or `abort`.
    pub panic: Option<String>,
    /// The lock file the dependencies were read from.
    pub cargo_lock: CargoLockInfo,
    /// Every package the experiment crate reaches in its lock, itself left
    /// out, sorted by name and version. It is the lock's resolution, so it
    /// includes dev-dependencies and dependencies for other platforms.
    pub dependencies: Vec<Dependency>,
    /// What cargo built: the package, target, features and profile that
    /// `provenance rerun` builds again.
    pub cargo: Option<CargoBuild>,
    /// The compiler, as `rustc -vV` names it.
    pub toolchain: Option<Toolchain>,
}

/// What `cargo build` built, read from the compiler's command line as the
/// experiment crate was compiled. JSON form: `docs/CONTEXT.md`, `build.cargo`.
///
/// ```
/// use ith_provenance::{crate_info, ProvenanceContext};
///
/// let ctx = ProvenanceContext::builder(crate_info!()).seed(1).build()?;
/// let cargo = ctx.build.cargo.expect("crate_info!() records it");
/// assert_eq!(cargo.package.as_deref(), Some(env!("CARGO_PKG_NAME")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CargoBuild {
    /// The package, as `-p` takes it.
    pub package: Option<String>,
    /// `bin`, `example`, `test`, `bench`, or `lib` for a library's unit
    /// tests; `null` when it cannot be told (`reason` says why).
    pub target_kind: Option<String>,
    /// The target's name, as `--bin`, `--example`, `--test` or `--bench`
    /// takes it (`null` for `lib`).
    pub target_name: Option<String>,
    /// Every enabled feature of the package, sorted (`default` included
    /// when on); `null` when not known.
    pub features: Option<Vec<String>>,
    /// The profile's name, as `--profile` takes it: `dev`, `release` or a
    /// custom profile (read from cargo's output folder, so `test` and
    /// `bench` builds show as `dev` and `release`).
    pub profile: Option<String>,
    /// Why a field is `null`, or how it was found when not from the
    /// compiler's command line.
    pub reason: Option<String>,
}

/// The compiler that built the program, from `rustc -vV`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Toolchain {
    /// The release, e.g. `1.95.0`.
    pub release: Option<String>,
    /// The compiler's commit hash (`unknown` for some distribution builds).
    pub commit_hash: Option<String>,
    /// The host triple the compiler ran on.
    pub host: Option<String>,
}

/// `build.cargo` as `crate_info!()` captured it at compile time; not public
/// API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuildCargo {
    pub package: Option<&'static str>,
    pub target_kind: Option<&'static str>,
    pub target_name: Option<&'static str>,
    pub features: Option<&'static [&'static str]>,
    pub profile: Option<&'static str>,
    pub reason: Option<&'static str>,
}

impl BuildCargo {
    /// The record; for a library's functions, the program that links the
    /// library is told by its executable's place in cargo's output folder.
    fn record(&self, exe: Option<&std::path::Path>) -> CargoBuild {
        let owned = |s: Option<&str>| s.map(str::to_string);
        let mut cargo = CargoBuild {
            package: owned(self.package),
            target_kind: owned(self.target_kind),
            target_name: owned(self.target_name),
            features: self
                .features
                .map(|f| f.iter().map(|s| s.to_string()).collect()),
            profile: owned(self.profile),
            reason: owned(self.reason),
        };
        let library = self.target_kind.is_none() && self.features.is_some();
        if let (true, Some((kind, name))) = (library, exe.and_then(program_target)) {
            cargo.target_kind = Some(kind.to_string());
            cargo.target_name = Some(name);
            cargo.reason = Some(format!(
                "{}; the program's target is told by its executable's place in cargo's output \
                 folder, and is taken to be of the same package",
                self.reason
                    .unwrap_or("the #[provenance] functions are in a library")
            ));
        }
        cargo
    }
}

/// `(kind, name)` of a cargo-built executable: `target/<profile>/<name>`
/// is a binary, `target/<profile>/examples/<name>` an example (cargo keeps
/// the target's own name, `-` included). Tests and benches live in `deps/`
/// with a hash in their name, and are not told.
fn program_target(exe: &std::path::Path) -> Option<(&'static str, String)> {
    let name = exe.file_stem()?.to_str()?.to_string();
    let folder = exe.parent()?.file_name()?.to_str()?;
    match folder {
        "examples" => Some(("example", name)),
        "deps" | "build" => None,
        _ => Some(("bin", name)),
    }
}

/// Where the dependencies were read from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CargoLockInfo {
    /// The lock file, when one was found.
    pub path: Option<PathBuf>,
    /// SHA-256 of the lock file's bytes (as `sha256sum`).
    pub sha256: Option<Sha256Hash>,
    /// Why there is no lock (`path` and `sha256` are then `null`).
    pub reason: Option<String>,
}

/// One resolved package.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Dependency {
    /// The package name, e.g. `ndarray`.
    pub name: String,
    /// Its locked version, e.g. `0.17.2`.
    pub version: String,
    /// Where it comes from (`registry+https://…`, `git+https://…#<sha>`);
    /// `null` for a path dependency.
    pub source: Option<String>,
}

/// A lock as `crate_info!()` captured it at compile time; not public API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CargoLock {
    path: Option<&'static str>,
    sha256: Option<&'static str>,
    dependencies: &'static [(&'static str, &'static str, Option<&'static str>)],
    reason: Option<&'static str>,
}

impl CargoLock {
    /// The lock at `path`, with the crate's resolved packages.
    pub const fn found(
        path: &'static str,
        sha256: &'static str,
        dependencies: &'static [(&'static str, &'static str, Option<&'static str>)],
    ) -> Self {
        CargoLock {
            path: Some(path),
            sha256: Some(sha256),
            dependencies,
            reason: None,
        }
    }

    /// No usable lock, and why.
    pub const fn missing(reason: &'static str) -> Self {
        CargoLock {
            path: None,
            sha256: None,
            dependencies: &[],
            reason: Some(reason),
        }
    }
}

/// What only the experiment crate's own compilation knows.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompiledWith {
    /// Its lock.
    pub lock: CargoLock,
    /// The git state of its source.
    pub git: crate::git::build::BuildGit,
    /// What cargo was building.
    pub cargo: BuildCargo,
    /// `cfg!(debug_assertions)` in that crate.
    pub debug_assertions: bool,
}

/// The target features recorded when enabled: those that change which
/// instructions floating-point and integer code compiles to.
macro_rules! enabled_features {
    ($($feature:literal),* $(,)?) => {
        &[$(($feature, cfg!(target_feature = $feature))),*]
    };
}

const TARGET_FEATURES: &[(&str, bool)] = enabled_features!(
    // x86 and x86_64
    "sse",
    "sse2",
    "sse3",
    "ssse3",
    "sse4.1",
    "sse4.2",
    "popcnt",
    "avx",
    "avx2",
    "fma",
    "f16c",
    "bmi1",
    "bmi2",
    "lzcnt",
    "avx512f",
    "avx512cd",
    "avx512dq",
    "avx512bw",
    "avx512vl",
    // aarch64 and arm
    "neon",
    "fp16",
    "sve",
    "sve2",
    "fp-armv8",
    "vfp4",
    // wasm, riscv, powerpc
    "simd128",
    "relaxed-simd",
    "d",
    "f",
    "v",
    "altivec",
    "vsx",
);

impl BuildInfo {
    /// The running program's build, with `compiled` from `crate_info!()`
    /// (the lock then reads "not captured" without it).
    pub(crate) fn capture(compiled: Option<CompiledWith>) -> Self {
        let lock = compiled.map(|c| c.lock).unwrap_or(CargoLock::missing(
            "not captured: the CrateInfo was not made by crate_info!() in the experiment crate",
        ));
        let mut target_features: Vec<String> = TARGET_FEATURES
            .iter()
            .filter(|(_, on)| *on)
            .map(|(name, _)| name.to_string())
            .collect();
        target_features.sort();
        BuildInfo {
            profile: Some(env!("PROVENANCE_BUILD_PROFILE").to_string()),
            opt_level: Some(env!("PROVENANCE_BUILD_OPT_LEVEL").to_string()),
            debug_assertions: compiled.map(|c| c.debug_assertions),
            target: Some(env!("PROVENANCE_BUILD_TARGET").to_string()),
            target_features,
            panic: Some(
                if cfg!(panic = "abort") {
                    "abort"
                } else {
                    "unwind"
                }
                .to_string(),
            ),
            cargo_lock: CargoLockInfo {
                path: lock.path.map(PathBuf::from),
                sha256: lock.sha256.and_then(|s| s.parse().ok()),
                reason: lock.reason.map(str::to_string),
            },
            dependencies: lock
                .dependencies
                .iter()
                .map(|&(name, version, source)| Dependency {
                    name: name.to_string(),
                    version: version.to_string(),
                    source: source.map(str::to_string),
                })
                .collect(),
            cargo: Some(match compiled {
                Some(c) => c.cargo.record(std::env::current_exe().ok().as_deref()),
                None => CargoBuild {
                    reason: Some(
                        "not captured: the CrateInfo was not made by crate_info!() in the \
                         experiment crate"
                            .into(),
                    ),
                    ..CargoBuild::default()
                },
            }),
            toolchain: Some(Toolchain {
                release: recorded(env!("PROVENANCE_RUSTC_RELEASE")),
                commit_hash: recorded(env!("PROVENANCE_RUSTC_COMMIT_HASH")),
                host: recorded(env!("PROVENANCE_RUSTC_HOST")),
            }),
        }
    }
}

/// A value the build script read, `None` when it could not (empty).
fn recorded(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_this_builds_facts() {
        let build = BuildInfo::capture(None);
        assert_eq!(
            build.profile.as_deref(),
            Some(if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            })
        );
        assert!(
            build
                .target
                .as_deref()
                .unwrap()
                .contains(std::env::consts::ARCH)
        );
        assert_eq!(build.debug_assertions, None, "only crate_info!() knows");
        assert!(build.cargo_lock.reason.unwrap().contains("crate_info!()"));
        assert!(build.dependencies.is_empty());
        let toolchain = build.toolchain.expect("the build script ran rustc -vV");
        let release = toolchain.release.expect("rustc -vV names its release");
        assert!(
            crate::RUSTC_VERSION.starts_with(&format!("rustc {release}")),
            "{release} against {}",
            crate::RUSTC_VERSION
        );
        let cargo = build.cargo.expect("always recorded");
        assert_eq!(cargo.target_kind, None);
        assert!(cargo.reason.unwrap().contains("crate_info!()"));
        #[cfg(target_arch = "x86_64")]
        assert!(
            build.target_features.contains(&"sse2".to_string()),
            "x86_64's baseline"
        );
    }

    #[test]
    fn a_librarys_program_is_told_by_its_executables_place() {
        let library = BuildCargo {
            package: Some("ith-demo"),
            target_kind: None,
            target_name: None,
            features: Some(&["default"]),
            profile: Some("release"),
            reason: Some("the #[provenance] functions are in the library ith_demo"),
        };
        let at = |path: &str| library.record(Some(std::path::Path::new(path)));
        let example = at("/r/target/release/examples/walk-forward");
        assert_eq!(example.target_kind.as_deref(), Some("example"));
        assert_eq!(example.target_name.as_deref(), Some("walk-forward"));
        assert!(example.reason.unwrap().contains("executable's place"));
        let bin = at("/r/target/release/sweep");
        assert_eq!(
            (bin.target_kind.as_deref(), bin.target_name.as_deref()),
            (Some("bin"), Some("sweep"))
        );
        let test = at("/r/target/release/deps/walk_forward-0123abcd");
        assert_eq!(test.target_kind, None, "a test harness is not told");
        assert!(
            test.reason
                .unwrap()
                .starts_with("the #[provenance] functions")
        );
        let known = BuildCargo {
            target_kind: Some("bin"),
            target_name: Some("fit"),
            reason: None,
            ..library
        };
        assert_eq!(
            known
                .record(Some(std::path::Path::new("/elsewhere/x")))
                .target_name
                .as_deref(),
            Some("fit"),
            "what the compiler said is kept"
        );
    }

    #[test]
    fn crate_info_captures_the_lock_of_the_crate_compiled() {
        let info = crate::crate_info!();
        let build = BuildInfo::capture(info.compiled);
        let lock = build
            .cargo_lock
            .path
            .expect("the workspace has a Cargo.lock");
        assert!(lock.ends_with("Cargo.lock"));
        assert_eq!(
            build.cargo_lock.sha256,
            Some(crate::fingerprint_file(&lock).unwrap().sha256),
            "the hash is sha256sum of the lock"
        );
        let names: Vec<&str> = build.dependencies.iter().map(|d| d.name.as_str()).collect();
        for name in ["sha2", "serde_json", "ith-provenance-macros"] {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        assert!(
            !names.contains(&"ith-provenance-runtime"),
            "the crate itself is left out"
        );
        assert!(
            !names.contains(&"ith-provenance-cli"),
            "another member is not reached"
        );
        let cargo = build.cargo.clone().unwrap();
        assert_eq!(cargo.package.as_deref(), Some("ith-provenance-runtime"));
        assert_eq!(
            (cargo.target_kind.as_deref(), cargo.target_name),
            (Some("lib"), None),
            "these are the library's unit tests: {:?}",
            cargo.reason
        );
        assert!(cargo.features.is_some());
        let mut sorted = build.dependencies.clone();
        sorted.sort();
        assert_eq!(sorted, build.dependencies);
    }
}
