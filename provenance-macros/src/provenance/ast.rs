//! The annotated function as the other stages see it: the function with
//! our markers stripped, and each argument with its marker and binding.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{FnArg, Ident, ItemFn, Pat, Type};

use super::attr::{Marker, take_marker};
use crate::ctxt::Ctxt;

pub(crate) struct Function {
    /// The function exactly as written, minus our argument markers.
    pub(crate) item: ItemFn,
    pub(crate) params: Vec<Param>,
}

pub(crate) struct Param {
    pub(crate) marker: Option<Marker>,
    pub(crate) binding: Binding,
    /// The argument's type (`&Self` for `&self`).
    pub(crate) ty: Type,
    /// The whole argument, for error spans.
    pub(crate) tokens: TokenStream,
}

/// How the body names an argument's value.
pub(crate) enum Binding {
    /// `x: T`, `mut x: T`.
    Named(Ident),
    /// `self`, `&self`, `&mut self`, `self: Box<Self>`.
    SelfValue(syn::token::SelfValue),
    /// A destructuring pattern or `_`: no single name for the value.
    Pattern(Box<Pat>),
}

impl Binding {
    /// The name recorded for the argument (`prices`, `self`).
    pub(crate) fn name(&self) -> Option<String> {
        match self {
            Binding::Named(ident) => Some(ident.unraw().to_string()),
            Binding::SelfValue(_) => Some("self".into()),
            Binding::Pattern(_) => None,
        }
    }
}

impl Function {
    pub(crate) fn from_syn(cx: &mut Ctxt, mut item: ItemFn) -> Function {
        let params = item
            .sig
            .inputs
            .iter_mut()
            .map(|arg| Param::from_syn(cx, arg))
            .collect();
        Function { item, params }
    }

    /// The function as written without our markers: what is emitted next
    /// to the errors when the attribute is misused.
    pub(crate) fn stripped(&self) -> TokenStream {
        self.item.to_token_stream()
    }

    pub(crate) fn name(&self) -> String {
        self.item.sig.ident.unraw().to_string()
    }
}

impl Param {
    fn from_syn(cx: &mut Ctxt, arg: &mut FnArg) -> Param {
        match arg {
            FnArg::Receiver(receiver) => {
                let marker = take_marker(cx, &mut receiver.attrs);
                Param {
                    marker,
                    binding: Binding::SelfValue(receiver.self_token),
                    ty: (*receiver.ty).clone(),
                    tokens: receiver.to_token_stream(),
                }
            }
            FnArg::Typed(typed) => {
                let marker = take_marker(cx, &mut typed.attrs);
                let binding = match &*typed.pat {
                    Pat::Ident(pat) if pat.subpat.is_none() => {
                        if pat.ident == "self" {
                            Binding::SelfValue(syn::token::SelfValue(pat.ident.span()))
                        } else {
                            Binding::Named(pat.ident.clone())
                        }
                    }
                    other => Binding::Pattern(Box::new(other.clone())),
                };
                Param {
                    marker,
                    binding,
                    ty: (*typed.ty).clone(),
                    tokens: typed.to_token_stream(),
                }
            }
        }
    }
}
