//! Writes the `Fingerprint` impl: one `Fingerprinter` call per struct,
//! variant and field, with named fields sorted by name here, at compile
//! time, as the encoding requires.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, LitStr};

use super::ast::{Body, Field, Input, Struct, Style, Variant};
use super::bound;

pub(crate) fn derive(input: &Input, body: &Body) -> TokenStream {
    let krate = &input.attrs.krate;
    let private = quote!(#krate::__private);
    let ident = input.ident();
    let generics = bound::with_bounds(
        input.generics(),
        body,
        &syn::parse_quote!(#private::Fingerprint),
    );
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let write = match body {
        Body::Struct(data) => write_struct(data, &private),
        Body::Enum(variants) => write_enum(variants, &private),
    };
    quote! {
        const _: () = {
            #[automatically_derived]
            // `redundant_closure`: the closure of a `with` field carries the
            // user's span (see `write_value`), so clippy takes it for theirs.
            #[allow(deprecated, unused_qualifications, clippy::redundant_closure)]
            impl #impl_generics #private::Fingerprint for #ident #ty_generics #where_clause {
                fn write_fingerprint(&self, __provenance_f: &mut #private::Fingerprinter) {
                    #write
                }
            }
        };
    }
}

/// A span that points at `tokens` but resolves names as our own tokens do,
/// so a type error about a field lands on the field while `self` and our
/// locals resolve the same wherever the field's tokens came from (a
/// `macro_rules!` caller, say), as thiserror does.
fn at(tokens: &impl Spanned) -> Span {
    Span::call_site().located_at(tokens.span())
}

/// `self`'s fields, read in place.
fn write_struct(data: &Struct, private: &TokenStream) -> TokenStream {
    write_fields(data, None, private, |field| {
        let member = &field.member;
        quote_spanned!(at(field.ty)=> &self.#member)
    })
}

fn write_enum(variants: &[Variant], private: &TokenStream) -> TokenStream {
    if variants.is_empty() {
        // An enum without variants has no values.
        return quote!(match *self {});
    }
    let arms = variants.iter().map(|variant| {
        let ident = variant.ident();
        let data = &variant.payload;
        let name = LitStr::new(&variant.name(), ident.span());
        let write = write_fields(data, Some(&name), private, |field| {
            let binding = binding(field);
            quote!(#binding)
        });
        let pattern = match data.style {
            Style::Unit => quote!(Self::#ident),
            Style::Tuple => {
                let elements = data.fields.iter().map(|field| match field.attrs.skip {
                    Some(_) => quote!(_),
                    None => binding(field).to_token_stream(),
                });
                quote!(Self::#ident(#(#elements),*))
            }
            Style::Named => {
                let fields = data.written_fields().map(|field| {
                    let member = &field.member;
                    let binding = binding(field);
                    quote!(#member: #binding)
                });
                let rest = (data.written_fields().count() < data.fields.len()).then(|| quote!(..));
                quote!(Self::#ident { #(#fields,)* #rest })
            }
        };
        quote!(#pattern => { #write })
    });
    quote! {
        match self {
            #(#arms)*
        }
    }
}

/// The local a variant's field is bound to in its `match` arm. It carries
/// the field type's span, so an error about the field points at it.
fn binding(field: &Field) -> Ident {
    format_ident!("__provenance_field_{}", field.index, span = at(field.ty))
}

/// The statement that writes a struct (`variant` is `None`) or an enum
/// variant with its fields, each field's reference given by `reference`.
fn write_fields(
    data: &Struct,
    variant: Option<&LitStr>,
    private: &TokenStream,
    reference: impl Fn(&Field) -> TokenStream,
) -> TokenStream {
    let value = |field: &Field| write_value(field, reference(field), private);
    let count = Literal::usize_unsuffixed(data.written_fields().count());
    match data.style {
        Style::Unit => match variant {
            Some(name) => quote!(__provenance_f.write_unit_variant(#name);),
            None => quote!(__provenance_f.write_unit_struct();),
        },
        Style::Tuple => {
            let begin = match variant {
                Some(name) => quote!(begin_tuple_variant(#name, #count)),
                None => quote!(begin_tuple_struct(#count)),
            };
            let elements = data.written_fields().map(value);
            quote!(__provenance_f.#begin #(.element(#elements))* .finish();)
        }
        Style::Named => {
            let begin = match variant {
                Some(name) => quote!(begin_struct_variant(#name, #count)),
                None => quote!(begin_struct(#count)),
            };
            // The encoding orders fields by the bytes of their names
            // (`String`'s order), whatever the declaration order.
            let mut fields: Vec<(String, &Field)> = data
                .written_fields()
                .filter_map(|field| Some((field.name()?, field)))
                .collect();
            fields.sort_by(|(a, _), (b, _)| a.cmp(b));
            let fields = fields.into_iter().map(|(name, field)| {
                let name = LitStr::new(&name, Span::call_site());
                let value = value(field);
                quote!(.field(#name, #value))
            });
            quote!(__provenance_f.#begin #(#fields)* .finish();)
        }
    }
}

/// A field's value as the encoder takes it: the reference itself, or, with
/// `with = path`, an adapter that calls `path` with it. The call is written
/// out (rather than passing `path` as the adapter's function) so that it
/// gets deref coercion, as a call in the user's code would: a
/// `fn(&str, ..)` writes a `String` field. It carries the path's span, so a
/// function of the wrong signature is reported on the path.
fn write_value(field: &Field, reference: TokenStream, private: &TokenStream) -> TokenStream {
    match &field.attrs.with {
        Some(with) => {
            let path = &with.value;
            quote_spanned! {at(path)=>
                &#private::FingerprintWith::new(
                    #reference,
                    |__provenance_value, __provenance_f| #path(__provenance_value, __provenance_f),
                )
            }
        }
        None => reference,
    }
}
