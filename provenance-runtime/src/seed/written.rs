//! How the event log writes a seed: the string `"0x"` + 16 lowercase hex
//! digits (contract version 2), so that every reader keeps all 64 bits.
//!
//! A JSON integer above 2^53 is rounded by pandas' `read_json`, jq 1.6 and
//! JavaScript's `JSON.parse`; a decimal string is turned back into a float
//! by pandas' default type inference. A `0x` string is neither: every
//! reader keeps it as text, and `PROVENANCE_SEED` takes it as it is.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A seed as the event log writes it: a `u64` written as the JSON string
/// `"0x"` followed by exactly 16 lowercase hex digits (`42` is
/// `"0x000000000000002a"`), read back from that form, from a decimal or
/// `0x` string, or from a JSON integer (contract version 1).
///
/// Use it for a seed field of your own event types: the log then keeps it
/// exact for every reader (`docs/SEEDS.md`, *Seeds in the log*). Its
/// [`Display`](fmt::Display) is the same text, which `PROVENANCE_SEED`
/// accepts.
///
/// ```
/// use ith_provenance::seed::Seed;
///
/// let seed = Seed(18_000_000_000_000_000_001);
/// assert_eq!(serde_json::to_string(&seed).unwrap(), r#""0xf9ccd8a1c5080001""#);
/// assert_eq!(seed.to_string(), "0xf9ccd8a1c5080001");
/// // Logs of contract version 1 wrote integers: both read back.
/// let v1: Seed = serde_json::from_str("18000000000000000001").unwrap();
/// let v2: Seed = serde_json::from_str(r#""0xf9ccd8a1c5080001""#).unwrap();
/// assert_eq!(v1, v2);
/// assert_eq!("42".parse::<Seed>().unwrap(), Seed(42));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Seed(pub u64);

impl Seed {
    /// The JSON Schema of the written form:
    /// `{"type": "string", "pattern": "^0x[0-9a-f]{16}$"}`.
    pub const PATTERN: &'static str = "^0x[0-9a-f]{16}$";

    /// The 18 bytes of the written form, without quotes.
    fn text(self) -> [u8; 18] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = *b"0x0000000000000000";
        for (i, byte) in out[2..].iter_mut().enumerate() {
            *byte = DIGITS[((self.0 >> (60 - 4 * i)) & 0xf) as usize];
        }
        out
    }
}

impl From<u64> for Seed {
    fn from(seed: u64) -> Self {
        Seed(seed)
    }
}

impl From<Seed> for u64 {
    fn from(seed: Seed) -> Self {
        seed.0
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.text();
        // Only ASCII digits and `x` were written.
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

/// A text that is not a seed: see [`Seed`]'s `FromStr`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseSeedError {
    text: String,
}

impl fmt::Display for ParseSeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a seed: expected a u64 in decimal (42) or hex (0x2a)",
            self.text
        )
    }
}

impl std::error::Error for ParseSeedError {}

/// Parses a seed written in decimal (`42`) or hex (`0x2a`), surrounding
/// whitespace allowed.
pub(super) fn parse_seed(text: &str) -> Option<u64> {
    let text = text.trim();
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

impl FromStr for Seed {
    type Err = ParseSeedError;

    /// Decimal (`42`) or hex (`0x2a`, `0x000000000000002a`), as
    /// `PROVENANCE_SEED` takes it; surrounding whitespace is ignored.
    fn from_str(text: &str) -> Result<Self, ParseSeedError> {
        parse_seed(text).map(Seed).ok_or_else(|| ParseSeedError {
            text: text.to_string(),
        })
    }
}

impl Serialize for Seed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.text();
        serializer.serialize_str(std::str::from_utf8(&text).map_err(serde::ser::Error::custom)?)
    }
}

impl<'de> Deserialize<'de> for Seed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeedVisitor;

        impl Visitor<'_> for SeedVisitor {
            type Value = Seed;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a seed: a \"0x\" hex string, a decimal string or a u64")
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seed, E> {
                Ok(Seed(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seed, E> {
                u64::try_from(v)
                    .map(Seed)
                    .map_err(|_| E::custom(format!("{v} is not a seed: seeds are not negative")))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Seed, E> {
                v.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_any(SeedVisitor)
    }
}

/// `#[serde(with = "…")]` for a `u64` seed field written as a [`Seed`].
pub(crate) mod as_seed {
    use super::Seed;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(seed: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        Seed(*seed).serialize(serializer)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        Seed::deserialize(deserializer).map(u64::from)
    }
}

/// `#[serde(with = "…")]` for a map of names to `u64` seeds, each written
/// as a [`Seed`].
pub(crate) mod as_seed_map {
    use std::collections::BTreeMap;

    use super::Seed;
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        seeds: &BTreeMap<String, u64>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(seeds.len()))?;
        for (name, seed) in seeds {
            map.serialize_entry(name, &Seed(*seed))?;
        }
        map.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, u64>, D::Error> {
        let seeds = BTreeMap::<String, Seed>::deserialize(deserializer)?;
        Ok(seeds.into_iter().map(|(k, v)| (k, v.0)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::Seed;

    #[test]
    fn the_written_form_is_fixed_width_lowercase_hex() {
        assert_eq!(Seed(0).to_string(), "0x0000000000000000");
        assert_eq!(Seed(42).to_string(), "0x000000000000002a");
        assert_eq!(Seed(u64::MAX).to_string(), "0xffffffffffffffff");
        assert_eq!(
            Seed(0x0123_4567_89ab_cdef).to_string(),
            "0x0123456789abcdef"
        );
    }

    #[test]
    fn every_form_reads_back() {
        for seed in [0, 1, 42, (1 << 53) + 1, u64::MAX - 1, u64::MAX] {
            let written = serde_json::to_string(&Seed(seed)).unwrap();
            assert_eq!(serde_json::from_str::<Seed>(&written).unwrap(), Seed(seed));
            assert_eq!(
                serde_json::from_str::<Seed>(&seed.to_string()).unwrap(),
                Seed(seed)
            );
            assert_eq!(format!("{seed}").parse::<Seed>().unwrap(), Seed(seed));
        }
    }

    #[test]
    fn what_is_not_a_seed_is_an_error_naming_it() {
        for bad in [
            "-1",
            "\"forty-two\"",
            "1.5",
            "\"0x\"",
            "null",
            "\"18446744073709551616\"",
        ] {
            let err = serde_json::from_str::<Seed>(bad).unwrap_err().to_string();
            assert!(!err.is_empty(), "{bad}");
        }
        let err = "0xZZ".parse::<Seed>().unwrap_err().to_string();
        assert!(err.contains("\"0xZZ\" is not a seed"), "{err}");
    }
}
