//! `#[fingerprint(...)]`'s grammar and the options it gives each item, read
//! with the crate's attribute toolkit (`crate::attr`). Rules that involve
//! two options live in `valid.rs`.

use syn::{Attribute, LitStr, Path};

use crate::attr::{Given, Grammar, OptionSpec, Place, Value, parse_attrs};
use crate::ctxt::Ctxt;
use crate::path::default_crate_path;

/// `#[fingerprint(...)]` on the type, a variant, or a field.
static FINGERPRINT: Grammar = Grammar {
    name: "fingerprint",
    places: &[CONTAINER, VARIANT, FIELD],
};

const CRATE: OptionSpec = OptionSpec {
    name: "crate",
    value: Value::Str("my_crate::provenance"),
};

const CONTAINER: Place = Place {
    item: "a struct or enum",
    options: &[CRATE],
    why_not: &[(
        "rename",
        ": the type's name is not part of its fingerprint, so it needs none",
    )],
};

const VARIANT: Place = Place {
    item: "a variant",
    options: &[OptionSpec {
        name: "rename",
        value: Value::Str("OldName"),
    }],
    why_not: &[],
};

const FIELD: Place = Place {
    item: "a field",
    options: &[
        OptionSpec {
            name: "skip",
            value: Value::Flag,
        },
        OptionSpec {
            name: "with",
            value: Value::Path("path::to::function"),
        },
        OptionSpec {
            name: "rename",
            value: Value::Str("old_name"),
        },
    ],
    why_not: &[],
};

/// Why `rename` must not be empty, after "`rename` must not be empty".
const RENAME_NOT_EMPTY: &str = ": the name is what identifies the value in the fingerprint";

/// Options of the struct or enum itself.
pub(crate) struct Container {
    /// The path generated code reaches the runtime through.
    pub krate: Path,
}

/// Options of an enum variant.
#[derive(Default)]
pub(crate) struct Variant {
    pub rename: Option<Given<LitStr>>,
}

/// Options of a field.
#[derive(Default)]
pub(crate) struct Field {
    pub skip: Option<Given<()>>,
    pub with: Option<Given<Path>>,
    pub rename: Option<Given<LitStr>>,
}

pub(crate) fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> Container {
    let mut krate = None;
    parse_attrs(cx, attrs, &FINGERPRINT, &CONTAINER, |cx, opt| {
        if let Some(path) = opt.string_path(cx)? {
            opt.set(cx, &mut krate, path);
        }
        Ok(())
    });
    Container {
        krate: krate.map_or_else(default_crate_path, |given| given.value),
    }
}

pub(crate) fn variant(cx: &mut Ctxt, attrs: &[Attribute]) -> Variant {
    let mut variant = Variant::default();
    parse_attrs(cx, attrs, &FINGERPRINT, &VARIANT, |cx, opt| {
        if let Some(name) = opt.non_empty_string(cx, RENAME_NOT_EMPTY)? {
            opt.set(cx, &mut variant.rename, name);
        }
        Ok(())
    });
    variant
}

pub(crate) fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> Field {
    let mut field = Field::default();
    parse_attrs(cx, attrs, &FINGERPRINT, &FIELD, |cx, opt| {
        match opt.name() {
            "skip" => {
                if opt.flag(cx)? {
                    opt.set(cx, &mut field.skip, ());
                }
            }
            "with" => {
                if let Some(path) = opt.path(cx)? {
                    opt.set(cx, &mut field.with, path);
                }
            }
            _ => {
                if let Some(name) = opt.non_empty_string(cx, RENAME_NOT_EMPTY)? {
                    opt.set(cx, &mut field.rename, name);
                }
            }
        }
        Ok(())
    });
    field
}
