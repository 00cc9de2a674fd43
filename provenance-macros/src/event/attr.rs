//! Parsing `#[event(...)]` (with the crate's attribute toolkit,
//! `crate::attr`) and the `#[serde(...)]` attributes that change which
//! fields an event writes and under which names.
//!
//! Only syntax is checked here (unknown options, repeated options, values
//! of the wrong kind); rules about what the values mean live in `valid`.
//! Malformed `#[serde]` attributes are left to serde_derive to report.
//!
//! Why `#[serde]` is read here rather than with `serde_derive_internals`
//! (tried for issue 23): its attributes answer `flatten()`, `transparent()`
//! and `tag()` with a `bool` or an enum, without the tokens they were written
//! as, so our errors for them could no longer point at the offending keyword
//! (only at the field or the struct); reading the spans again by hand would
//! be a second `#[serde]` parser beside it. Its `Ctxt` also reports the
//! serde errors serde_derive already reports, and panics unless checked;
//! and it is an unstable 0.x crate released apart from the serde_derive the
//! user builds with. Its compile cost (about a second) was not the reason.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr, Token};

use crate::attr::{
    Given, Grammar, OptionSpec, Place, Value, misplaced_attribute, parse_attrs, skip_value,
};
use crate::ctxt::Ctxt;

/// `#[event(...)]`, which only the struct takes.
static EVENT: Grammar = Grammar {
    name: "event",
    places: &[STRUCT],
};

const STRUCT: Place = Place {
    item: "a struct",
    options: &[
        OptionSpec {
            name: "name",
            value: Value::Str("training.checkpoint"),
        },
        OptionSpec {
            name: "version",
            value: Value::Int("1"),
        },
        OptionSpec {
            name: "crate",
            value: Value::Str("my_crate::provenance"),
        },
    ],
    why_not: &[],
};

/// What the container's attributes say.
#[derive(Default)]
pub(crate) struct Container {
    /// The first `#[event(...)]` attribute, for errors about what it lacks.
    pub event_attr: Option<TokenStream>,
    /// Whether some `#[event]` attribute was malformed, or gave `name` a
    /// value of the wrong kind (then a missing name is not reported on top).
    pub event_attr_broken: bool,
    pub name: Option<Given<LitStr>>,
    /// The version, when it is a positive `u32`.
    pub version: Option<Given<u32>>,
    pub crate_path: Option<Given<syn::Path>>,
    pub serde: SerdeContainer,
}

/// `#[serde(...)]` on the struct.
#[derive(Default)]
pub(crate) struct SerdeContainer {
    /// `rename_all` (or `rename_all(serialize = …)`).
    pub rename_all: Option<LitStr>,
    /// `default`: every field may be missing when read.
    pub default: bool,
    /// Options that make the written JSON something other than this
    /// struct's fields: `transparent`, `into`, `tag`.
    pub reshaping: Vec<TokenStream>,
}

/// What a field's attributes say.
#[derive(Default)]
pub(crate) struct Field {
    /// `rename` (or `rename(serialize = …)`).
    pub rename: Option<LitStr>,
    /// `skip` or `skip_serializing`: never written.
    pub skip: bool,
    /// `skip_serializing_if`: written only sometimes.
    pub skip_serializing_if: bool,
    /// `default`: may be missing when read.
    pub default: bool,
    /// `flatten`, which `valid` rejects.
    pub flatten: Option<TokenStream>,
    /// `with` or `serialize_with`, which `valid` rejects.
    pub serialize_with: Option<TokenStream>,
}

pub(crate) fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> Container {
    let mut out = Container {
        event_attr: attrs
            .iter()
            .find(|attr| attr.path().is_ident(EVENT.name))
            .map(ToTokens::to_token_stream),
        ..Container::default()
    };
    let well_formed = parse_attrs(cx, attrs, &EVENT, &STRUCT, |cx, opt| {
        match opt.name() {
            "name" => match opt.string(cx)? {
                Some(name) => opt.set(cx, &mut out.name, name),
                // Given, if wrongly: not also reported as missing.
                None => out.event_attr_broken = true,
            },
            "version" => {
                if let Some((_, version)) = opt.int(cx, "u32", 1, u32::MAX.into())? {
                    let version = u32::try_from(version).unwrap_or(u32::MAX);
                    opt.set(cx, &mut out.version, version);
                }
            }
            _ => {
                if let Some(path) = opt.string_path(cx)? {
                    opt.set(cx, &mut out.crate_path, path);
                }
            }
        }
        Ok(())
    });
    out.event_attr_broken |= !well_formed;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        // Malformed `#[serde]` attributes are serde_derive's to report.
        let _ = attr.parse_nested_meta(|meta| serde_container(&mut out.serde, &meta));
    }
    out
}

