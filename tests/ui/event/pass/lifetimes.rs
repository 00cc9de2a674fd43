//! Borrowed fields: the impl keeps the lifetimes, the registry records the
//! `'static` instance.

use std::borrow::Cow;

use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "test.borrowed", version = 1)]
struct Borrowed<'a, 'b: 'a>
where
    'b: 'a,
{
    name: &'a str,
    bytes: &'b [u8],
    label: Cow<'a, str>,
    nested: Option<&'a Vec<&'b str>>,
}

fn main() {
    let text = String::from("x");
    let event = Borrowed {
        name: &text,
        bytes: b"ab",
        label: Cow::Borrowed("l"),
        nested: None,
    };
    assert_eq!(serde_json::to_value(&event).unwrap()["name"], "x");
    assert_eq!(
        Borrowed::payload_schema()["properties"]["name"]["type"],
        "string"
    );
    let listed = ith_provenance::schemas().unwrap();
    assert!(
        listed
            .iter()
            .any(|s| s.name == "test.borrowed" && s.type_name.ends_with("::Borrowed"))
    );
}
