//! `Fingerprint` for chrono's date and time types.
//!
//! A `DateTime` is an instant: it is hashed as its UTC time, so the same
//! instant shown in two offsets fingerprints the same (the offset itself is
//! not recorded). The naive types have no instant; each has a tag of its own,
//! so a `NaiveDateTime` never equals the `DateTime<Utc>` with the same digits.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};

use super::tag;
use super::{Fingerprint, Fingerprinter};

/// Days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

impl<Tz: TimeZone> Fingerprint for DateTime<Tz> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.write_date_time(
            tag::DATE_TIME,
            self.timestamp(),
            self.timestamp_subsec_nanos(),
        );
    }
}

/// Read as if it were UTC, under its own tag.
impl Fingerprint for NaiveDateTime {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        let utc = self.and_utc();
        f.write_date_time(
            tag::NAIVE_DATE_TIME,
            utc.timestamp(),
            utc.timestamp_subsec_nanos(),
        );
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar, as an `i64`.
impl Fingerprint for NaiveDate {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        let days = i64::from(self.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE;
        f.raw(&[tag::NAIVE_DATE]);
        f.raw(&days.to_le_bytes());
    }
}

/// Seconds since midnight and nanoseconds (1,000,000,000 or more only within
/// a leap second, as chrono represents it), both `u32`.
impl Fingerprint for NaiveTime {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.raw(&[tag::NAIVE_TIME]);
        f.raw(&self.num_seconds_from_midnight().to_le_bytes());
        f.raw(&self.nanosecond().to_le_bytes());
    }
}
