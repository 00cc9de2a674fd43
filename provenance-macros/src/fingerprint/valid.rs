//! Rules that span several options or items: options that conflict, and
//! names that two fields (or variants) would share in the fingerprint.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{Attribute, Path};

use super::ast::{Body, Field, Input, Struct, Style, Variant};
use crate::attr::{Given, skip_value};
use crate::ctxt::Ctxt;

pub(crate) fn check(cx: &mut Ctxt, input: &Input) {
    match &input.body {
        Some(Body::Struct(data)) => {
            check_repr_packed(cx, &input.original.attrs);
            check_struct(cx, data);
        }
        Some(Body::Enum(variants)) => {
            for variant in variants {
                check_struct(cx, &variant.payload);
            }
            check_variant_names(cx, variants);
        }
        None => {}
    }
}

fn check_struct(cx: &mut Ctxt, data: &Struct) {
    for field in &data.fields {
        check_field(cx, field, data.style);
    }
    check_field_names(cx, data);
}

fn check_field(cx: &mut Ctxt, field: &Field, style: Style) {
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
fn later_keyword<'a, A, B>(a: &'a Given<A>, b: &'a Given<B>) -> &'a Path {
    if a.position > b.position {
        &a.keyword
    } else {
        &b.keyword
    }
}

/// Two written fields with the same name (after `rename`) would make two
/// different values encode the same; the second one is the mistake.
fn check_field_names(cx: &mut Ctxt, data: &Struct) {
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

fn check_variant_names(cx: &mut Ctxt, variants: &[Variant]) {
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
fn check_repr_packed(cx: &mut Ctxt, attrs: &[Attribute]) {
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
            skip_value(&meta).map(drop)
        });
    }
}
