//! `#[derive(Event)]`: an event type's name, version and payload schema,
//! checked at compile time and registered for `ith_provenance::schemas()`.
//!
//! Stages, one file each: `ast` reads the struct into our own small tree,
//! `attr` parses `#[event(...)]` and the `#[serde(...)]` attributes that
//! change the written fields, `valid` applies the rules that need several of
//! them (names, envelope clashes, rejected shapes), `expand` writes the
//! impl. Every mistake is collected in one [`Ctxt`] and reported at once;
//! on error a stub impl goes out beside the errors, so the user sees only
//! them.

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;

pub(crate) fn derive(input: &syn::DeriveInput) -> TokenStream {
    let mut cx = Ctxt::new();
    let container = ast::Container::from_syn(&mut cx, input);
    valid::check(&mut cx, &container);
    match cx.check() {
        Ok(()) => expand::derive(&container),
        Err(errors) => expand::fallback(input, &container, errors),
    }
}
