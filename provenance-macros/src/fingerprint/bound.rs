//! The bounds the impl needs, inferred from the fields as serde_derive does:
//! `T: Fingerprint` for each type parameter a written field mentions, and
//! `T::Assoc: Fingerprint` for each associated type one uses.

use std::collections::BTreeSet;

use syn::visit_mut::{self, VisitMut};
use syn::{Generics, Ident, Path, TypePath, WherePredicate, parse_quote};

use super::ast::{Body, Field};

/// The input's generics with the inferred bounds added to its where-clause;
/// its own bounds, lifetimes and const parameters stay as written.
pub(crate) fn with_bounds(generics: &Generics, body: &Body, fingerprint: &Path) -> Generics {
    let params: BTreeSet<Ident> = generics
        .type_params()
        .map(|param| param.ident.clone())
        .collect();
    let mut generics = generics.clone();
    if params.is_empty() {
        return generics;
    }
    let mut find = FindTypeParams {
        params: &params,
        relevant: BTreeSet::new(),
        associated: Vec::new(),
    };
    for field in fields_needing_bounds(body) {
        // `syn` is built with `visit-mut` only; visiting a copy is cheap.
        let mut ty = field.ty.clone();
        find.visit_type_mut(&mut ty);
    }
    let FindTypeParams {
        relevant,
        associated,
        ..
    } = find;

    let mut predicates: Vec<WherePredicate> = generics
        .type_params()
        .filter(|param| relevant.contains(&param.ident))
        .map(|param| {
            let ident = &param.ident;
            parse_quote!(#ident: #fingerprint)
        })
        .collect();
    let mut seen = BTreeSet::new();
    for ty in associated {
        if seen.insert(quote::ToTokens::to_token_stream(&ty).to_string()) {
            predicates.push(parse_quote!(#ty: #fingerprint));
        }
    }
    generics.make_where_clause().predicates.extend(predicates);
    generics
}

/// The fields whose type must itself be `Fingerprint`: not the skipped ones,
/// nor those written by a `with` function.
fn fields_needing_bounds<'b>(body: &'b Body) -> Vec<&'b Field<'b>> {
    let payloads = match body {
        Body::Struct(data) => vec![data],
        Body::Enum(variants) => variants.iter().map(|variant| &variant.payload).collect(),
    };
    payloads
        .into_iter()
        .flat_map(|payload| payload.written_fields())
        .filter(|field| field.attrs.with.is_none())
        .collect()
}

struct FindTypeParams<'p> {
    params: &'p BTreeSet<Ident>,
    /// Parameters used as types themselves: `T`, `Vec<T>`, `&'a T`.
    relevant: BTreeSet<Ident>,
    /// Associated types of parameters: `T::Item`.
    associated: Vec<TypePath>,
}

impl VisitMut for FindTypeParams<'_> {
    fn visit_type_path_mut(&mut self, ty: &mut TypePath) {
        let path = &ty.path;
        if ty.qself.is_none()
            && path.leading_colon.is_none()
            && let Some(first) = path.segments.first()
            && self.params.contains(&first.ident)
        {
            if path.segments.len() == 1 {
                self.relevant.insert(first.ident.clone());
            } else {
                self.associated.push(ty.clone());
            }
            return;
        }
        // `PhantomData<T>` is a unit struct whatever `T` is.
        if path
            .segments
            .last()
            .is_some_and(|last| last.ident == "PhantomData")
        {
            return;
        }
        visit_mut::visit_type_path_mut(self, ty);
    }

    // A type macro's expansion is not known here.
    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}
