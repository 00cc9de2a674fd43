//! Floats written as ECMAScript's `Number.prototype.toString` writes them,
//! as RFC 8785 §3.2.2.3 requires.

use std::fmt::Write as _;

/// Appends the finite `value` in ECMAScript form: `0`, `4.5`, `0.000001`,
/// `1e-7`, `123456789012345680000`, `1e+21`, `5e-324`.
///
/// The digits are the shortest ones that round-trip to `value`, nearest to
/// it when several are as short, and the even one when two are equally near.
/// Rust's `{:e}` prints the first two; the tie rule is applied here.
pub(super) fn write_es_float(out: &mut String, value: f64) {
    debug_assert!(value.is_finite(), "callers reject NaN and infinities");
    if value == 0.0 {
        // Both +0 and -0.
        out.push('0');
        return;
    }
    if value < 0.0 {
        out.push('-');
    }

    // The shortest round-trip digits (at most 17) and the exponent of the
    // first one, tie-broken to even as ECMAScript does.
    let (mut digits, exponent) = shortest_digits(value.abs());
    if let Some(even) = even_digits_on_tie(value.abs(), &digits, exponent) {
        digits = even;
    }
    let k = digits.len() as i32;
    // ECMAScript's n: the value is 0.digits × 10^n.
    let n = exponent + 1;

    if k <= n && n <= 21 {
        // An integer: the digits, then zeros.
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        // A decimal point inside the digits.
        let (int, frac) = digits.split_at(n as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < n && n <= 0 {
        // Down to 0.000001: leading zeros after the point.
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        // Exponent form, always signed: 1e+21, 1.5e-7.
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let e = n - 1;
        let sign = if e < 0 { '-' } else { '+' };
        // Writing to a String cannot fail.
        let _ = write!(out, "e{sign}{}", e.unsigned_abs());
    }
}

/// The shortest digits that round-trip to `value` (positive, finite) and the
/// decimal exponent of the first one: 0.000015 is `("15", -5)`.
fn shortest_digits(value: f64) -> (String, i32) {
    scientific_digits(&format!("{value:e}"))
}

/// Splits Rust's `d[.ddd]e[-]x` into its digits and exponent.
fn scientific_digits(text: &str) -> (String, i32) {
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text, "0"));
    let digits = mantissa.chars().filter(char::is_ascii_digit).collect();
    (digits, parse_exponent(exponent))
}

/// When `value` lies exactly halfway between two shortest candidates,
/// ECMAScript (and V8, and Python's `repr`) pick the one whose last digit is
/// even; Rust's `{:e}` may pick the other. Returns the even digits in that
/// case, `None` when `digits` are already right.
///
/// Example: 1658206780088562.25 is exactly representable; both
/// 1658206780088562.2 and …562.3 read back as it, are 17 digits and are 0.05
/// away. ECMAScript writes `1658206780088562.2`.
fn even_digits_on_tie(value: f64, digits: &str, exponent: i32) -> Option<String> {
    let k = digits.len();
    let last = digits.bytes().last()?;
    if last % 2 == 0 {
        return None;
    }
    // A tie means the value's exact expansion is `k` digits and a 5. The
    // correctly rounded k + 1 digits must then end in 5; this cheap test
    // settles all but a tenth of values.
    let (rounded, _) = scientific_digits(&format!("{value:.k$e}"));
    if rounded.bytes().last() != Some(b'5') {
        return None;
    }
    // Every f64 has at most 767 significant decimal digits, so 800 is exact.
    let (exact, exact_exponent) = scientific_digits(&format!("{value:.800e}"));
    let exact = exact.as_bytes();
    if exact_exponent != exponent
        || exact.get(k) != Some(&b'5')
        || exact
            .get(k + 1..)
            .is_none_or(|rest| rest.iter().any(|&d| d != b'0'))
    {
        return None;
    }
    // The two candidates are exact[..k] and exact[..k] + 1 in the last
    // digit; `digits` is one of them and odd, so the other is even and is
    // one step away without a carry (a carry would leave a trailing zero, and
    // a shorter form would then exist).
    let (head, _) = digits.split_at(k - 1);
    let lower_last = *exact.get(k - 1)?;
    let other_last = if last == lower_last {
        last.checked_add(1).filter(|d| *d <= b'9')?
    } else {
        lower_last
    };
    let mut other = String::with_capacity(k);
    other.push_str(head);
    other.push(char::from(other_last));
    // It must still read back as the same double (ECMAScript's first rule).
    let reads_back = format!("0.{other}e{}", exponent + 1).parse::<f64>() == Ok(value);
    reads_back.then_some(other)
}

/// Parses the exponent `{:e}` printed (`21`, `-7`); it is always a small,
/// well-formed integer, so no error path is needed.
fn parse_exponent(text: &str) -> i32 {
    let (negative, magnitude) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let value = magnitude
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0_i32, |acc, d| acc * 10 + i32::from(d - b'0'));
    if negative { -value } else { value }
}
