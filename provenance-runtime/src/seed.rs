//! Deterministic, recorded random number streams: one root seed per run,
//! and an independent seed per named component derived from it.
//!
//! The formulas are specified in `docs/SEEDS.md` and pinned by golden vectors
//! checked against Python's `hashlib` and an independent ChaCha20.

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Error, Result};

mod written;

use crate::settings::SEED_ENV;
use written::parse_seed;
pub use written::{ParseSeedError, Seed};
pub(crate) use written::{as_seed, as_seed_map};

/// Domain prefix of the component-seed derivation (version 1).
const SEED_DOMAIN: &[u8] = b"provenance-seed-v1\0";
/// Domain prefix of the seed-to-ChaCha20-key expansion (version 1).
const RNG_DOMAIN: &[u8] = b"provenance-rng-v1\0";
/// The prefix of a component seed derived inside a run (SEEDS.md, v2).
const RUN_SEED_DOMAIN: &[u8] = b"provenance-seed-v2\0";

/// Where a run's root seed came from, recorded so any run can be re-run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeedSource {
    /// Given in code.
    Explicit,
    /// Read from the `PROVENANCE_SEED` environment variable.
    Environment,
    /// Drawn fresh from the operating system's entropy.
    Entropy,
}

impl std::fmt::Display for SeedSource {
    /// The name used in the JSON form: `explicit`, `environment`, `entropy`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SeedSource::Explicit => "explicit",
            SeedSource::Environment => "environment",
            SeedSource::Entropy => "entropy",
        })
    }
}

/// A run's root seed and its source. Every component's seed derives from it.
///
/// Precedence: a seed given in code, else `PROVENANCE_SEED`, else fresh OS
/// entropy. Whatever wins is recorded, so setting `PROVENANCE_SEED` to the
/// recorded value replays a run whose seed was drawn from entropy.
///
/// ```
/// use ith_provenance::{seed::{RootSeed, SeedSource}};
///
/// let root = RootSeed::resolve(Some(42)).unwrap();
/// assert_eq!((root.seed, root.source), (42, SeedSource::Explicit));
///
/// // Components get independent, order-free seeds and streams.
/// let a = root.derive("bootstrap");
/// assert_eq!(a, RootSeed::explicit(42).derive("bootstrap"));
/// assert_ne!(a, root.derive("noise"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RootSeed {
    /// The seed itself (written as a [`Seed`], `"0x"` + 16 hex digits).
    #[serde(with = "as_seed")]
    pub seed: u64,
    /// Where it came from.
    pub source: SeedSource,
}

impl RootSeed {
    /// A seed given in code.
    pub const fn explicit(seed: u64) -> Self {
        RootSeed {
            seed,
            source: SeedSource::Explicit,
        }
    }

    /// Applies the precedence: `explicit` if given, else `PROVENANCE_SEED`
    /// (an empty value counts as unset), else fresh entropy.
    ///
    /// # Errors
    /// [`Error::InvalidSeed`] when `PROVENANCE_SEED` is set but is not a
    /// `u64` (a typo must not silently become a random run);
    /// [`Error::Entropy`] when the OS has no randomness to give.
    pub fn resolve(explicit: Option<u64>) -> Result<Self> {
        Self::resolve_with(explicit, crate::settings::seed().as_deref())
    }

    /// [`resolve`](Self::resolve) with the environment variable's value
    /// passed in, for tests and for callers that read configuration elsewhere.
    ///
    /// # Errors
    /// As [`resolve`](Self::resolve).
    pub fn resolve_with(
        explicit: Option<u64>,
        env_value: Option<&std::ffi::OsStr>,
    ) -> Result<Self> {
        if let Some(seed) = explicit {
            return Ok(Self::explicit(seed));
        }
        // An empty (or blank) value counts as unset, as for PROVENANCE_LOG.
        if let Some(raw) = env_value.filter(|v| !v.to_string_lossy().trim().is_empty()) {
            let text = raw.to_string_lossy();
            let seed = parse_seed(&text).ok_or_else(|| Error::InvalidSeed {
                origin: SEED_ENV.to_string(),
                value: text.chars().take(100).collect(),
            })?;
            return Ok(RootSeed {
                seed,
                source: SeedSource::Environment,
            });
        }
        Ok(RootSeed {
            seed: entropy_u64()?,
            source: SeedSource::Entropy,
        })
    }

