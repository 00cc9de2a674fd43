//! `#[derive(Event)]`'s generated code names only `::core`, `::std` and
//! `::ith_provenance::__private` paths, so it compiles whatever the user's
//! scope shadows, and is clean under the strictest lints a user may set,
//! `forbid(unsafe_code)` included (the registry's `inventory` code is
//! another crate's macro).
#![forbid(unsafe_code)]
#![deny(warnings, clippy::all, clippy::pedantic)]
#![allow(clippy::struct_field_names)]

mod shadowing {
    #![allow(dead_code, non_camel_case_types, unused_macros, clippy::pedantic)]

    // Everything the generated code could name without a leading `::`.
    type Result = ();
    struct Ok;
    struct Err;
    type Option<T> = (T,);
    struct Some;
    type Vec = ();
    type String = ();
    type Box = ();
    type Value = ();
    type bool = ();
    type u32 = ();
    trait Event {}
    trait FieldSchema {}
    trait Serialize {}
    mod core {}
    mod std {}
    mod provenance {}
    mod ith_provenance {}
    mod ith_provenance_runtime {}
    mod serde_json {}
    mod inventory {}
    mod __private {}
    macro_rules! concat {
        () => {};
    }
    macro_rules! module_path {
        () => {};
    }

    pub(super) mod nested {
        mod provenance {}
        mod ith_provenance {}
        mod ith_provenance_runtime {}

        /// A user's event, deep in a module that shadows the facade's name.
        #[derive(::serde::Serialize, ::ith_provenance::Event)]
        #[event(name = "hygiene.shadowed", version = 1)]
        pub struct Shadowed<'a> {
            pub name: &'a ::core::primitive::str,
            pub count: ::core::primitive::u64,
            pub items: ::std::vec::Vec<::std::string::String>,
            pub maybe: ::core::option::Option<::core::primitive::f64>,
        }
    }

    #[derive(::serde::Serialize, ::ith_provenance::Event)]
    #[event(name = "hygiene.empty", version = 2)]
    pub(super) struct Empty {}
}

/// An event under every lint: documented, public, all field kinds.
#[derive(Debug, serde::Serialize, ith_provenance::Event)]
#[event(name = "hygiene.linted", version = 1)]
pub struct Linted {
    /// A count.
    pub count: u64,
    /// A note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[test]
fn derived_code_compiles_against_shadowed_names_and_strict_lints() {
    use ith_provenance::Event;

    assert_eq!(shadowing::nested::Shadowed::EVENT_TYPE, "hygiene.shadowed");
    assert_eq!(
        shadowing::nested::Shadowed::payload_schema()["required"],
        serde_json::json!(["name", "count", "items", "maybe"])
    );
    assert_eq!(shadowing::Empty::VERSION, 2);
    assert_eq!(
        Linted::payload_schema()["required"],
        serde_json::json!(["count"])
    );
    let names: Vec<&str> = ith_provenance::schemas()
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .filter(|n| n.starts_with("hygiene."))
        .collect();
    assert_eq!(
        names,
        ["hygiene.empty", "hygiene.linted", "hygiene.shadowed"]
    );
}
