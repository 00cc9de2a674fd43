//! Writes the wrapper: the user's signature and attributes as written, and
//! a body that starts the run, records the marked arguments, runs the
//! user's body exactly once (in an `FnOnce` closure or an `async move`
//! block, so `return` and `?` end the body, not the wrapper), and ends the
//! run with the body's outcome.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{AttrStyle, Ident, ItemFn, LitStr, Path, ReturnType, Type};

use super::ast::{Binding, Function, Param};
use super::attr::{MarkerKind, Options};
use crate::attr::Given;

pub(crate) fn function(options: &Options, function: &Function) -> TokenStream {
    let krate = options.crate_path();
    let ItemFn {
        attrs,
        vis,
        sig,
        block,
    } = &function.item;
    let (outer, inner): (Vec<_>, Vec<_>) = attrs
        .iter()
        .partition(|attr| matches!(attr.style, AttrStyle::Outer));
    let start = Ident::new("__provenance_start", Span::call_site());
    let site = site(options, function, &krate);
    let records: Vec<TokenStream> = function
        .params
        .iter()
        .filter_map(|param| record(param, &krate, &start))
        .collect();
    let start_mut = (!records.is_empty()).then(|| quote!(mut));
    let returns = Returns::of(&sig.output);
    let body = if sig.asyncness.is_some() {
        async_body(&krate, &start, &returns, options, block)
    } else {
        sync_body(&krate, &start, &returns, options, block)
    };
    quote! {
        #(#outer)*
        #vis #sig {
            #(#inner)*
            #site
            let #start_mut #start = #krate::__private::RunStart::new(&__PROVENANCE_SITE);
            #(#records)*
            #body
        }
    }
}

/// The function's options as a `static`, so a call only passes a pointer.
fn site(options: &Options, function: &Function, krate: &Path) -> TokenStream {
    let function_name = function.name();
    let lit = |value: &Option<Given<LitStr>>| {
        value.as_ref().map_or_else(
            || quote!(#function_name),
            |given| given.value.to_token_stream(),
        )
    };
    let algorithm_name = lit(&options.name);
    let experiment = lit(&options.experiment);
    let version = options.version.as_ref().map_or_else(
        || quote!(::core::env!("CARGO_PKG_VERSION")),
        |given| given.value.to_token_stream(),
    );
    let seed = match &options.seed {
        Some(seed) => {
            let seed = &seed.value;
            quote!(::core::option::Option::Some(#seed))
        }
        None => quote!(::core::option::Option::None),
    };
    quote! {
        static __PROVENANCE_SITE: #krate::__private::RunSite = #krate::__private::RunSite {
            function: #function_name,
            algorithm_name: #algorithm_name,
            experiment: #experiment,
            version: #version,
            seed: #seed,
            // Expanded here, in the annotated function's crate.
            crate_info: || #krate::crate_info!(),
        };
    }
}

/// Records one marked argument. The method whose bound can fail is spanned
/// at the argument's type, so the error lands there.
fn record(param: &Param, krate: &Path, start: &Ident) -> Option<TokenStream> {
    let marker = param.marker.as_ref()?;
    let name = param.binding.name()?;
    let span = type_span(&param.ty);
    match marker.kind {
        MarkerKind::Skip => None,
        // The bound is on the argument: the whole expression is spanned.
        MarkerKind::Config => {
            let value = value_tokens(&param.binding, Some(span))?;
            Some(quote_spanned! {span=>
                #start.config(#name, &#value);
            })
        }
        // The bound is on the method: only its name is spanned.
        MarkerKind::Fingerprint => {
            let value = value_tokens(&param.binding, None)?;
            let derefs = reference_depth(&param.ty);
            let stars = std::iter::repeat_n(quote!(*), derefs);
            let method = Ident::new("__provenance_data_load", span);
            Some(quote! {
                #start.input(#name, {
                    #[allow(unused_imports)]
                    use #krate::__private::{
                        FingerprintAsArray as _, FingerprintAsValue as _, FingerprintUnsupported as _,
                    };
                    (&&&#krate::__private::FingerprintArg(&#(#stars)* #value)).#method()
                });
            })
        }
        // The bound is on the method: only its name is spanned.
        MarkerKind::FingerprintFile => {
            let value = value_tokens(&param.binding, None)?;
            let derefs = reference_depth(&param.ty);
            let stars = std::iter::repeat_n(quote!(*), derefs);
            let method = Ident::new("__provenance_file_data_load", span);
            Some(quote! {
                #start.input_file(#name, {
                    #[allow(unused_imports)]
                    use #krate::__private::FingerprintFile as _;
                    #krate::__private::FingerprintArg(&#(#stars)* #value).#method()
                });
            })
        }
    }
}

/// The argument's value as the body names it, respanned when given a span.
fn value_tokens(binding: &Binding, span: Option<Span>) -> Option<TokenStream> {
    match binding {
        Binding::Named(ident) => {
            let mut ident = ident.clone();
            if let Some(span) = span {
                ident.set_span(span);
            }
            Some(ident.into_token_stream())
        }
        Binding::SelfValue(token) => {
            let token = span.map_or(*token, syn::token::SelfValue);
            Some(token.into_token_stream())
        }
        Binding::Pattern(_) => None,
    }
}