    /// The seed of the component `name`: see [`derive_seed`].
    pub fn derive(&self, name: &str) -> u64 {
        derive_seed(self.seed, name)
    }

    /// A ChaCha20 generator for the component `name`: see [`rng_from_seed`].
    pub fn rng(&self, name: &str) -> ChaCha20Rng {
        rng_from_seed(self.derive(name))
    }
}

/// Eight bytes of OS entropy.
pub(crate) fn entropy_u64() -> Result<u64> {
    getrandom::u64().map_err(|e| Error::Entropy(e.to_string()))
}

/// The seed of a named component, from the root seed and the name alone:
///
/// `seed = u64_le(SHA-256("provenance-seed-v1\0" ‖ u64_le(root) ‖ utf8(name))[0..8])`
///
/// Adding, removing or reordering components never shifts another
/// component's seed (Sacred's order-based derivation does).
///
/// ```
/// use ith_provenance::seed::derive_seed;
///
/// // Pinned: Python `int.from_bytes(hashlib.sha256(b"provenance-seed-v1\0"
/// //   + (42).to_bytes(8, "little") + b"bootstrap").digest()[:8], "little")`
/// assert_eq!(derive_seed(42, "bootstrap"), 11603767699352270018);
/// assert_ne!(derive_seed(42, "bootstrap"), derive_seed(43, "bootstrap"));
/// ```
pub fn derive_seed(root: u64, name: &str) -> u64 {
    let digest = Sha256::new()
        .chain_update(SEED_DOMAIN)
        .chain_update(root.to_le_bytes())
        .chain_update(name.as_bytes())
        .finalize();
    first_u64_le(&digest)
}

/// The seed of a named component inside a run: from the root seed, the
/// run's id (its deterministic identity, see `docs/PROVENANCE_MACRO.md`) and
/// the name:
///
/// `seed = u64_le(SHA-256("provenance-seed-v2\0" ‖ u64_le(root) ‖ u64_le(len(run_id)) ‖ utf8(run_id) ‖ utf8(name))[0..8])`
///
/// So repeated, nested and parallel calls of an annotated function each get
/// their own stream, and the same root seed reproduces every one of them.
/// [`Run::seed`](crate::Run::seed) uses it; seeds drawn outside any run use
/// [`derive_seed`].
///
/// ```
/// use ith_provenance::seed::derive_run_seed;
///
/// // Pinned by testdata/golden/seeds.json, re-derived with hashlib in CI.
/// assert_eq!(derive_run_seed(42, "main#1/simulate_path#1", "paths"), 9155262423802897417);
/// assert_ne!(
///     derive_run_seed(42, "main#1/simulate_path#1", "paths"),
///     derive_run_seed(42, "main#1/simulate_path#2", "paths"),
/// );
/// ```
pub fn derive_run_seed(root: u64, run_id: &str, name: &str) -> u64 {
    let digest = Sha256::new()
        .chain_update(RUN_SEED_DOMAIN)
        .chain_update(root.to_le_bytes())
        // The length keeps (run, name) pairs apart: ("a", "bc") ≠ ("ab", "c").
        .chain_update((run_id.len() as u64).to_le_bytes())
        .chain_update(run_id.as_bytes())
        .chain_update(name.as_bytes())
        .finalize();
    first_u64_le(&digest)
}

/// A digest's first 8 bytes, little-endian: how a seed is read from one.
fn first_u64_le(digest: &[u8]) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

/// The ChaCha20 generator for a seed, stream 0, position 0. Its 32-byte key
/// is `SHA-256("provenance-rng-v1\0" ‖ u64_le(seed))`.
///
/// ChaCha20 from `rand_chacha` is value-stable across releases and
/// platforms (unlike `rand`'s `StdRng`), and the key expansion is ours, so
/// the same seed gives the same stream in every version of this crate.
///
/// ```
/// use ith_provenance::seed::rng_from_seed;
/// use rand_core::Rng;
///
/// let mut a = rng_from_seed(7);
/// let mut b = rng_from_seed(7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
pub fn rng_from_seed(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::from_seed(rng_key(seed))
}