/// One option of the struct's `#[serde(...)]`: only those that change the
/// written fields are kept (see the module doc for why this is not
/// `serde_derive_internals`).
fn serde_container(out: &mut SerdeContainer, meta: &ParseNestedMeta) -> syn::Result<()> {
    let path = &meta.path;
    if path.is_ident("rename_all") {
        if let Some(rule) = serialize_name(meta)? {
            out.rename_all = Some(rule);
        }
    } else if path.is_ident("default") {
        out.default = true;
        skip_value(meta)?;
    } else if path.is_ident("transparent") || path.is_ident("into") || path.is_ident("tag") {
        out.reshaping.push(path.to_token_stream());
        skip_value(meta)?;
    } else {
        skip_value(meta)?;
    }
    Ok(())
}

pub(crate) fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> Field {
    let mut out = Field::default();
    for attr in attrs {
        if attr.path().is_ident(EVENT.name) {
            misplaced_attribute(
                cx,
                attr,
                &EVENT,
                "a field",
                "fields take #[serde(...)] attributes",
            );
        } else if attr.path().is_ident("serde") {
            let _ = attr.parse_nested_meta(|meta| serde_field(&mut out, &meta));
        }
    }
    out
}

fn serde_field(out: &mut Field, meta: &ParseNestedMeta) -> syn::Result<()> {
    let path = &meta.path;
    if path.is_ident("rename") {
        if let Some(name) = serialize_name(meta)? {
            out.rename = Some(name);
        }
        return Ok(());
    }
    if path.is_ident("skip") || path.is_ident("skip_serializing") {
        out.skip = true;
    } else if path.is_ident("skip_serializing_if") {
        out.skip_serializing_if = true;
    } else if path.is_ident("default") {
        out.default = true;
    } else if path.is_ident("flatten") {
        out.flatten = Some(path.to_token_stream());
    } else if path.is_ident("with") || path.is_ident("serialize_with") {
        out.serialize_with = Some(path.to_token_stream());
    }
    skip_value(meta).map(drop)
}

/// The serializing side of `key = "…"` or `key(serialize = "…", deserialize = "…")`.
fn serialize_name(meta: &ParseNestedMeta) -> syn::Result<Option<LitStr>> {
    if meta.input.peek(Token![=]) {
        return meta.value()?.parse().map(Some);
    }
    let mut name = None;
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("serialize") {
            name = Some(inner.value()?.parse()?);
        } else {
            skip_value(&inner)?;
        }
        Ok(())
    })?;
    Ok(name)
}

/// A serde `rename_all` rule applied to a field name, as serde does; `None`
/// for a rule serde does not know (serde_derive reports it).
pub(crate) fn apply_rename_all(rule: &str, field: &str) -> Option<String> {
    let pascal = || {
        let mut out = String::new();
        let mut capitalize = true;
        for ch in field.chars() {
            if ch == '_' {
                capitalize = true;
            } else if capitalize {
                out.push(ch.to_ascii_uppercase());
                capitalize = false;
            } else {
                out.push(ch);
            }
        }
        out
    };
    Some(match rule {
        "lowercase" | "snake_case" => field.to_string(),
        "UPPERCASE" | "SCREAMING_SNAKE_CASE" => field.to_ascii_uppercase(),
        "PascalCase" => pascal(),
        "camelCase" => {
            let pascal = pascal();
            let mut chars = pascal.chars();
            match chars.next() {
                Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                None => pascal,
            }
        }
        "kebab-case" => field.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => field.to_ascii_uppercase().replace('_', "-"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::apply_rename_all;

    /// The field forms serde's `RenameRule::apply_to_field` gives.
    #[test]
    fn rename_all_rules_match_serde() {
        let cases = [
            ("lowercase", "step_count"),
            ("snake_case", "step_count"),
            ("UPPERCASE", "STEP_COUNT"),
            ("SCREAMING_SNAKE_CASE", "STEP_COUNT"),
            ("PascalCase", "StepCount"),
            ("camelCase", "stepCount"),
            ("kebab-case", "step-count"),
            ("SCREAMING-KEBAB-CASE", "STEP-COUNT"),
        ];
        for (rule, want) in cases {
            assert_eq!(
                apply_rename_all(rule, "step_count").as_deref(),
                Some(want),
                "{rule}"
            );
        }
        assert_eq!(apply_rename_all("camelCase", "seq").as_deref(), Some("seq"));
        assert_eq!(apply_rename_all("Title Case", "seq"), None);
    }
}
