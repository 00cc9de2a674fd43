//! `#[derive(Event)]` (being written).

use proc_macro2::TokenStream;

pub(crate) fn derive(input: &syn::DeriveInput) -> TokenStream {
    syn::Error::new_spanned(&input.ident, "#[derive(Event)] is being written").to_compile_error()
}
