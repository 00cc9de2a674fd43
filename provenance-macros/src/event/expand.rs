//! Code generation: the `Event` impl and the registry entry, or on error a
//! stub impl beside the errors.
//!
//! Generated code names only `<crate>::__private::…` and `::core::…`, sits
//! in `const _: () = { … };`, and names its locals `__provenance_*`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, LitStr};

use super::ast::Container;
use crate::path::default_crate_path;

pub(crate) fn derive(cont: &Container) -> TokenStream {
    let krate = cont
        .attrs
        .crate_path
        .as_ref()
        .map_or_else(default_crate_path, |given| given.value.clone());
    let private = quote!(#krate::__private);
    let ident = cont.ident;
    let (impl_generics, ty_generics, where_clause) = cont.generics.split_for_impl();
    // `valid` made sure both are there.
    let name = cont
        .attrs
        .name
        .as_ref()
        .map(|given| given.value.value())
        .unwrap_or_default();
    let version = cont.attrs.version.as_ref().map_or(1, |given| given.value);

    let not_required_by_default = cont.attrs.serde.default;
    let fields: Vec<TokenStream> = cont
        .fields
        .iter()
        .filter(|f| !f.attrs.skip)
        .map(|f| {
            let ty = f.ty;
            let json_name = LitStr::new(&f.json_name, Span::call_site());
            // Written only sometimes, or read with a default (so older lines
            // without it stay valid): not required.
            let required =
                !(f.attrs.skip_serializing_if || f.attrs.default || not_required_by_default);
            // Spanned on the type: a type without a schema is reported there.
            let schema = quote_spanned! {ty.span()=>
                <#ty as #private::FieldSchema>::field_schema()
            };
            quote!(__provenance_schema.field(#json_name, #schema, #required);)
        })
        .collect();
    let binding = if fields.is_empty() {
        quote!(let)
    } else {
        quote!(let mut)
    };

    // The registry needs one concrete type: lifetimes (the only parameters
    // `valid` allows) become `'static`.
    let statics = cont.generics.lifetimes().map(|_| quote!('static));
    let registered = if cont.generics.lifetimes().next().is_some() {
        quote!(#ident<#(#statics),*>)
    } else {
        quote!(#ident)
    };
    let ident_str = ident.to_string();

    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #private::Event for #ident #ty_generics #where_clause {
                const EVENT_TYPE: &'static ::core::primitive::str = #name;
                const VERSION: ::core::primitive::u32 = #version;
                fn payload_schema() -> #private::Value {
                    #binding __provenance_schema = #private::PayloadSchema::new();
                    #(#fields)*
                    __provenance_schema.finish()
                }
            }

            #private::inventory::submit! {
                #private::EventDescriptor::of::<#registered>(
                    ::core::concat!(::core::module_path!(), "::", #ident_str)
                )
            }
        };
    }
}

/// The errors, and an `Event` impl that keeps the rest of the user's code
/// compiling, so only the errors show.
pub(crate) fn fallback(input: &DeriveInput, cont: &Container, errors: syn::Error) -> TokenStream {
    let errors = crate::ctxt::to_compile_errors(errors);
    let krate = cont
        .attrs
        .crate_path
        .as_ref()
        .map_or_else(default_crate_path, |given| given.value.clone());
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #krate::__private::Event for #ident #ty_generics #where_clause {
                const EVENT_TYPE: &'static ::core::primitive::str = "";
                const VERSION: ::core::primitive::u32 = 0;
                fn payload_schema() -> #krate::__private::Value {
                    #krate::__private::Value::Null
                }
            }
        };
    }
}
