//! Parses `#[fingerprint(...)]` attributes: one option at a time, each error
//! on the option's own tokens. Rules that involve two options live in
//! `valid.rs`.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, ExprLit, ExprPath, Lit, LitStr, Path, Token};

use crate::ctxt::Ctxt;
use crate::path::{default_crate_path, parse_crate_path};

/// Where an attribute sits, which decides the options it accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Container,
    Variant,
    Field,
}

impl Target {
    fn options(self) -> &'static [&'static str] {
        match self {
            Target::Container => &["crate"],
            Target::Variant => &["rename"],
            Target::Field => &["skip", "with", "rename"],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Target::Container => "a struct or enum",
            Target::Variant => "a variant",
            Target::Field => "a field",
        }
    }
}

/// One option as written: its keyword (where errors about it point), its
/// value, and its position among the options of the same item, so a rule
/// that two options conflict can point at whichever came second.
pub(crate) struct Attr<T> {
    pub keyword: Path,
    pub value: T,
    pub position: usize,
}

/// Options of the struct or enum itself.
pub(crate) struct Container {
    /// The path generated code reaches the runtime through.
    pub krate: Path,
}

/// Options of an enum variant.
#[derive(Default)]
pub(crate) struct Variant {
    pub rename: Option<Attr<LitStr>>,
}

/// Options of a field.
#[derive(Default)]
pub(crate) struct Field {
    pub skip: Option<Attr<()>>,
    pub with: Option<Attr<Path>>,
    pub rename: Option<Attr<LitStr>>,
}

pub(crate) fn container(attrs: &[Attribute], cx: &mut Ctxt) -> Container {
    let mut krate: Option<Attr<Path>> = None;
    let mut position = 0;
    for_each_option(attrs, cx, |cx, meta| {
        let keyword = meta.path.clone();
        if keyword.is_ident("crate") {
            let value = parse_value(cx, &meta, "crate", CRATE_SYNTAX)?;
            let path = value.and_then(|value| match &value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(lit), ..
                }) => match parse_crate_path(lit) {
                    Ok(path) => Some(path),
                    Err(error) => {
                        cx.syn_error(error);
                        None
                    }
                },
                other => {
                    cx.error_spanned_by(other, format!("`crate` takes a string: {CRATE_SYNTAX}"));
                    None
                }
            });
            if let Some(path) = path {
                set_once(cx, &mut krate, &keyword, path, &mut position);
            }
        } else {
            unknown_option(cx, &meta, Target::Container);
        }
        Ok(())
    });
    Container {
        krate: krate.map_or_else(default_crate_path, |option| option.value),
    }
}

pub(crate) fn variant(attrs: &[Attribute], cx: &mut Ctxt) -> Variant {
    let mut variant = Variant::default();
    let mut position = 0;
    for_each_option(attrs, cx, |cx, meta| {
        let keyword = meta.path.clone();
        if keyword.is_ident("rename") {
            if let Some(name) = parse_rename(cx, &meta, VARIANT_RENAME_SYNTAX)? {
                set_once(cx, &mut variant.rename, &keyword, name, &mut position);
            }
        } else {
            unknown_option(cx, &meta, Target::Variant);
        }
        Ok(())
    });
    variant
}

pub(crate) fn field(attrs: &[Attribute], cx: &mut Ctxt) -> Field {
    let mut field = Field::default();
    let mut position = 0;
    for_each_option(attrs, cx, |cx, meta| {
        let keyword = meta.path.clone();
        if keyword.is_ident("skip") {
            if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
                let value = skip_value(&meta)?;
                cx.error_spanned_by(
                    quote::quote!(#keyword #value),
                    "`skip` takes no value: write #[fingerprint(skip)]",
                );
            } else {
                set_once(cx, &mut field.skip, &keyword, (), &mut position);
            }
        } else if keyword.is_ident("with") {
            if let Some(path) = parse_with(cx, &meta)? {
                set_once(cx, &mut field.with, &keyword, path, &mut position);
            }
        } else if keyword.is_ident("rename") {
            if let Some(name) = parse_rename(cx, &meta, FIELD_RENAME_SYNTAX)? {
                set_once(cx, &mut field.rename, &keyword, name, &mut position);
            }
        } else {
            unknown_option(cx, &meta, Target::Field);
        }
        Ok(())
    });
    field
}

const CRATE_SYNTAX: &str = "crate = \"my_crate::provenance\"";
const WITH_SYNTAX: &str = "with = path::to::function, a `fn(&FieldType, &mut Fingerprinter)`";
const FIELD_RENAME_SYNTAX: &str = "rename = \"old_name\"";
const VARIANT_RENAME_SYNTAX: &str = "rename = \"OldName\"";

