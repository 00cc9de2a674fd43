//! The contract's `ts` (`2026-11-25T10:46:11.126706Z`) as an Arrow
//! timestamp: microseconds since the Unix epoch, UTC.

use chrono::{NaiveDate, NaiveTime};

/// Microseconds since 1970-01-01T00:00:00Z of a timestamp in the form the
/// contract writes (`YYYY-MM-DDTHH:MM:SS.ffffffZ`); `None` for any other
/// text, or a date or time that does not exist (`2026-02-30`, `24:00`).
pub(super) fn micros(ts: &str) -> Option<i64> {
    let b = ts.as_bytes();
    if b.len() != 27 || b[26] != b'Z' {
        return None;
    }
    // Each separator checked, each field all digits: `+1` or ` 1` cannot
    // pass for a number.
    let separators = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
    ];
    if separators.iter().any(|&(at, c)| b[at] != c) {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(number(0, 4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(5, 7)?, number(8, 10)?)?;
    let time = NaiveTime::from_hms_micro_opt(
        number(11, 13)?,
        number(14, 16)?,
        number(17, 19)?,
        number(20, 26)?,
    )?;
    Some(date.and_time(time).and_utc().timestamp_micros())
}

#[cfg(test)]
mod tests {
    use super::micros;

    #[test]
    fn contract_timestamps_read_as_microseconds() {
        assert_eq!(micros("1970-01-01T00:00:00.000000Z"), Some(0));
        assert_eq!(micros("1970-01-01T00:00:01.000002Z"), Some(1_000_002));
        assert_eq!(
            micros("2026-11-25T10:46:11.126706Z"),
            Some(1_795_603_571_126_706)
        );
        assert_eq!(micros("1969-12-31T23:59:59.999999Z"), Some(-1));
        for bad in [
            "2026-11-25T10:46:11.126706",
            "2026-11-25T10:46:11.126706+00:00",
            "2026-11-25 10:46:11.126706Z",
            "2026-02-30T10:46:11.126706Z",
            "2026-11-25T24:00:00.000000Z",
            "2026-11-25T10:46:60.000000Z",
            "2026-11-25T10:46:1+.126706Z",
            "",
        ] {
            assert_eq!(micros(bad), None, "{bad}");
        }
    }
}
