//! The one timestamp format the project writes: RFC 3339, UTC, microseconds,
//! `Z` (`2026-11-25T10:46:11.123456Z`).

use chrono::{DateTime, SecondsFormat, Utc};

/// Formats a time as RFC 3339 UTC with exactly six fractional digits and `Z`.
///
/// ```
/// use chrono::TimeZone;
/// let t = chrono::Utc.with_ymd_and_hms(2026, 11, 25, 10, 46, 11).unwrap();
/// assert_eq!(ith_provenance::log::format_timestamp(&t), "2026-11-25T10:46:11.000000Z");
/// ```
pub fn format_timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Serde `with` module for [`format_timestamp`]'s form. Reading accepts any
/// RFC 3339 time and converts it to UTC.
pub(crate) mod rfc3339_micros {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    use super::format_timestamp;

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_timestamp(t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| serde::de::Error::custom(format!("{text:?} is not an RFC 3339 time: {e}")))
    }
}
