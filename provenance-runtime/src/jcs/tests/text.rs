//! Strings, escapes and UTF-16 key order, with RFC 8785's own examples.

use std::collections::BTreeMap;

use serde_json::json;

use super::canon;

#[test]
fn strings_use_rfc8785_escapes_only() {
    assert_eq!(canon("plain"), r#""plain""#);
    assert_eq!(canon("q\"b\\s/"), r#""q\"b\\s/""#);
    assert_eq!(canon("\u{8}\u{c}\n\r\t"), r#""\b\f\n\r\t""#);
    assert_eq!(
        canon("\u{0}\u{1}\u{f}\u{1a}\u{1f}"),
        r#""\u0000\u0001\u000f\u001a\u001f""#
    );
    // DEL, U+2028 and non-ASCII are written raw.
    assert_eq!(canon("\u{7f}\u{2028}é€😀"), "\"\u{7f}\u{2028}é€😀\"");
    assert_eq!(canon(&'\n'), r#""\n""#);
    assert_eq!(canon(&'x'), r#""x""#);
}

#[test]
fn every_control_character_is_escaped() {
    for c in (0_u8..0x20).map(char::from) {
        let text = canon(&c.to_string());
        let expected = match c {
            '\u{8}' => r#""\b""#.to_owned(),
            '\u{c}' => r#""\f""#.to_owned(),
            '\n' => r#""\n""#.to_owned(),
            '\r' => r#""\r""#.to_owned(),
            '\t' => r#""\t""#.to_owned(),
            _ => format!("\"\\u{:04x}\"", u32::from(c)),
        };
        assert_eq!(text, expected);
        // And serde_json reads it back.
        assert_eq!(
            serde_json::from_str::<String>(&text).ok(),
            Some(c.to_string())
        );
    }
}

#[test]
fn keys_sort_by_utf16_code_units_not_utf8_bytes() {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+E000 and
    // U+FB01 in UTF-16 but after them in UTF-8.
    let map = BTreeMap::from([("\u{1F600}", 1), ("\u{FB01}", 2), ("\u{E000}", 3), ("z", 4)]);
    assert_eq!(
        canon(&map),
        "{\"z\":4,\"\u{1F600}\":1,\"\u{E000}\":3,\"\u{FB01}\":2}"
    );
}

#[test]
fn rfc8785_sorting_example() {
    // RFC 8785 §3.2.3.
    let input = json!({
        "\u{20ac}": "Euro Sign",
        "\r": "Carriage Return",
        "\u{fb33}": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\u{1f600}": "Emoji: Grinning Face",
        "\u{0080}": "Control",
        "\u{00f6}": "Latin Small Letter O With Diaeresis"
    });
    let expected = concat!(
        r#"{"\r":"Carriage Return","1":"One","#,
        "\"\u{0080}\":\"Control\",",
        "\"\u{00f6}\":\"Latin Small Letter O With Diaeresis\",",
        "\"\u{20ac}\":\"Euro Sign\",",
        "\"\u{1f600}\":\"Emoji: Grinning Face\",",
        "\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}",
    );
    assert_eq!(canon(&input), expected);
}

#[test]
#[allow(clippy::excessive_precision)] // the RFC's input, verbatim
fn rfc8785_main_example() {
    // RFC 8785 §3.2.2. The numbers are Rust literals: serde_json's default
    // parser (without its `float_roundtrip` feature) reads 333333333.33333329
    // one ulp off.
    let input = json!({
        "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u{20ac}$\u{000F}\u{000a}A'\u{0042}\u{0022}\u{005c}\\\"/",
        "literals": [null, true, false]
    });
    assert_eq!(
        canon(&input),
        r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
    );
}
