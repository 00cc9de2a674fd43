//! `#[provenance]` (being written).

use proc_macro2::TokenStream;

pub(crate) fn expand(_args: TokenStream, item: TokenStream) -> TokenStream {
    let error = syn::Error::new(proc_macro2::Span::call_site(), "#[provenance] is being written").to_compile_error();
    quote::quote!(#error #item)
}
