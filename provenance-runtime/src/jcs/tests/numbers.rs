//! Integers keep their digits; floats take ECMAScript's layout.

use serde_json::json;

use super::canon;
use crate::jcs::number::write_es_float;
use crate::strict_json_value;

fn es(value: f64) -> String {
    let mut out = String::new();
    write_es_float(&mut out, value);
    out
}

#[test]
// Inputs written as the RFC and ECMAScript examples write them.
#[allow(clippy::excessive_precision)]
fn floats_use_ecmascript_layout() {
    let cases: &[(f64, &str)] = &[
        (0.0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
        (-1.0, "-1"),
        (4.5, "4.5"),
        (-4.5, "-4.5"),
        (0.1, "0.1"),
        (0.3, "0.3"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1.5e-5, "0.000015"),
        (0.000001, "0.000001"),
        (1e-6, "0.000001"),
        (1.2345e-6, "0.0000012345"),
        (1e-7, "1e-7"),
        (-1e-7, "-1e-7"),
        (1.5e-7, "1.5e-7"),
        (100.0, "100"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1.5e21, "1.5e+21"),
        (123456789012345680000.0, "123456789012345680000"),
        (5e-324, "5e-324"),
        (-5e-324, "-5e-324"),
        (2.2250738585072014e-308, "2.2250738585072014e-308"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (-1.7976931348623157e308, "-1.7976931348623157e+308"),
        (9007199254740991.0, "9007199254740991"),
        (9007199254740992.0, "9007199254740992"),
        (333333333.33333329, "333333333.3333333"),
        (1e30, "1e+30"),
        (2e-3, "0.002"),
        (1e-27, "1e-27"),
        (12.5, "12.5"),
        (1234.5678, "1234.5678"),
        (std::f64::consts::PI, "3.141592653589793"),
    ];
    for &(value, expected) in cases {
        assert_eq!(es(value), expected, "formatting {value:e}");
    }
}

#[test]
// The exact binary values are the point: each is halfway between two
// 17-digit decimals.
#[allow(clippy::excessive_precision)]
fn halfway_digits_round_to_even() {
    // Exactly halfway between two 17-digit candidates: ECMAScript (V8,
    // Python's repr) takes the even one, where Rust's `{:e}` may not.
    let cases: &[(f64, &str)] = &[
        (1658206780088562.25, "1658206780088562.2"),
        (1658206780088562.75, "1658206780088562.8"),
        (-1658206780088562.25, "-1658206780088562.2"),
        (233115890514796.125, "233115890514796.12"),
        (233115890514796.375, "233115890514796.38"),
        (1125899906842624.25, "1125899906842624.2"),
        (1125899906842624.75, "1125899906842624.8"),
    ];
    for &(value, expected) in cases {
        assert_eq!(es(value), expected, "formatting {value:e}");
    }
}

#[test]
fn every_float_layout_round_trips() {
    // Walk exponents across the whole range: whatever the layout, parsing
    // the text must give back the same bits.
    let mut x = 5e-324_f64;
    while x.is_finite() {
        for v in [x, -x, x * 1.2345678901234567, x * 7.0 / 3.0] {
            if v.is_finite() {
                let text = es(v);
                assert_eq!(text.parse::<f64>().ok(), Some(v), "{text}");
            }
        }
        x *= 3.7;
    }
}

#[test]
fn integers_keep_their_exact_digits() {
    let max_safe: u64 = (1 << 53) - 1;
    assert_eq!(canon(&max_safe), "9007199254740991");
    assert_eq!(canon(&(max_safe + 2)), "9007199254740993");
    assert_eq!(canon(&(-(max_safe as i64))), "-9007199254740991");
    assert_eq!(canon(&(1_u64 << 53)), "9007199254740992");
    assert_ne!(canon(&(1_u64 << 53)), canon(&((1_u64 << 53) + 1)));
    assert_eq!(canon(&(1_u64 << 63)), "9223372036854775808");
    assert_eq!(canon(&u64::MAX), "18446744073709551615");
    assert_eq!(canon(&i64::MIN), "-9223372036854775808");
    assert_eq!(canon(&i64::MAX), "9223372036854775807");
    assert_eq!(canon(&u128::MAX), "340282366920938463463374607431768211455");
    assert_eq!(
        canon(&i128::MIN),
        "-170141183460469231731687303715884105728"
    );
    assert_eq!(
        canon(&(-7_i8, 200_u8, -300_i16, 60000_u16, -5_i32, 7_u32)),
        "[-7,200,-300,60000,-5,7]"
    );
    assert_eq!(canon(&0_i64), "0");
}

#[test]
fn f32_is_widened_to_f64() {
    assert_eq!(canon(&0.5_f32), "0.5");
    assert_eq!(canon(&0.1_f32), "0.10000000149011612");
    assert_eq!(canon(&-0.0_f32), "0");
    assert_eq!(canon(&f32::MAX), "3.4028234663852886e+38");
    assert_eq!(
        strict_json_value(&0.1_f32).ok(),
        Some(json!(0.10000000149011612))
    );
}