/// Runs `parse` on every option of every `#[fingerprint(...)]` in `attrs`.
/// `parse` records its own mistakes and keeps going; an `Err` from it (tokens
/// it cannot make sense of) ends that one attribute, with the error recorded.
fn for_each_option(
    attrs: &[Attribute],
    cx: &mut Ctxt,
    mut parse: impl FnMut(&mut Ctxt, ParseNestedMeta) -> syn::Result<()>,
) {
    for attr in attrs {
        if !attr.path().is_ident("fingerprint") {
            continue;
        }
        if let syn::Meta::Path(_) | syn::Meta::NameValue(_) = attr.meta {
            cx.error_spanned_by(
                attr,
                "write the options in parentheses: #[fingerprint(option, ...)]",
            );
            continue;
        }
        // The closure borrows `cx` for the options' own errors; the syntax
        // error that stops an attribute is recorded after.
        let result = attr.parse_nested_meta(|meta| parse(cx, meta));
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
}

/// Stores the first `value` of an option, and reports any repeat on the
/// repeat's keyword.
fn set_once<T>(
    cx: &mut Ctxt,
    slot: &mut Option<Attr<T>>,
    keyword: &Path,
    value: T,
    position: &mut usize,
) {
    if slot.is_some() {
        let name = keyword.to_token_stream().to_string();
        cx.error_spanned_by(keyword, format!("duplicate `{name}` option"));
        return;
    }
    *position += 1;
    *slot = Some(Attr {
        keyword: keyword.clone(),
        value,
        position: *position,
    });
}

/// The `= value` of an option that needs one, or `None` (with the error
/// recorded) when it is missing.
fn parse_value(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta,
    name: &str,
    syntax: &str,
) -> syn::Result<Option<Expr>> {
    if !meta.input.peek(Token![=]) {
        skip_value(meta)?;
        cx.error_spanned_by(&meta.path, format!("`{name}` needs a value: {syntax}"));
        return Ok(None);
    }
    Ok(Some(meta.value()?.parse::<Expr>()?))
}

fn parse_rename(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta,
    syntax: &str,
) -> syn::Result<Option<LitStr>> {
    let Some(value) = parse_value(cx, meta, "rename", syntax)? else {
        return Ok(None);
    };
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) if lit.value().is_empty() => {
            cx.error_spanned_by(
                &lit,
                "`rename` needs a non-empty name: the name is what identifies the value in the fingerprint",
            );
            Ok(None)
        }
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Ok(Some(lit)),
        other => {
            cx.error_spanned_by(&other, format!("`rename` takes a string: {syntax}"));
            Ok(None)
        }
    }
}

/// `with = path` or, as serde writes it, `with = "path"`.
fn parse_with(cx: &mut Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Path>> {
    let Some(value) = parse_value(cx, meta, "with", WITH_SYNTAX)? else {
        return Ok(None);
    };
    match value {
        Expr::Path(ExprPath {
            qself: None, path, ..
        }) => Ok(Some(path)),
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => match lit.parse::<Path>() {
            Ok(path) => Ok(Some(path)),
            Err(_) => {
                cx.error_spanned_by(
                    &lit,
                    format!(
                        "`with = {:?}` is not a path; write {WITH_SYNTAX}",
                        lit.value()
                    ),
                );
                Ok(None)
            }
        },
        other => {
            cx.error_spanned_by(
                &other,
                format!("`with` takes the path of a function: {WITH_SYNTAX}"),
            );
            Ok(None)
        }
    }
}

/// Consumes whatever follows an option's keyword (`= expr` or `(...)`), so
/// the options after a bad one are still parsed. Returns the tokens consumed.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<TokenStream> {
    if meta.input.peek(Token![=]) {
        let eq: Token![=] = meta.input.parse()?;
        let value: Expr = meta.input.parse()?;
        Ok(quote::quote!(#eq #value))
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        let paren = syn::parenthesized!(content in meta.input);
        let inner: TokenStream = content.parse()?;
        let mut tokens = TokenStream::new();
        paren.surround(&mut tokens, |tokens| tokens.extend(inner));
        Ok(tokens)
    } else {
        Ok(TokenStream::new())
    }
}

fn unknown_option(cx: &mut Ctxt, meta: &ParseNestedMeta, target: Target) {
    // Keep parsing the options after this one.
    if let Err(error) = skip_value(meta) {
        cx.syn_error(error);
        return;
    }
    let name = meta.path.to_token_stream().to_string().replace(' ', "");
    let valid = target
        .options()
        .iter()
        .map(|option| format!("`{option}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let elsewhere = [Target::Container, Target::Variant, Target::Field]
        .into_iter()
        .find(|other| *other != target && other.options().contains(&name.as_str()));
    let message = if target == Target::Container && name == "rename" {
        format!(
            "the type's name is not part of its fingerprint, so it needs no `rename`; \
             on {} the valid options are: {valid}",
            target.name()
        )
    } else if let Some(other) = elsewhere {
        format!(
            "`{name}` is an option of {}, not of {}; here the valid options are: {valid}",
            other.name(),
            target.name()
        )
    } else {
        format!(
            "unknown fingerprint option `{name}`; on {} the valid options are: {valid}",
            target.name()
        )
    };
    cx.error_spanned_by(&meta.path, message);
}
