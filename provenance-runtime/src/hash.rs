//! The one hash type the project writes: `sha256:<64 lowercase hex>`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::Error;

/// A SHA-256 digest, written everywhere as `sha256:` followed by 64 lowercase
/// hex digits.
///
/// Every hash the project writes (array, file, value and configuration
/// fingerprints, diff hashes) has this form, so a reader never has to guess
/// the algorithm or the encoding.
///
/// ```
/// use ith_provenance::Sha256Hash;
///
/// let h = Sha256Hash::of(b"abc");
/// assert_eq!(
///     h.to_string(),
///     "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// assert_eq!(h, h.to_string().parse().unwrap());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sha256Hash([u8; 32]);

/// The prefix every hash string starts with.
pub const HASH_PREFIX: &str = "sha256:";

impl Sha256Hash {
    /// Wraps a raw 32-byte digest.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Sha256Hash(bytes)
    }

    /// The raw 32-byte digest.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// SHA-256 of `data` in one call.
    pub fn of(data: &[u8]) -> Self {
        Sha256Hash(Sha256::digest(data).into())
    }

    /// Finishes a running hasher. Crate-private: a `sha2` type in a public
    /// signature would tie our semver to sha2's.
    pub(crate) fn finish(hasher: Sha256) -> Self {
        Sha256Hash(hasher.finalize().into())
    }

    /// The 64 lowercase hex digits, without the `sha256:` prefix (the form
    /// `sha256sum` and Python's `hexdigest()` print).
    pub fn hex(&self) -> String {
        self.prefixed()[HASH_PREFIX.len()..].to_string()
    }

    /// `sha256:<hex>` as bytes on the stack: this is written on every log
    /// line that carries a hash, so it must not allocate.
    fn prefixed(&self) -> PrefixedHex {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 71];
        out[..HASH_PREFIX.len()].copy_from_slice(HASH_PREFIX.as_bytes());
        for (i, byte) in self.0.iter().enumerate() {
            out[HASH_PREFIX.len() + 2 * i] = DIGITS[usize::from(byte >> 4)];
            out[HASH_PREFIX.len() + 2 * i + 1] = DIGITS[usize::from(byte & 0x0f)];
        }
        PrefixedHex(out)
    }
}

/// `sha256:` and 64 hex digits, ASCII by construction.
struct PrefixedHex([u8; 71]);

impl std::ops::Deref for PrefixedHex {
    type Target = str;
    fn deref(&self) -> &str {
        // Only ASCII bytes are ever written into the array.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for Sha256Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.prefixed())
    }
}

impl fmt::Debug for Sha256Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Sha256Hash {
    type Err = Error;

    /// Parses `sha256:<64 lowercase hex>`; anything else (a missing prefix,
    /// upper-case or short hex) is rejected rather than guessed at.
    fn from_str(s: &str) -> Result<Self, Error> {
        let invalid = || Error::InvalidHash {
            value: s.chars().take(100).collect(),
        };
        let hex = s.strip_prefix(HASH_PREFIX).ok_or_else(invalid)?;
        if hex.len() != 64 {
            return Err(invalid());
        }
        let nibble = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let mut bytes = [0u8; 32];
        for (out, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
            *out = (nibble(pair[0]).ok_or_else(invalid)? << 4)
                | nibble(pair[1]).ok_or_else(invalid)?;
        }
        Ok(Sha256Hash(bytes))
    }
}

impl Serialize for Sha256Hash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.prefixed())
    }
}

impl<'de> Deserialize<'de> for Sha256Hash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_display_and_serde() {
        let h = Sha256Hash::of(b"");
        let s = h.to_string();
        assert_eq!(
            s,
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(s.parse::<Sha256Hash>().unwrap(), h);
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(json, format!("\"{s}\""));
        assert_eq!(serde_json::from_str::<Sha256Hash>(&json).unwrap(), h);
    }

    #[test]
    fn rejects_malformed_strings() {
        let good = Sha256Hash::of(b"x").to_string();
        for bad in [
            good.trim_start_matches("sha256:").to_string(),
            good.to_uppercase(),
            good[..good.len() - 1].to_string(),
            format!("{good}0"),
            good.replace("sha256:", "md5:"),
            format!("sha256:{}", "g".repeat(64)),
        ] {
            let err = bad.parse::<Sha256Hash>().unwrap_err();
            assert!(
                err.to_string().contains("sha256:<64 lowercase hex>"),
                "{err}"
            );
        }
    }
}
