//! Where event timestamps come from, and how they are written fast.

use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of event timestamps, in microseconds since the Unix epoch (UTC).
///
/// The log asks it once per event. Swap it in tests for stable `ts` values:
///
/// ```
/// use std::sync::atomic::{AtomicI64, Ordering};
/// use ith_provenance::log::Clock;
///
/// struct Stepping(AtomicI64);
/// impl Clock for Stepping {
///     fn now_micros(&self) -> i64 {
///         self.0.fetch_add(1_000, Ordering::Relaxed)
///     }
/// }
/// let clock = Stepping(AtomicI64::new(0));
/// assert_eq!((clock.now_micros(), clock.now_micros()), (0, 1_000));
/// ```
pub trait Clock: Send + Sync + 'static {
    /// Microseconds since 1970-01-01T00:00:00Z.
    fn now_micros(&self) -> i64;
}

/// The system's wall clock (the default).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_micros(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
            // A clock set before 1970: negative, still a valid instant.
            Err(e) => -i64::try_from(e.duration().as_micros()).unwrap_or(i64::MAX),
        }
    }
}

/// Appends `micros` as RFC 3339 UTC with six fractional digits and `Z`
/// (`2026-11-25T10:46:11.123456Z`), without allocating: this runs once per
/// event. Years outside 0000–9999 fall back to chrono's formatting.
pub(crate) fn push_timestamp(out: &mut Vec<u8>, micros: i64) {
    // Events come many to a second: the date and time of day are reused
    // from the thread's previous event when its second is the same.
    thread_local! {
        static LAST_SECOND: Cell<(i64, [u8; 19])> = const { Cell::new((i64::MIN, [0; 19])) };
    }
    let secs = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000) as u32;
    let mut buf = *b"0000-00-00T00:00:00.000000Z";
    match LAST_SECOND.get() {
        (last, prefix) if last == secs => buf[..19].copy_from_slice(&prefix),
        _ => {
            let days = secs.div_euclid(86_400);
            let sod = secs.rem_euclid(86_400) as u32;
            let (y, m, d) = civil_from_days(days);
            if !(0..=9999).contains(&y) {
                let t = chrono::DateTime::from_timestamp_micros(micros).unwrap_or_default();
                out.extend_from_slice(crate::format_timestamp(&t).as_bytes());
                return;
            }
            put(&mut buf[0..4], y as u32);
            put(&mut buf[5..7], m);
            put(&mut buf[8..10], d);
            put(&mut buf[11..13], sod / 3600);
            put(&mut buf[14..16], sod / 60 % 60);
            put(&mut buf[17..19], sod % 60);
            let mut prefix = [0; 19];
            prefix.copy_from_slice(&buf[..19]);
            LAST_SECOND.set((secs, prefix));
        }
    }
    put(&mut buf[20..26], frac);
    out.extend_from_slice(&buf);
}

/// Writes `n`'s low decimal digits right-aligned into `dst` (zero-padded).
fn put(dst: &mut [u8], mut n: u32) {
    for slot in dst.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(micros: i64) -> String {
        let mut out = Vec::new();
        push_timestamp(&mut out, micros);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn matches_chrono_across_the_calendar() {
        // Leap days, century rules, year ends, before 1970, far future.
        let mut probes = vec![
            0,
            -1,
            1,
            951_782_400_000_000,
            4_107_542_399_999_999,
            -62_135_596_800_000_000,
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Uniform over roughly years 0000..9999.
            probes.push((x % 315_537_897_600_000_000) as i64 - 62_167_219_200_000_000);
        }
        // Neighbours share a second, so the cached prefix is used too.
        let neighbours: Vec<i64> = probes
            .iter()
            .flat_map(|&p| [p, p + 1, p + 999_999])
            .collect();
        probes.extend(neighbours);
        for micros in probes {
            let t = chrono::DateTime::from_timestamp_micros(micros).unwrap();
            assert_eq!(ours(micros), crate::format_timestamp(&t), "{micros}");
        }
    }

    #[test]
    fn system_clock_is_after_this_code_was_written() {
        assert!(SystemClock.now_micros() > 1_764_000_000_000_000);
    }
}
