//! Procedural macros of **provenance**: `#[provenance]`,
//! `#[derive(Fingerprint)]` and `#[derive(Event)]`.
//!
//! Use them through the `provenance` crate, which re-exports them with the
//! runtime they expand to; their documentation lives there. This crate holds
//! only the thin entry points; each macro has a module with its stages
//! (`ast`, `attr`, `valid`, `expand`), as in thiserror and serde_derive.

mod ctxt;
mod event;
mod fingerprint;
mod path;
mod provenance;

use proc_macro::TokenStream;

/// Captures an experiment function's provenance; see `provenance::provenance`.
#[proc_macro_attribute]
pub fn provenance(args: TokenStream, item: TokenStream) -> TokenStream {
    provenance::expand(args.into(), item.into()).into()
}

/// Derives `Fingerprint`; see `provenance::Fingerprint`.
#[proc_macro_derive(Fingerprint, attributes(fingerprint))]
pub fn derive_fingerprint(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    fingerprint::derive(&input).into()
}

/// Derives `Event`; see `provenance::Event`.
#[proc_macro_derive(Event, attributes(event))]
pub fn derive_event(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    event::derive(&input).into()
}
