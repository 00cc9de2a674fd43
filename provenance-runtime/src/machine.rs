//! What the machine and the environment add to a run's numbers: the CPU and
//! the features it offers at run time, the thread count libraries default
//! to, and the environment variables that set it or that the user names.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::secret::{SecretNames, keyed_hash};

/// The variables thread pools and numeric libraries read their thread
/// count from: recorded whenever set, since the count changes reduction
/// order and so floating-point results.
pub const THREAD_ENV_VARS: &[&str] = &[
    "RAYON_NUM_THREADS",
    "TOKIO_WORKER_THREADS",
    "OMP_NUM_THREADS",
    "OMP_THREAD_LIMIT",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "POLARS_MAX_THREADS",
];

/// The CPU model and the features detected at run time, once per process.
pub(crate) fn cpu() -> &'static (Option<String>, Vec<String>) {
    static CPU: OnceLock<(Option<String>, Vec<String>)> = OnceLock::new();
    CPU.get_or_init(|| (cpu_model(), detected_features()))
}

/// The CPU's model name as the OS reports it; `None` where it does not
/// (only Linux's `/proc/cpuinfo` is read).
fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        matches!(
            key.trim(),
            "model name" | "Model" | "Hardware" | "cpu model"
        )
        .then(|| value.trim().to_string())
        .filter(|v| !v.is_empty())
    })
}

/// The numerics-relevant features this CPU offers (libraries choose code
/// paths by them at run time), sorted.
fn detected_features() -> Vec<String> {
    #[allow(unused_mut)]
    let mut found: Vec<&str> = Vec::new();
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        macro_rules! x86 {
            ($($f:tt),*) => {$(
                if std::is_x86_feature_detected!($f) {
                    found.push($f);
                }
            )*};
        }
        x86!(
            "sse2", "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "avx", "avx2", "fma", "f16c",
            "bmi1", "bmi2", "lzcnt", "avx512f", "avx512cd", "avx512dq", "avx512bw", "avx512vl"
        );
    }
    #[cfg(target_arch = "aarch64")]
    {
        macro_rules! arm {
            ($($f:tt),*) => {$(
                if std::arch::is_aarch64_feature_detected!($f) {
                    found.push($f);
                }
            )*};
        }
        arm!("neon", "fp16", "sve", "sve2");
    }
    let mut found: Vec<String> = found.into_iter().map(str::to_string).collect();
    found.sort();
    found
}

/// Whether a variable's value is recorded as a keyed hash, never in clear:
/// its name contains one of [`SECRET_NAME_PARTS`](crate::SECRET_NAME_PARTS)
/// in any case (the names a user adds are not counted here).
pub fn looks_secret(name: &str) -> bool {
    SecretNames::default().is_secret(name)
}

/// The recorded environment: each thread variable that is set, and each
/// variable in `named` or in `PROVENANCE_ENV` (`null` when unset); the
/// values of `secrets` as a keyed hash, the credentials of any URL in the
/// others redacted.
pub(crate) fn recorded_env(
    named: &[String],
    secrets: &SecretNames,
) -> BTreeMap<String, Option<String>> {
    let read = |name: &str| -> Option<String> {
        let value = crate::settings::recorded(name)?;
        let value = value.to_string_lossy();
        Some(if secrets.is_secret(name) {
            keyed_hash(name, value.as_bytes())
        } else {
            secrets.redact_urls(&value).into_owned()
        })
    };
    let mut env = BTreeMap::new();
    for &name in THREAD_ENV_VARS {
        if let Some(value) = read(name) {
            env.insert(name.to_string(), Some(value));
        }
    }
    let listed = crate::settings::env_names();
    for name in named.iter().chain(&listed).map(|n| n.trim()) {
        if !name.is_empty() && !name.contains('=') {
            env.insert(name.to_string(), read(name));
        }
    }
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_recognised_in_any_case() {
        for name in [
            "API_TOKEN",
            "aws_secret_access_key",
            "DB_PASSWORD",
            "ApiKey",
        ] {
            assert!(looks_secret(name), "{name}");
        }
        for name in ["RAYON_NUM_THREADS", "DATASET", "MONKEY_PATCH"] {
            // KEY inside MONKEY counts too: a false positive only hashes a value.
            assert_eq!(looks_secret(name), name.contains("KEY"), "{name}");
        }
    }

    #[test]
    fn the_cpu_is_read_once_and_sorted() {
        let (model, features) = cpu();
        assert!(std::ptr::eq(cpu(), cpu()));
        let mut sorted = features.clone();
        sorted.sort();
        assert_eq!(&sorted, features);
        #[cfg(target_arch = "x86_64")]
        assert!(features.contains(&"sse2".to_string()), "x86_64's baseline");
        #[cfg(target_os = "linux")]
        assert!(model.is_some(), "/proc/cpuinfo names the model");
        let _ = model;
    }
}