fn rng_key(seed: u64) -> [u8; 32] {
    Sha256::new()
        .chain_update(RNG_DOMAIN)
        .chain_update(seed.to_le_bytes())
        .finalize()
        .into()
}

/// The full state of a generator: enough to continue its exact stream later
/// (the Rust counterpart of the original's `capture_random_state`, which
/// only kept numpy's first seed word and a truncated state hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RandomState {
    /// The algorithm: `chacha8`, `chacha12` or `chacha20`.
    pub algorithm: String,
    /// The 32-byte key, as 64 lowercase hex digits.
    pub seed: String,
    /// The stream (nonce) number.
    pub stream: u64,
    /// How many 32-bit words of the stream have been used.
    pub word_pos: u128,
}

/// Generators whose state [`capture_random_state`] can record and
/// [`RandomState::restore`] can rebuild.
#[diagnostic::on_unimplemented(
    message = "the state of `{Self}` cannot be captured",
    label = "not a `CaptureRandomState` generator",
    note = "ChaCha20Rng of rand_chacha 0.10 (`ith_provenance::seed::ChaCha20Rng`, what `ith_provenance::rng` \
            returns) can be; a generator of another rand version cannot: see the README, \
            \"Versions of rand and ndarray\""
)]
pub trait CaptureRandomState: Sized {
    /// The algorithm's name in [`RandomState::algorithm`].
    const ALGORITHM: &'static str;
    /// Records the state.
    fn capture(&self) -> RandomState;
    /// Rebuilds a generator from a state recorded for the same algorithm.
    ///
    /// # Errors
    /// [`Error::RandomState`] when the state is for another algorithm or its
    /// key is not 64 hex digits.
    fn restore(state: &RandomState) -> Result<Self>;
}

macro_rules! chacha_state {
    ($rng:ty, $name:literal) => {
        impl CaptureRandomState for $rng {
            const ALGORITHM: &'static str = $name;

            fn capture(&self) -> RandomState {
                RandomState {
                    algorithm: $name.to_string(),
                    seed: self.get_seed().iter().map(|b| format!("{b:02x}")).collect(),
                    stream: self.get_stream(),
                    word_pos: self.get_word_pos(),
                }
            }

            fn restore(state: &RandomState) -> Result<Self> {
                if state.algorithm != $name {
                    return Err(Error::RandomState(format!(
                        "the state is for {:?}, not {:?}; restore it as that generator",
                        state.algorithm, $name
                    )));
                }
                let mut rng = <$rng>::from_seed(parse_key(&state.seed)?);
                rng.set_stream(state.stream);
                rng.set_word_pos(state.word_pos);
                Ok(rng)
            }
        }
    };
}

chacha_state!(rand_chacha::ChaCha8Rng, "chacha8");
chacha_state!(rand_chacha::ChaCha12Rng, "chacha12");
chacha_state!(ChaCha20Rng, "chacha20");

fn parse_key(hex: &str) -> Result<[u8; 32]> {
    let bad = || Error::RandomState(format!("the seed {hex:?} is not 64 hex digits"));
    if hex.len() != 64 || !hex.is_ascii() {
        return Err(bad());
    }
    let mut key = [0u8; 32];
    for (out, pair) in key.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
        let pair = std::str::from_utf8(pair).map_err(|_| bad())?;
        *out = u8::from_str_radix(pair, 16).map_err(|_| bad())?;
    }
    Ok(key)
}

