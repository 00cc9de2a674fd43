//! The one attribute toolkit the three macros parse their options with:
//! `#[provenance(...)]`, `#[derive(Event)]`'s `#[event(...)]`,
//! `#[derive(Fingerprint)]`'s `#[fingerprint(...)]` and the argument markers.
//!
//! Each attribute is described by a [`Grammar`]: the items it may sit on and
//! the options each takes, with the kind of value each option wants. The
//! toolkit reports every mistake about the *shape* of an option itself, each
//! with one wording whatever the macro, on the offending tokens:
//!
//! - given twice: "`name` is given twice in #[event]; keep one" (on the repeat);
//! - unknown: "unknown option `x` in #[event]; on a struct the options are: …";
//! - on the wrong item: "`crate` is an option of a struct or enum, not of a
//!   field; on a field the options are: …";
//! - wrong value kind (missing, extra, or of another kind): "`seed` takes an
//!   integer literal, e.g. `seed = 42`", "`strict` takes no value: write
//!   `strict` alone";
//! - an integer out of range or with a suffix of another type, a string
//!   that must not be empty, a string that must be a path.
//!
//! What a value *means* (a valid event name, conflicting options) is the
//! macros' own business, in their `valid.rs`. Parsing always goes through
//! syn's `ParseNestedMeta`, as thiserror's and serde's attribute parsers do.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Attribute, Expr, ExprLit, ExprPath, Lit, LitInt, LitStr, Path, Token};

use crate::ctxt::Ctxt;

/// An attribute (`#[event]`) and the items it may sit on.
pub(crate) struct Grammar {
    /// The attribute's name, as written after `#`.
    pub name: &'static str,
    /// Every item the attribute may sit on, with the options it takes there.
    pub places: &'static [Place],
}

/// One kind of item an attribute sits on, and the options it takes there.
pub(crate) struct Place {
    /// The item in the user's words, with its article: "a field".
    pub item: &'static str,
    pub options: &'static [OptionSpec],
    /// Options of other places that are deliberately not options here, and
    /// why (shown after "`x` is an option of …, not of …").
    pub why_not: &'static [(&'static str, &'static str)],
}

/// One option: its keyword and the kind of value it takes.
pub(crate) struct OptionSpec {
    pub name: &'static str,
    pub value: Value,
}

/// The kind of value an option takes, with the example shown in messages.
#[derive(Clone, Copy)]
pub(crate) enum Value {
    /// No value: `strict`.
    Flag,
    /// A string literal: `name = "…"`; the example goes between the quotes.
    Str(&'static str),
    /// An integer literal: `seed = 42`; the example is the number.
    Int(&'static str),
    /// A path, bare or in a string: `with = path`; the example is the path.
    Path(&'static str),
}

impl OptionSpec {
    /// How the option is written: `seed = 42`, `strict`.
    fn syntax(&self) -> String {
        let name = self.name;
        match self.value {
            Value::Flag => name.to_string(),
            Value::Str(example) => format!("{name} = \"{example}\""),
            Value::Int(example) | Value::Path(example) => format!("{name} = {example}"),
        }
    }

    /// The kind of value, in the sentence "`x` takes …".
    fn kind(&self) -> &'static str {
        match self.value {
            Value::Flag => "no value",
            Value::Str(_) => "a string literal",
            Value::Int(_) => "an integer literal",
            Value::Path(_) => "a path",
        }
    }
}

impl Place {
    fn find(&self, name: &str) -> Option<&'static OptionSpec> {
        self.options.iter().find(|option| option.name == name)
    }

    /// The list of options shown in messages: `a = "…"`, `b`.
    fn list(&self) -> String {
        let shown: Vec<String> = self
            .options
            .iter()
            .map(|option| format!("`{}`", option.syntax()))
            .collect();
        shown.join(", ")
    }
}

/// One option as given: its keyword (where errors about it point), its
/// value, and its position among all the options of the same item, so a
/// rule that two options conflict can point at whichever came second.
pub(crate) struct Given<T> {
    pub keyword: Path,
    pub value: T,
    pub position: usize,
}

/// One option being parsed, handed to the caller of [`parse_attrs`] and
/// [`parse_args`] once the toolkit knows the option is valid where it is.
pub(crate) struct Opt<'m, 'a> {
    meta: &'m ParseNestedMeta<'a>,
    spec: &'static OptionSpec,
    grammar: &'static Grammar,
    position: usize,
}

/// Parses every `#[<grammar.name>(...)]` among `attrs` as options of an item
/// of kind `here`; `each` reads the value of each known option. Returns
/// whether every such attribute was well-formed (else its later options
/// were not read).
pub(crate) fn parse_attrs(
    cx: &mut Ctxt,
    attrs: &[Attribute],
    grammar: &'static Grammar,
    here: &'static Place,
    mut each: impl FnMut(&mut Ctxt, &Opt) -> syn::Result<()>,
) -> bool {
    let mut position = 0;
    let mut well_formed = true;
    for attr in attrs.iter().filter(|a| a.path().is_ident(grammar.name)) {
        if !matches!(attr.meta, syn::Meta::List(_)) {
            cx.error_spanned_by(
                attr,
                format!(
                    "write the options in parentheses: #[{}(option, ...)]",
                    grammar.name
                ),
            );
            well_formed = false;
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            one_option(cx, &meta, grammar, here, &mut position, &mut each)
        });
        if let Err(error) = result {
            well_formed = false;
            cx.syn_error(error);
        }
    }
    well_formed
}

