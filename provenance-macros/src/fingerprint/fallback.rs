//! What a failing derive emits: the errors, and a stub impl so that every use
//! of the type as a `Fingerprint` still compiles and the user sees only the
//! real mistakes (thiserror's `fallback.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::Input;
use crate::ctxt::to_compile_errors;

pub(crate) fn expand(input: &Input, error: syn::Error) -> TokenStream {
    let krate = &input.attrs.krate;
    let ident = input.ident();
    let (impl_generics, ty_generics, where_clause) = input.generics().split_for_impl();
    let errors = to_compile_errors(error);
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #krate::__private::Fingerprint for #ident #ty_generics #where_clause {
                fn write_fingerprint(&self, _: &mut #krate::__private::Fingerprinter) {
                    ::core::unreachable!("#[derive(Fingerprint)] failed to compile")
                }
            }
        };
    }
}
