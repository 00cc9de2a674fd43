//! The tape against serde_json: the same values, the same errors, and the
//! quick tokenizer's tape bit for bit the visitor's.

use proptest::prelude::{Just, Strategy, any, prop, prop_oneof};
use serde_json::Value;

use super::*;

fn same_as_serde(text: &str) {
    let mut tape = Tape::default();
    let fast = tape.parse(text).map(|d| d.root().to_value());
    let slow = serde_json::from_str::<Value>(text);
    match (fast, slow) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{text}"),
        (a, b) => panic!("{text}: tape {a:?}, serde_json {b:?}"),
    }
}

#[test]
fn builds_the_same_value_and_errors_as_serde_json() {
    for text in [
        r#"{"a":[1,-2,3.5,1e3,-0,18446744073709551615,18446744073709551616],"b":{"c":null,"d":true}}"#,
        r#"{"k\n":"v\u00e9\"","k\n":"dup","x":[[],{}]}"#,
        r#"  "s"  "#,
        "[1,2",
        "{\"a\":1}x",
        "1e400",
        r#""\ud800""#,
        "-",
        "[01]",
        &"[".repeat(200),
    ] {
        same_as_serde(text);
    }
}

#[test]
fn get_returns_the_last_duplicate() {
    let mut tape = Tape::default();
    let doc = tape.parse(r#"{"a":1,"b":"x","a":2}"#).unwrap();
    assert_eq!(doc.root().get("a").unwrap().as_u64(), Some(2));
    assert_eq!(doc.root().get("b").unwrap().as_str(), Some("x"));
    assert!(doc.root().get("c").is_none());
}

/// The quick tokenizer must build exactly serde_json's tape, or step
/// aside: nodes, payload keys and envelope slots compared as bits.
fn quick_is_serde(text: &str) {
    let mut quick = Tape::default();
    let mut serde = Tape::default();
    let a = quick.parse(text).map(|_| ());
    let b = serde.parse_with_serde(text).map(|_| ());
    match (a, b) {
        (Ok(()), Ok(())) => {
            let bits = |t: &Tape| {
                t.nodes
                    .iter()
                    .map(|n| match n {
                        Node::F64(f) => format!("F64({:x})", f.to_bits()),
                        other => format!("{other:?}"),
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(&quick), bits(&serde), "{text:?}");
            assert_eq!(quick.payload_keys, serde.payload_keys, "{text:?}");
            assert_eq!(quick.envelope, serde.envelope, "{text:?}");
            let value = |t: &mut Tape| t.parse(text).unwrap().root().to_value();
            assert_eq!(
                value(&mut quick),
                serde_json::from_str::<Value>(text).unwrap()
            );
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{text:?}"),
        (a, b) => panic!("{text:?}: parse {a:?}, serde_json {b:?}"),
    }
}

#[test]
fn the_quick_tokenizer_agrees_on_tricky_text() {
    for text in [
        "{}",
        "[]",
        " { \"ts\" : 1 ,\"a\":[ 1 , -2 ]}\r\n",
        "{\"a\":1,}",
        "[1,]",
        "[01]",
        "[-0]",
        "[-0.0]",
        "[1.]",
        "[.5]",
        "[+1]",
        "[1e]",
        "[1E+2,1e-2,2.5e308,1e400,-1e400,1e-400]",
        "[9223372036854775808,-9223372036854775808,-9223372036854775809]",
        "[18446744073709551615,18446744073709551616,99999999999999999999]",
        "[1234567890123456789,-1234567890123456789]",
        "[0.1,0.30000000000000004,2.2250738585072014e-308,4.9e-324]",
        "[\"a\\nb\",\"\\u0000\",\"\\ud800\"]",
        "[\"tab\there\"]",
        "[\"\u{e9}\u{1F600}\"]",
        "[true,false,null,tru,nul]",
        "{\"seq\":1,\"seq\":2,\"x\":{\"seq\":3}}",
        "{\"a\" 1}",
        "{1:2}",
        "\u{feff}{}",
        "{} x",
        "",
        "   ",
        &format!("{}1{}", "[".repeat(64), "]".repeat(64)),
        &format!("{}1{}", "[".repeat(65), "]".repeat(65)),
        &format!("{}1{}", "[".repeat(130), "]".repeat(130)),
        "\"abcdefghijklmnopqrstuvwxyz\"",
        "\"abcdefg\\\"hijklmnop\"",
        "\"abcdefghijklmn\u{1}op\"",
        "\"unterminated abcdefghijkl",
    ] {
        quick_is_serde(text);
    }
}

fn json_text() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| format!("{f:?}")),
        any::<f64>().prop_map(|f| format!("{f:e}")),
        "-?(0|[1-9][0-9]{0,22})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?",
        "[-+.eE0-9]{1,6}",
    ];
    let string = prop_oneof![
        "[a-z_ ]{0,20}",
        "[\\\\\"a-z\u{0}-\u{1f}\u{e9}\u{1F600}]{0,12}",
    ]
    .prop_map(|s| format!("\"{s}\""));
    let leaf = prop_oneof![
        number,
        string.clone(),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("fals".to_string()),
    ];
    let ws = prop_oneof![
        Just(""),
        Just(" "),
        Just("\t"),
        Just("\r\n"),
        Just("\u{a0}")
    ];
    leaf.prop_recursive(4, 40, 5, move |inner| {
        let ws = ws.clone();
        prop_oneof![
            (prop::collection::vec(inner.clone(), 0..5), ws.clone())
                .prop_map(|(items, w)| format!("[{w}{}]", items.join(&format!(",{w}")))),
            (
                prop::collection::vec(
                    (
                        prop_oneof![
                            Just("\"seq\"".to_string()),
                            Just("\"ts\"".to_string()),
                            string.clone()
                        ],
                        inner
                    ),
                    0..5
                ),
                ws
            )
                .prop_map(|(entries, w)| {
                    let entries: Vec<String> =
                        entries.iter().map(|(k, v)| format!("{k}{w}:{v}")).collect();
                    format!("{{{}}}", entries.join(","))
                }),
        ]
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

    #[test]
    fn the_quick_tokenizer_agrees_with_serde_json(text in json_text()) {
        quick_is_serde(&text);
    }

    #[test]
    fn the_quick_tokenizer_agrees_on_mutated_text(
        text in json_text(),
        at in any::<proptest::sample::Index>(),
        byte in proptest::prelude::any::<u8>(),
    ) {
        let mut bytes = text.into_bytes();
        let i = at.index(bytes.len() + 1);
        bytes.insert(i, byte);
        if let Ok(text) = String::from_utf8(bytes) {
            quick_is_serde(&text);
        }
    }
}
