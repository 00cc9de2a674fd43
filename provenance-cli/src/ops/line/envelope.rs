//! The envelope every line starts with: its fields, their order, and the
//! form the contract writes `ts` in.

use chrono::{NaiveDate, NaiveTime};
use ith_provenance_runtime::{ENVELOPE_FIELDS as REQUIRED, OPTIONAL_ENVELOPE_FIELDS as OPTIONAL};

/// The envelope fields a line starts with (`docs/CONTRACT.md`), from the
/// contract's one list: the five every line has, then the two run fields
/// (`non_finite`, which ends a line, is read apart).
pub const ENVELOPE: [&str; 7] = [
    REQUIRED[0],
    REQUIRED[1],
    REQUIRED[2],
    REQUIRED[3],
    REQUIRED[4],
    OPTIONAL[0],
    OPTIONAL[1],
];

/// A line's envelope.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    /// `ts`.
    pub ts: String,
    /// `event_type`.
    pub event_type: String,
    /// `session_id`.
    pub session_id: String,
    /// `seq`.
    pub seq: u64,
    /// `experiment_id`, when present.
    pub experiment_id: Option<String>,
    /// `run_id`, when present.
    pub run_id: Option<String>,
    /// `parent_run_id`, when present.
    pub parent_run_id: Option<String>,
}

/// Whether `key` is one of [`ENVELOPE`].
pub fn is_envelope_field(key: &str) -> bool {
    matches!(
        key,
        "ts" | "event_type" | "session_id" | "seq" | "experiment_id" | "run_id" | "parent_run_id"
    )
}

/// A line's envelope, borrowed from the line (or from an [`Envelope`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnvelopeRef<'a> {
    /// `ts`.
    pub ts: &'a str,
    /// `event_type`.
    pub event_type: &'a str,
    /// `session_id`.
    pub session_id: &'a str,
    /// `seq`.
    pub seq: u64,
    /// `experiment_id`, when present.
    pub experiment_id: Option<&'a str>,
    /// `run_id`, when present.
    pub run_id: Option<&'a str>,
    /// `parent_run_id`, when present.
    pub parent_run_id: Option<&'a str>,
}

impl Envelope {
    /// Borrows the envelope.
    pub fn as_ref(&self) -> EnvelopeRef<'_> {
        EnvelopeRef {
            ts: &self.ts,
            event_type: &self.event_type,
            session_id: &self.session_id,
            seq: self.seq,
            experiment_id: self.experiment_id.as_deref(),
            run_id: self.run_id.as_deref(),
            parent_run_id: self.parent_run_id.as_deref(),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as the contract writes `ts`.
pub fn is_contract_timestamp(ts: &str) -> bool {
    let b = ts.as_bytes();
    b.len() == 27
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'.',
            26 => c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// Microseconds since 1970-01-01T00:00:00Z of a `ts` in the form the
/// contract writes ([`is_contract_timestamp`]); `None` for any other text,
/// or a date or time that does not exist (month 13, `2026-02-30`, `24:00`,
/// second 60).
pub fn timestamp_micros(ts: &str) -> Option<i64> {
    if !is_contract_timestamp(ts) {
        return None;
    }
    // Every field is digits (checked above).
    let b = ts.as_bytes();
    let number = |from: usize, to: usize| {
        b[from..to]
            .iter()
            .fold(0u32, |n, &c| n * 10 + u32::from(c - b'0'))
    };
    let year = i32::try_from(number(0, 4)).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(5, 7), number(8, 10))?;
    let time = NaiveTime::from_hms_micro_opt(
        number(11, 13),
        number(14, 16),
        number(17, 19),
        number(20, 26),
    )?;
    Some(date.and_time(time).and_utc().timestamp_micros())
}

/// The position of `key` in [`ENVELOPE`].
pub(super) fn envelope_slot(key: &str) -> Option<usize> {
    // By length first: most payload keys are ruled out without a compare.
    let slot = match (key.len(), key) {
        (2, "ts") => 0,
        (10, "event_type") => 1,
        (10, "session_id") => 2,
        (3, "seq") => 3,
        (13, "experiment_id") => 4,
        (6, "run_id") => 5,
        (13, "parent_run_id") => 6,
        _ => return None,
    };
    debug_assert_eq!(ENVELOPE[slot], key);
    Some(slot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_is_the_writers() {
        // The writer's fixed envelope, then its two optional run fields.
        assert_eq!(ENVELOPE[..5], REQUIRED);
        assert_eq!(ENVELOPE[5..], OPTIONAL[..2]);
        // The by-length match finds each name at its place, and no other.
        for (slot, key) in ENVELOPE.iter().enumerate() {
            assert_eq!(envelope_slot(key), Some(slot), "{key}");
        }
        for key in ["non_finite", "t", "seq_", "run"] {
            assert_eq!(envelope_slot(key), None, "{key}");
        }
    }

    #[test]
    fn contract_timestamps_read_as_microseconds() {
        assert_eq!(timestamp_micros("1970-01-01T00:00:00.000000Z"), Some(0));
        assert_eq!(
            timestamp_micros("1970-01-01T00:00:01.000002Z"),
            Some(1_000_002)
        );
        assert_eq!(
            timestamp_micros("2026-11-25T10:46:11.126706Z"),
            Some(1_795_603_571_126_706)
        );
        assert_eq!(timestamp_micros("1969-12-31T23:59:59.999999Z"), Some(-1));
        for bad in [
            "2026-11-25T10:46:11.126706",
            "2026-11-25T10:46:11.126706+00:00",
            "2026-11-25 10:46:11.126706Z",
            "2026-13-01T10:46:11.126706Z",
            "2026-02-30T10:46:11.126706Z",
            "2026-11-25T24:00:00.000000Z",
            "2026-11-25T10:46:60.000000Z",
            "2026-11-25T10:46:1+.126706Z",
            "",
        ] {
            assert_eq!(timestamp_micros(bad), None, "{bad}");
        }
    }
}