/// Records a generator's algorithm, key, stream and position.
///
/// ```
/// use ith_provenance::{seed::{capture_random_state, rng_from_seed, RandomState}};
/// use ith_provenance::seed::ChaCha20Rng;
/// use rand_core::Rng;
///
/// let mut rng = rng_from_seed(42);
/// rng.next_u32();
/// let state = capture_random_state(&rng);
/// assert_eq!((state.algorithm.as_str(), state.word_pos), ("chacha20", 1));
///
/// let mut resumed: ChaCha20Rng = state.restore().unwrap();
/// assert_eq!(resumed.next_u64(), rng.next_u64());
/// ```
pub fn capture_random_state<R: CaptureRandomState>(rng: &R) -> RandomState {
    rng.capture()
}

impl RandomState {
    /// Rebuilds the generator, positioned exactly where it was captured.
    ///
    /// # Errors
    /// As [`CaptureRandomState::restore`].
    pub fn restore<R: CaptureRandomState>(&self) -> Result<R> {
        R::restore(self)
    }
}

#[cfg(test)]
mod tests {
    use rand_chacha::rand_core::Rng;

    use super::*;

    #[test]
    fn precedence_is_explicit_then_environment_then_entropy() {
        let env = std::ffi::OsStr::new("0x2A");
        assert_eq!(
            RootSeed::resolve_with(Some(1), Some(env)).unwrap(),
            RootSeed::explicit(1)
        );
        let from_env = RootSeed::resolve_with(None, Some(env)).unwrap();
        assert_eq!(
            (from_env.seed, from_env.source),
            (42, SeedSource::Environment)
        );
        assert_eq!(from_env.source.to_string(), "environment");
        let a = RootSeed::resolve_with(None, None).unwrap();
        let b = RootSeed::resolve_with(None, None).unwrap();
        assert_eq!(a.source, SeedSource::Entropy);
        assert_ne!(a.seed, b.seed, "two fresh seeds collided");
    }

    #[test]
    fn a_malformed_environment_seed_is_an_error_not_a_random_run() {
        for bad in ["forty-two", "-1", "18446744073709551616", "0xZZ"] {
            let err = RootSeed::resolve_with(None, Some(std::ffi::OsStr::new(bad))).unwrap_err();
            let msg = err.to_string();
            assert!(
                msg.contains("PROVENANCE_SEED") && msg.contains(&format!("{bad:?}")),
                "{msg}"
            );
        }
        assert_eq!(parse_seed(" 18446744073709551615\n"), Some(u64::MAX));
    }

    #[test]
    fn an_empty_environment_seed_counts_as_unset() {
        for empty in ["", "  ", "\n"] {
            let root = RootSeed::resolve_with(None, Some(std::ffi::OsStr::new(empty))).unwrap();
            assert_eq!(root.source, SeedSource::Entropy, "{empty:?}");
        }
    }

    #[test]
    fn component_seeds_depend_on_root_and_name_only() {
        let root = RootSeed::explicit(2024);
        let before = root.derive("model");
        let _ = root.derive("new-component-added-later");
        assert_eq!(root.derive("model"), before);
        assert_ne!(root.derive("model"), root.derive("model2"));
        assert_ne!(derive_seed(1, "x"), derive_seed(2, "x"));
    }

    #[test]
    fn restored_state_continues_the_same_stream() {
        let mut rng = RootSeed::explicit(9).rng("sampler");
        for _ in 0..1001 {
            rng.next_u32();
        }
        rng.set_stream(3);
        let state = capture_random_state(&rng);
        let json = serde_json::to_string(&state).unwrap();
        let restored: RandomState = serde_json::from_str(&json).unwrap();
        let mut resumed: ChaCha20Rng = restored.restore().unwrap();
        let expected: Vec<u64> = (0..100).map(|_| rng.next_u64()).collect();
        let got: Vec<u64> = (0..100).map(|_| resumed.next_u64()).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn restoring_the_wrong_algorithm_or_key_is_an_error() {
        let state = capture_random_state(&rng_from_seed(1));
        let err = state.restore::<rand_chacha::ChaCha8Rng>().unwrap_err();
        assert!(err.to_string().contains("\"chacha20\""), "{err}");
        let broken = RandomState {
            seed: "abc".into(),
            ..state
        };
        let err = broken.restore::<ChaCha20Rng>().unwrap_err();
        assert!(err.to_string().contains("64 hex digits"), "{err}");
    }
}
