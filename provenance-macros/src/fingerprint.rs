//! `#[derive(Fingerprint)]`: writes a type's value fingerprint through the
//! runtime's `Fingerprinter`, in the struct and enum forms of
//! `docs/VALUE_FINGERPRINT.md`.
//!
//! Stages, one file each: `ast` reads the input into our syntax tree (with
//! `attr` parsing each `#[fingerprint(...)]`), `valid` checks the rules that
//! span several options, `bound` infers the `T: Fingerprint` bounds and
//! `expand` writes the impl. Any error gives the `compile_error!`s plus the
//! stub impl of `fallback`, so one mistake shows as one error.

mod ast;
mod attr;
mod bound;
mod expand;
mod fallback;
mod valid;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;

pub(crate) fn derive(node: &syn::DeriveInput) -> TokenStream {
    let mut cx = Ctxt::new();
    let input = ast::Input::from_syn(&mut cx, node);
    valid::check(&mut cx, &input);
    match (&input.body, cx.check()) {
        (Some(body), Ok(())) => expand::derive(&input, body),
        (_, Err(error)) => fallback::expand(&input, error),
        // `from_syn` records an error whenever it has no body; stay safe
        // without relying on it.
        (None, Ok(())) => fallback::expand(
            &input,
            syn::Error::new_spanned(&node.ident, "#[derive(Fingerprint)] cannot read this type"),
        ),
    }
}