/// Parses an attribute macro's own arguments (`#[provenance(<args>)]`) as
/// options of an item of kind `here`, as [`parse_attrs`] does.
pub(crate) fn parse_args(
    cx: &mut Ctxt,
    args: TokenStream,
    grammar: &'static Grammar,
    here: &'static Place,
    mut each: impl FnMut(&mut Ctxt, &Opt) -> syn::Result<()>,
) {
    let mut position = 0;
    let parser =
        syn::meta::parser(|meta| one_option(cx, &meta, grammar, here, &mut position, &mut each));
    // The closure borrows `cx` for the options' own errors; the syntax
    // error that stops the arguments is recorded after.
    let result = parser.parse2(args);
    if let Err(error) = result {
        cx.syn_error(error);
    }
}

/// Dispatches one option to `each`, or reports it as unknown here.
fn one_option(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta,
    grammar: &'static Grammar,
    here: &'static Place,
    position: &mut usize,
    each: &mut impl FnMut(&mut Ctxt, &Opt) -> syn::Result<()>,
) -> syn::Result<()> {
    *position += 1;
    let name = meta.path.to_token_stream().to_string().replace(' ', "");
    let Some(spec) = here.find(&name) else {
        // Consume the value, so the options after this one are still read.
        skip_value(meta)?;
        cx.error_spanned_by(&meta.path, unknown_message(grammar, here, &name));
        return Ok(());
    };
    let opt = Opt {
        meta,
        spec,
        grammar,
        position: *position,
    };
    each(cx, &opt)
}

fn unknown_message(grammar: &Grammar, here: &Place, name: &str) -> String {
    let list = here.list();
    let elsewhere = grammar
        .places
        .iter()
        .find(|place| place.item != here.item && place.find(name).is_some());
    let why_not = here
        .why_not
        .iter()
        .find(|(option, _)| *option == name)
        .map_or("", |(_, why)| *why);
    match elsewhere {
        Some(place) => format!(
            "`{name}` is an option of {}, not of {}{why_not}; on {} the options are: {list}",
            place.item, here.item, here.item
        ),
        None => format!(
            "unknown option `{name}` in #[{}]; on {} the options are: {list}",
            grammar.name, here.item
        ),
    }
}

/// Reports an attribute that does not belong on this item at all.
pub(crate) fn misplaced_attribute(
    cx: &mut Ctxt,
    attr: &Attribute,
    grammar: &Grammar,
    item: &str,
    hint: &str,
) {
    let right: Vec<&str> = grammar.places.iter().map(|place| place.item).collect();
    cx.error_spanned_by(
        attr,
        format!(
            "#[{}] goes on {}, not on {item}; {hint}",
            grammar.name,
            right.join(" or ")
        ),
    );
}

