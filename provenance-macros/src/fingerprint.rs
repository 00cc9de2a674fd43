//! `#[derive(Fingerprint)]` (being written).

use proc_macro2::TokenStream;

pub(crate) fn derive(input: &syn::DeriveInput) -> TokenStream {
    syn::Error::new_spanned(&input.ident, "#[derive(Fingerprint)] is being written").to_compile_error()
}