/// Where an error about a type points: the type's name (`Path` in
/// `&std::path::Path`), or its first token.
fn type_span(ty: &Type) -> Span {
    match ty {
        Type::Reference(reference) => type_span(&reference.elem),
        Type::Paren(paren) => type_span(&paren.elem),
        Type::Group(group) => type_span(&group.elem),
        Type::Path(path) => path
            .path
            .segments
            .last()
            .map_or_else(|| ty.span(), |segment| segment.ident.span()),
        other => other.span(),
    }
}

/// How many `&`/`&mut` wrap the argument's type: array-like data is
/// recognised on the referent (`&[f64]` is a `[f64]`).
fn reference_depth(ty: &Type) -> usize {
    match ty {
        Type::Reference(reference) => 1 + reference_depth(&reference.elem),
        Type::Paren(paren) => reference_depth(&paren.elem),
        Type::Group(group) => reference_depth(&group.elem),
        _ => 0,
    }
}

/// What the function returns, as far as the wrapper cares.
struct Returns {
    /// `()`: nothing to bind or hand back.
    unit: bool,
    /// The type to annotate the body with; `None` for `impl Trait`, which
    /// cannot be written inside the body.
    annotation: Option<Type>,
    /// Where `fingerprint_output`'s error points.
    span: Span,
}

impl Returns {
    fn of(output: &ReturnType) -> Returns {
        match output {
            ReturnType::Default => Returns {
                unit: true,
                annotation: None,
                span: Span::call_site(),
            },
            ReturnType::Type(_, ty) => Returns {
                unit: is_unit(ty),
                annotation: (!contains_impl_trait(ty) && !is_unit(ty)).then(|| (**ty).clone()),
                span: type_span(ty),
            },
        }
    }
}

fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
}

fn contains_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl VisitMut for Finder {
        fn visit_type_impl_trait_mut(&mut self, _: &mut syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    finder.visit_type_mut(&mut ty.clone());
    finder.0
}

fn sync_body(
    krate: &Path,
    start: &Ident,
    returns: &Returns,
    options: &Options,
    block: &syn::Block,
) -> TokenStream {
    let run = format_ident!("__provenance_run");
    let annotation = returns.annotation.as_ref().map(|ty| quote!(-> #ty));
    let call = quote!(#krate::__private::call_once(move || #annotation #block));
    finish(
        krate,
        &run,
        returns,
        options,
        {
            // `output_file` records on the guard after the body.
            let mutable = options.output_file.as_ref().map(|_| quote!(mut));
            quote!(let #mutable #run = #start.start();)
        },
        call,
    )
}

fn async_body(
    krate: &Path,
    start: &Ident,
    returns: &Returns,
    options: &Options,
    block: &syn::Block,
) -> TokenStream {
    let run = format_ident!("__provenance_run");
    let turbofish = returns.annotation.as_ref().map(|ty| quote!(::<#ty, _>));
    let call = quote!(#run.run_async #turbofish (async move #block).await);
    finish(
        krate,
        &run,
        returns,
        options,
        quote!(let mut #run = #start.start_async();),
        call,
    )
}

/// Starts the run, calls the body, and ends the run with its outcome.
fn finish(
    krate: &Path,
    run: &Ident,
    returns: &Returns,
    options: &Options,
    begin: TokenStream,
    call: TokenStream,
) -> TokenStream {
    let output = format_ident!("__provenance_output");
    let none = quote!(::core::option::Option::None);
    let output_hash = |value: TokenStream| match &options.fingerprint_output {
        None => none.clone(),
        Some(_) => {
            let method = Ident::new("__provenance_output_hash", returns.span);
            quote! {{
                #[allow(unused_imports)]
                use #krate::__private::{
                    OutputOfArray as _, OutputOfArrayResult as _, OutputOfResult as _,
                    OutputOfValue as _, OutputUnsupported as _,
                };
                (&&&&&#krate::__private::Outcome(#value)).#method()
            }}
        }
    };
    let output_file = |value: TokenStream| {
        options.output_file.as_ref().map(|_| {
            let method = Ident::new("__provenance_output_file", returns.span);
            quote! {{
                #[allow(unused_imports)]
                use #krate::__private::{
                    OutputFileOfResult as _, OutputFileOfValue as _, OutputFileUnsupported as _,
                };
                #run.record_output_file((&&&#krate::__private::Outcome(#value)).#method());
            }}
        })
    };
    if returns.unit {
        let hash = output_hash(quote!(&()));
        let file = output_file(quote!(&()));
        return quote! {
            #begin
            #call;
            #file
            #run.finish(#none, #hash);
        };
    }
    let hash = output_hash(quote!(&#output));
    let file = output_file(quote!(&#output));
    quote! {
        #begin
        let #output = #call;
        #file
        let __provenance_error = {
            #[allow(unused_imports)]
            use #krate::__private::{OutcomeOfOpaqueResult as _, OutcomeOfResult as _, OutcomeOfValue as _};
            (&&&#krate::__private::Outcome(&#output)).__provenance_error()
        };
        #run.finish(__provenance_error, #hash);
        #output
    }
}
