//! Rules that span several options or items: options that conflict, and
//! names that two fields (or variants) would share in the fingerprint.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{Attribute, Path};

use super::ast::{Body, Field, Input, Struct, Style, Variant};
use super::attr::Attr;
use crate::ctxt::Ctxt;

pub(crate) fn check(input: &Input, cx: &mut Ctxt) {
    match &input.body {
        Some(Body::Struct(data)) => {
            check_repr_packed(&input.original.attrs, cx);
            check_struct(data, cx);
        }
        Some(Body::Enum(variants)) => {
            for variant in variants {
                check_struct(&variant.payload, cx);
            }
            check_variant_names(variants, cx);
        }
        None => {}
    }
}

fn check_struct(data: &Struct, cx: &mut Ctxt) {
    for field in &data.fields {
        check_field(field, data.style, cx);
    }
    check_field_names(data, cx);
}

fn check_field(field: &Field, style: Style, cx: &mut Ctxt) {
    let attrs = &field.attrs;
    if let Some(skip) = &attrs.skip {
        if let Some(with) = &attrs.with {
            let later = later_keyword(skip, with);
            cx.error_spanned_by(
                later,
                "`skip` and `with` cannot be combined: a skipped field is not written at all",
            );
        }
        if let Some(rename) = &attrs.rename {
            let later = later_keyword(skip, rename);
            cx.error_spanned_by(
                later,
                "`skip` and `rename` cannot be combined: a skipped field has no name in the fingerprint",
            );
        }
    }
    if style == Style::Tuple
        && let Some(rename) = &attrs.rename
    {
        cx.error_spanned_by(
            &rename.keyword,
            "`rename` applies to named fields: a tuple field is identified by its position, not by a name",
        );
    }
}

/// The keyword of whichever of two options was written second.
fn later_keyword<'a, A, B>(a: &'a Attr<A>, b: &'a Attr<B>) -> &'a Path {
    if a.position > b.position {
        &a.keyword
    } else {
        &b.keyword
    }
}

/// Two written fields with the same name (after `rename`) would make two
/// different values encode the same; the second one is the mistake.
fn check_field_names(data: &Struct, cx: &mut Ctxt) {
    let mut seen: BTreeMap<String, &Field> = BTreeMap::new();
    for field in data.written_fields() {
        let Some(name) = field.name() else { continue };
        if let Some(first) = seen.get(&name) {
            let this = field.member.to_token_stream().to_string();
            let first = first.member.to_token_stream().to_string();
            cx.error_spanned_by(
                name_tokens(field),
                format!(
                    "field `{this}` would be written under the name `{name}`, which field \
                     `{first}` already has; give each field its own name in the fingerprint"
                ),
            );
        } else {
            seen.insert(name, field);
        }
    }
}

fn name_tokens(field: &Field) -> TokenStream {
    match &field.attrs.rename {
        Some(rename) => rename.value.to_token_stream(),
        None => field.member.to_token_stream(),
    }
}

fn check_variant_names(variants: &[Variant], cx: &mut Ctxt) {
    let mut seen: BTreeMap<String, &Variant> = BTreeMap::new();
    for variant in variants {
        let name = variant.name();
        if let Some(first) = seen.get(&name) {
            let tokens = match &variant.attrs.rename {
                Some(rename) => rename.value.to_token_stream(),
                None => variant.ident().to_token_stream(),
            };
            cx.error_spanned_by(
                tokens,
                format!(
                    "variant `{}` would be written under the name `{name}`, which variant \
                     `{}` already has; give each variant its own name in the fingerprint",
                    variant.ident(),
                    first.ident()
                ),
            );
        } else {
            seen.insert(name, variant);
        }
    }
}

/// The fields of a `#[repr(packed)]` struct cannot be borrowed, and the
/// encoder takes every field by reference.
fn check_repr_packed(attrs: &[Attribute], cx: &mut Ctxt) {
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("repr")) {
        // A malformed `repr` is rustc's to report; only look for `packed`.
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("packed") {
                cx.error_spanned_by(
                    &meta.path,
                    "#[derive(Fingerprint)] does not support #[repr(packed)] structs: their \
                     fields cannot be borrowed; implement Fingerprint by hand, copying each field",
                );
            }
            if meta.input.peek(syn::token::Paren) {
                let _content;
                syn::parenthesized!(_content in meta.input);
            }
            Ok(())
        });
    }
}
