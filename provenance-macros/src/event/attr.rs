//! Parsing `#[event(...)]` and the `#[serde(...)]` attributes that change
//! which fields an event writes and under which names.
//!
//! Only syntax is checked here (unknown options, repeated options, values
//! of the wrong kind); rules about what the values mean live in `valid`.
//! Malformed `#[serde]` attributes are left to serde_derive to report.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::path::parse_crate_path;

/// The options `#[event(...)]` takes, as listed in error messages.
const OPTIONS: &str = "name = \"...\", version = N, crate = \"path\"";

/// What the container's attributes say.
#[derive(Default)]
pub(crate) struct Container {
    /// The first `#[event(...)]` attribute, for errors about what it lacks.
    pub event_attr: Option<TokenStream>,
    /// Whether some `#[event]` attribute failed to parse (then what it
    /// lacks is not reported on top).
    pub event_attr_broken: bool,
    pub name: Option<LitStr>,
    /// The version as written, with its value when it is a positive `u32`.
    pub version: Option<(Expr, Option<u32>)>,
    pub crate_path: Option<syn::Path>,
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
    /// An `#[event(...)]` on the field, which `valid` rejects.
    pub event_attr: Option<TokenStream>,
}

pub(crate) fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> Container {
    let mut out = Container::default();
    for attr in attrs {
        if attr.path().is_ident("event") {
            out.event_attr.get_or_insert_with(|| attr.to_token_stream());
            if let Err(e) = attr.parse_nested_meta(|meta| event_option(cx, &mut out, &meta)) {
                out.event_attr_broken = true;
                cx.syn_error(e);
            }
        } else if attr.path().is_ident("serde") {
            let _ = attr.parse_nested_meta(|meta| serde_container(&mut out.serde, &meta));
        }
    }
    out
}

fn event_option(cx: &mut Ctxt, out: &mut Container, meta: &ParseNestedMeta) -> syn::Result<()> {
    let path = &meta.path;
    if path.is_ident("name") {
        let value = meta.value()?.parse::<Expr>()?;
        let Expr::Lit(ExprLit {
            lit: Lit::Str(name),
            ..
        }) = value
        else {
            // Given, if wrongly: not also reported as missing.
            out.event_attr_broken = true;
            cx.error_spanned_by(
                &value,
                "the event name must be a string literal: name = \"training.checkpoint\"",
            );
            return Ok(());
        };
        set_once(cx, path, &mut out.name, name);
    } else if path.is_ident("version") {
        let value = meta.value()?.parse::<Expr>()?;
        let parsed = positive_u32(&value);
        if let Err(problem) = &parsed {
            cx.error_spanned_by(
                &value,
                format!("invalid event version: {problem}; the version is a positive integer literal (1, 2, … up to 4294967295): version = 1"),
            );
        }
        set_once(cx, path, &mut out.version, (value, parsed.ok()));
    } else if path.is_ident("crate") {
        let lit: LitStr = meta.value()?.parse()?;
        match parse_crate_path(&lit) {
            Ok(crate_path) => set_once(cx, path, &mut out.crate_path, crate_path),
            Err(e) => cx.syn_error(e),
        }
    } else {
        let shown = path.to_token_stream().to_string().replace(' ', "");
        cx.error_spanned_by(
            path,
            format!("unknown #[event] option `{shown}`; the options are {OPTIONS}"),
        );
        skip_value(meta)?;
    }
    Ok(())
}

/// Records `value` unless the option was already given.
fn set_once<T>(cx: &mut Ctxt, path: &syn::Path, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        let shown = path.to_token_stream().to_string();
        cx.error_spanned_by(
            path,
            format!("`{shown}` is given twice in #[event]; keep one"),
        );
    } else {
        *slot = Some(value);
    }
}

/// The value of `version = …` when it is an integer literal from 1 to
/// `u32::MAX` (with no suffix, or `u32`), else what is wrong with it.
fn positive_u32(value: &Expr) -> Result<u32, String> {
    let int = match value {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) => int,
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            ..
        }) => return Err("versions start at 1".into()),
        _ => return Err("it is not an integer literal".into()),
    };
    if !matches!(int.suffix(), "" | "u32") {
        return Err(format!(
            "the suffix `{}` makes it another type than u32",
            int.suffix()
        ));
    }
    match int.base10_parse::<u32>() {
        Ok(0) => Err("versions start at 1".into()),
        Ok(v) => Ok(v),
        Err(_) => Err(format!("{} is too large", int.base10_digits())),
    }
}

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

pub(crate) fn field(attrs: &[Attribute]) -> Field {
    let mut out = Field::default();
    for attr in attrs {
        if attr.path().is_ident("event") {
            out.event_attr.get_or_insert_with(|| attr.to_token_stream());
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
    skip_value(meta)
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

/// Consumes an option's `= value` or `(…)`, whatever it is.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
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