impl Opt<'_, '_> {
    /// The option's keyword, for errors and for [`Opt::set`].
    pub(crate) fn name(&self) -> &'static str {
        self.spec.name
    }

    /// Stores `value` in `slot` unless the option was given before; a repeat
    /// is reported on its own keyword.
    pub(crate) fn set<T>(&self, cx: &mut Ctxt, slot: &mut Option<Given<T>>, value: T) {
        if slot.is_some() {
            cx.error_spanned_by(
                &self.meta.path,
                format!(
                    "`{}` is given twice in #[{}]; keep one",
                    self.spec.name, self.grammar.name
                ),
            );
            return;
        }
        *slot = Some(Given {
            keyword: self.meta.path.clone(),
            value,
            position: self.position,
        });
    }

    /// How the option is written, as messages show it: `` `seed = 42` ``.
    fn example(&self) -> String {
        format!("`{}`", self.spec.syntax())
    }

    /// The wrong-kind message for this option, on `tokens`.
    fn wrong_kind(&self, cx: &mut Ctxt, tokens: impl ToTokens) {
        let name = self.spec.name;
        let message = match self.spec.value {
            Value::Flag => format!("`{name}` takes no value: write `{name}` alone"),
            _ => format!(
                "`{name}` takes {}, e.g. {}",
                self.spec.kind(),
                self.example()
            ),
        };
        cx.error_spanned_by(tokens, message);
    }

    /// A flag: `true` when written bare; a value after it is reported on
    /// the whole option.
    pub(crate) fn flag(&self, cx: &mut Ctxt) -> syn::Result<bool> {
        let value = skip_value(self.meta)?;
        if value.is_empty() {
            return Ok(true);
        }
        let keyword = &self.meta.path;
        self.wrong_kind(cx, quote!(#keyword #value));
        Ok(false)
    }

    /// The `= value` of an option that needs one; `None`, reported on the
    /// keyword, when there is none.
    pub(crate) fn expr(&self, cx: &mut Ctxt) -> syn::Result<Option<Expr>> {
        if !self.meta.input.peek(Token![=]) {
            skip_value(self.meta)?;
            self.wrong_kind(cx, &self.meta.path);
            return Ok(None);
        }
        Ok(Some(self.meta.value()?.parse::<Expr>()?))
    }

    /// A string literal; `None` (reported) for anything else.
    pub(crate) fn string(&self, cx: &mut Ctxt) -> syn::Result<Option<LitStr>> {
        Ok(match self.expr(cx)? {
            Some(Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            })) => Some(lit),
            Some(other) => {
                self.wrong_kind(cx, other);
                None
            }
            None => None,
        })
    }

    /// A non-empty string literal; an empty one is reported with `why`.
    pub(crate) fn non_empty_string(&self, cx: &mut Ctxt, why: &str) -> syn::Result<Option<LitStr>> {
        Ok(self.string(cx)?.and_then(|lit| {
            if lit.value().is_empty() {
                let message = format!("`{}` must not be empty{why}", self.spec.name);
                cx.error_spanned_by(&lit, message);
                None
            } else {
                Some(lit)
            }
        }))
    }

    /// An integer literal from `min` to `max`, written without a suffix or
    /// with `ty`'s; `None` (reported) otherwise.
    pub(crate) fn int(
        &self,
        cx: &mut Ctxt,
        ty: &str,
        min: u64,
        max: u64,
    ) -> syn::Result<Option<(LitInt, u64)>> {
        let Some(value) = self.expr(cx)? else {
            return Ok(None);
        };
        let range = || {
            format!(
                "`{}` must be from {min} to {max}, e.g. {}",
                self.spec.name,
                self.example()
            )
        };
        let lit = match value {
            Expr::Lit(ExprLit {
                lit: Lit::Int(lit), ..
            }) => lit,
            negative @ Expr::Unary(syn::ExprUnary {
                op: syn::UnOp::Neg(_),
                ..
            }) => {
                cx.error_spanned_by(negative, range());
                return Ok(None);
            }
            other => {
                self.wrong_kind(cx, other);
                return Ok(None);
            }
        };
        if !(lit.suffix().is_empty() || lit.suffix() == ty) {
            let message = format!(
                "`{}` is a `{ty}`: write it without the suffix `{}`, e.g. {}",
                self.spec.name,
                lit.suffix(),
                self.example()
            );
            cx.error_spanned_by(&lit, message);
            return Ok(None);
        }
        match lit.base10_parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some((lit, n))),
            _ => {
                cx.error_spanned_by(&lit, range());
                Ok(None)
            }
        }
    }

    /// A path, written bare (`with = my::f`) or, as serde writes it, in a
    /// string (`with = "my::f"`); `None` (reported) otherwise.
    pub(crate) fn path(&self, cx: &mut Ctxt) -> syn::Result<Option<Path>> {
        Ok(match self.expr(cx)? {
            Some(Expr::Path(ExprPath {
                qself: None, path, ..
            })) => Some(path),
            Some(Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            })) => self.path_in(cx, &lit),
            Some(other) => {
                self.wrong_kind(cx, other);
                None
            }
            None => None,
        })
    }

    /// A path written in a string only (`crate = "my::path"`).
    pub(crate) fn string_path(&self, cx: &mut Ctxt) -> syn::Result<Option<Path>> {
        Ok(self.string(cx)?.and_then(|lit| self.path_in(cx, &lit)))
    }

    fn path_in(&self, cx: &mut Ctxt, lit: &LitStr) -> Option<Path> {
        match lit.parse::<Path>() {
            Ok(path) => Some(path),
            Err(_) => {
                let message = format!(
                    "`{} = {:?}` is not a path, e.g. {}",
                    self.spec.name,
                    lit.value(),
                    self.example()
                );
                cx.error_spanned_by(lit, message);
                None
            }
        }
    }
}

/// Consumes whatever follows an option's keyword (`= expr` or `(...)`), so
/// the options after it are still read; returns the tokens consumed.
pub(crate) fn skip_value(meta: &ParseNestedMeta) -> syn::Result<TokenStream> {
    if meta.input.peek(Token![=]) {
        let eq: Token![=] = meta.input.parse()?;
        let value: Expr = meta.input.parse()?;
        Ok(quote!(#eq #value))
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        let paren = syn::parenthesized!(content in meta.input);
        let inner: TokenStream = content.parse()?;
        let mut tokens = TokenStream::new();
        paren.surround(&mut tokens, |tokens| tokens.extend(inner));
        Ok(tokens)
    } else {
        Ok(TokenStream::new())
    }
}
