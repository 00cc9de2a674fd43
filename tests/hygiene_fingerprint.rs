//! `#[derive(Fingerprint)]` expands correctly where the names its output
//! could stumble on mean something else: std's prelude shadowed, modules
//! named `core`, `std`, `provenance` and `ith_provenance_runtime` in scope, and
//! traits with the encoder's method names in scope. Compiled with every
//! warning and clippy lint denied, so it is also the lint test.
#![deny(warnings, clippy::all, clippy::pedantic)]
#![deny(unused_qualifications, unused_results, trivial_casts, unused_lifetimes)]

use ith_provenance::{Fingerprint as _, fingerprint::Fingerprinter};

fn by_hand(write: impl FnOnce(&mut Fingerprinter)) -> ith_provenance::Sha256Hash {
    let mut f = Fingerprinter::new();
    write(&mut f);
    f.finish()
}

#[allow(dead_code, non_camel_case_types, clippy::upper_case_acronyms)]
mod shadowed {
    // Every prelude name the generated code might lean on, as something else.
    pub struct Result;
    pub struct Ok;
    pub struct Err;
    pub struct Option;
    pub struct Some;
    pub struct None;
    pub struct Vec;
    pub struct String;
    pub struct Box;
    pub mod core {}
    pub mod std {}
    pub trait Fingerprint {}
    pub struct Fingerprinter;

    /// Methods named like the encoder's, on every type: inherent methods
    /// must still win.
    pub trait Encoderish {
        fn field(self, name: &str, value: u8) -> Self;
        fn element(self, value: u8) -> Self;
        fn finish(self);
        fn begin_struct(&mut self, n: usize);
        fn write_fingerprint(&self, f: u8);
    }

    impl<T> Encoderish for T {
        fn field(self, _: &str, _: u8) -> Self {
            self
        }
        fn element(self, _: u8) -> Self {
            self
        }
        fn finish(self) {}
        fn begin_struct(&mut self, _: usize) {}
        fn write_fingerprint(&self, _: u8) {}
    }

    pub mod nested {
        #![allow(clippy::module_inception)]
        pub use super::*;

        // The crate names, taken by local modules.
        pub mod ith_provenance_runtime {}
        pub mod provenance {}
        pub mod ith_provenance {}

        // The derive must come from the real crate; the name in scope is the module.
        use ::ith_provenance::Fingerprint;

        #[derive(Fingerprint)]
        pub struct Config {
            pub lr: f64,
            pub layers: ::std::vec::Vec<u32>,
            pub name: ::std::string::String,
            pub maybe: ::core::option::Option<u8>,
        }

        #[derive(Fingerprint)]
        pub struct Pair<T, U>(pub T, #[fingerprint(skip)] pub U);

        #[derive(Fingerprint)]
        pub enum Choice<'a, T>
        where
            T: ::core::clone::Clone,
        {
            Unit,
            Tuple(T, &'a str),
            Struct {
                #[fingerprint(rename = "x")]
                renamed: u8,
                #[fingerprint(with = write_doubled)]
                doubled: u8,
                #[fingerprint(skip)]
                ignored: u8,
            },
        }

        // `with` functions take the field by reference, whatever its size.
        #[allow(clippy::trivially_copy_pass_by_ref)]
        pub fn write_doubled(value: &u8, f: &mut ::ith_provenance::fingerprint::Fingerprinter) {
            f.write_u16(u16::from(*value) * 2);
        }

        #[derive(Fingerprint)]
        pub enum Never {}

        #[derive(Fingerprint)]
        pub struct Marker;

        /// The runtime's own path, spelled as the crate itself names it.
        #[derive(Fingerprint)]
        #[fingerprint(crate = "::ith_provenance")]
        pub struct Explicit {
            pub value: u8,
        }
    }
}

use shadowed::nested::{Choice, Config, Explicit, Marker, Pair};

/// Types declared by a `macro_rules!`, with the field types and names coming
/// from the macro's caller: tokens of two hygiene contexts in one input.
macro_rules! declare {
    ($name:ident, $field:ident: $ty:ty, $variant:ident($elem:ty)) => {
        #[derive(::ith_provenance::Fingerprint)]
        struct $name {
            $field: $ty,
            local: u8,
        }

        #[derive(::ith_provenance::Fingerprint)]
        enum Wrapped {
            $variant($elem),
            Other { $field: $ty },
        }
    };
}

declare!(Declared, rate: f64, Held(String));

#[test]
fn derives_expand_inside_macro_rules() {
    let value = Declared {
        rate: 0.5,
        local: 1,
    };
    let expected = by_hand(|f| {
        f.begin_struct(2)
            .field("local", &1_u8)
            .field("rate", &0.5_f64)
            .finish();
    });
    assert_eq!(value.fingerprint(), expected);
    assert_eq!(
        Wrapped::Held("h".to_string()).fingerprint(),
        by_hand(|f| f.begin_tuple_variant("Held", 1).element("h").finish())
    );
    assert_eq!(
        Wrapped::Other { rate: 1.0 }.fingerprint(),
        by_hand(|f| f
            .begin_struct_variant("Other", 1)
            .field("rate", &1.0_f64)
            .finish())
    );
}

#[test]
fn derives_expand_among_shadowed_names() {
    let config = Config {
        lr: 0.5,
        layers: vec![1, 2],
        name: "n".to_string(),
        maybe: None,
    };
    let expected = by_hand(|f| {
        f.begin_struct(4)
            .field("layers", &[1_u32, 2])
            .field("lr", &0.5_f64)
            .field("maybe", &None::<u8>)
            .field("name", "n")
            .finish();
    });
    assert_eq!(config.fingerprint(), expected);

    assert_eq!(
        Pair(1_u8, ()).fingerprint(),
        by_hand(|f| f.begin_tuple_struct(1).element(&1_u8).finish())
    );

    let choice: Choice<'_, u8> = Choice::Struct {
        renamed: 1,
        doubled: 2,
        ignored: 3,
    };
    let expected = by_hand(|f| {
        f.begin_struct_variant("Struct", 2)
            .field("doubled", &4_u16)
            .field("x", &1_u8)
            .finish();
    });
    assert_eq!(choice.fingerprint(), expected);
    assert_eq!(
        Choice::Tuple(5_u8, "s").fingerprint(),
        by_hand(|f| f
            .begin_tuple_variant("Tuple", 2)
            .element(&5_u8)
            .element("s")
            .finish())
    );
    assert_eq!(
        Choice::<'_, u8>::Unit.fingerprint(),
        by_hand(|f| f.write_unit_variant("Unit"))
    );
    assert_eq!(
        Marker.fingerprint(),
        by_hand(Fingerprinter::write_unit_struct)
    );
    assert_eq!(
        Explicit { value: 9 }.fingerprint(),
        by_hand(|f| f.begin_struct(1).field("value", &9_u8).finish())
    );
}
