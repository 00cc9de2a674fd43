//! `#[provenance]`: makes each call of an experiment function a recorded
//! run (see `ith_provenance::provenance` and `docs/PROVENANCE_MACRO.md`).
//!
//! Stages, one file each: `attr` parses the options and the argument
//! markers, `ast` the function into our small model (stripping the
//! markers), `valid` checks the rules that span several of them, and
//! `expand` writes the wrapper.

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::ctxt::{Ctxt, to_compile_errors};

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let item_fn = match syn::parse2::<syn::ItemFn>(item.clone()) {
        Ok(item_fn) => item_fn,
        Err(error) => return not_a_function(item, error),
    };
    let mut cx = Ctxt::new();
    let options = attr::Options::parse(&mut cx, args);
    let function = ast::Function::from_syn(&mut cx, item_fn);
    valid::check(&mut cx, &options, &function);
    match cx.check() {
        Ok(()) => expand::function(&options, &function),
        // The function without our markers, so the only errors the user
        // sees are ours, and every call of it still type-checks.
        Err(error) => {
            let errors = to_compile_errors(error);
            let original = function.stripped();
            quote!(#errors #original)
        }
    }
}

/// Not a function (or not parseable as one): say so on the item, and give
/// the item back unchanged so nothing else breaks.
fn not_a_function(item: TokenStream, error: syn::Error) -> TokenStream {
    let error = match syn::parse2::<syn::Item>(item.clone()) {
        Ok(other) => syn::Error::new_spanned(
            describe_target(&other),
            "#[provenance] applies to functions (`fn` or `async fn` with a body)",
        ),
        Err(_) => error,
    };
    let error = to_compile_errors(error);
    quote!(#error #item)
}

/// The tokens to underline for an item that is not a function: its
/// keyword and name, where the user looks.
fn describe_target(item: &syn::Item) -> TokenStream {
    use syn::Item;
    match item {
        Item::Struct(s) => keyword_and_name(&s.struct_token, &s.ident),
        Item::Enum(e) => keyword_and_name(&e.enum_token, &e.ident),
        Item::Union(u) => keyword_and_name(&u.union_token, &u.ident),
        Item::Trait(t) => keyword_and_name(&t.trait_token, &t.ident),
        Item::Const(c) => keyword_and_name(&c.const_token, &c.ident),
        Item::Static(s) => keyword_and_name(&s.static_token, &s.ident),
        Item::Mod(m) => keyword_and_name(&m.mod_token, &m.ident),
        Item::Type(t) => keyword_and_name(&t.type_token, &t.ident),
        Item::Impl(i) => i.impl_token.to_token_stream(),
        other => quote!(#other),
    }
}

fn keyword_and_name(keyword: &dyn quote::ToTokens, name: &syn::Ident) -> TokenStream {
    quote!(#keyword #name)
}
