//! The options of `#[provenance(...)]` and the markers on arguments
//! (`#[fingerprint]`, `#[config]`, `#[provenance(skip)]`).

use proc_macro2::TokenStream;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Lit, LitInt, LitStr, Meta, Path, Token};

use crate::ctxt::Ctxt;
use crate::path::{default_crate_path, parse_crate_path};

const VALID_OPTIONS: &str = "experiment = \"…\", seed = <integer>, name = \"…\", version = \"…\", \
                             strict, fingerprint_output, output_file, crate = \"…\"";

/// `#[provenance(...)]`'s options, as written.
#[derive(Default)]
pub(crate) struct Options {
    pub(crate) experiment: Option<LitStr>,
    pub(crate) seed: Option<LitInt>,
    pub(crate) name: Option<LitStr>,
    pub(crate) version: Option<LitStr>,
    pub(crate) strict: Option<Path>,
    pub(crate) fingerprint_output: Option<Path>,
    pub(crate) output_file: Option<Path>,
    pub(crate) crate_path: Option<Path>,
}

impl Options {
    /// Parses the options, recording every mistake in `cx`.
    pub(crate) fn parse(cx: &mut Ctxt, args: TokenStream) -> Options {
        let mut options = Options::default();
        let parser = Punctuated::<Meta, Token![,]>::parse_terminated;
        let metas = match syn::parse::Parser::parse2(parser, args) {
            Ok(metas) => metas,
            Err(error) => {
                cx.syn_error(error);
                return options;
            }
        };
        for meta in metas {
            options.apply(cx, meta);
        }
        options
    }

    fn apply(&mut self, cx: &mut Ctxt, meta: Meta) {
        let Some(key) = meta.path().get_ident().map(ToString::to_string) else {
            cx.error_spanned_by(
                meta.path(),
                format!("unknown option; expected one of: {VALID_OPTIONS}"),
            );
            return;
        };
        match key.as_str() {
            "experiment" => set(cx, &meta, &mut self.experiment, string_value),
            "name" => set(cx, &meta, &mut self.name, string_value),
            "version" => set(cx, &meta, &mut self.version, string_value),
            "seed" => set(cx, &meta, &mut self.seed, seed_value),
            "crate" => set(cx, &meta, &mut self.crate_path, |cx, meta| {
                let lit = string_value(cx, meta)?;
                parse_crate_path(&lit)
                    .map_err(|error| cx.syn_error(error))
                    .ok()
            }),
            "strict" => set(cx, &meta, &mut self.strict, flag),
            "fingerprint_output" => set(cx, &meta, &mut self.fingerprint_output, flag),
            "output_file" => set(cx, &meta, &mut self.output_file, flag),
            _ => cx.error_spanned_by(
                meta.path(),
                format!("unknown option `{key}`; expected one of: {VALID_OPTIONS}"),
            ),
        }
    }

    /// The path generated code reaches the runtime through.
    pub(crate) fn crate_path(&self) -> Path {
        self.crate_path.clone().unwrap_or_else(default_crate_path)
    }
}

/// Parses and stores an option's value, refusing a second one.
fn set<T>(
    cx: &mut Ctxt,
    meta: &Meta,
    slot: &mut Option<T>,
    parse: impl FnOnce(&mut Ctxt, &Meta) -> Option<T>,
) {
    if slot.is_some() {
        cx.error_spanned_by(
            meta.path(),
            format!("duplicate option `{}`", path_name(meta.path())),
        );
    } else {
        *slot = parse(cx, meta);
    }
}

fn path_name(path: &Path) -> String {
    path.get_ident()
        .map_or_else(String::new, ToString::to_string)
}

/// `key = "…"`: a non-empty string literal.
fn string_value(cx: &mut Ctxt, meta: &Meta) -> Option<LitStr> {
    let key = path_name(meta.path());
    let example = format!("{key} = \"…\"");
    match meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(lit), ..
            }) if lit.value().is_empty() => {
                cx.error_spanned_by(lit, format!("`{key}` must not be empty"));
                None
            }
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(lit), ..
            }) => Some(lit.clone()),
            other => {
                cx.error_spanned_by(other, format!("`{key}` takes a string literal: {example}"));
                None
            }
        },
        _ => {
            cx.error_spanned_by(meta, format!("`{key}` needs a value: {example}"));
            None
        }
    }
}

/// `seed = 42`: an integer literal that fits a `u64`.
fn seed_value(cx: &mut Ctxt, meta: &Meta) -> Option<LitInt> {
    match meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Int(lit), ..
            }) => {
                if !matches!(lit.suffix(), "" | "u64") {
                    cx.error_spanned_by(
                        lit,
                        "`seed` is a `u64`: write it without a suffix, e.g. seed = 42",
                    );
                    None
                } else if lit.base10_parse::<u64>().is_err() {
                    cx.error_spanned_by(
                        lit,
                        "`seed` must fit in a `u64` (0 to 18446744073709551615)",
                    );
                    None
                } else {
                    Some(lit.clone())
                }
            }
            other => {
                cx.error_spanned_by(other, "`seed` takes an integer literal: seed = 42");
                None
            }
        },
        _ => {
            cx.error_spanned_by(meta, "`seed` needs a value: seed = 42");
            None
        }
    }
}

/// `strict`: a bare flag.
fn flag(cx: &mut Ctxt, meta: &Meta) -> Option<Path> {
    match meta {
        Meta::Path(path) => Some(path.clone()),
        _ => {
            let key = path_name(meta.path());
            cx.error_spanned_by(
                meta,
                format!("`{key}` is a flag and takes no value: write `{key}`"),
            );
            None
        }
    }
}

/// How an argument is recorded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum MarkerKind {
    /// `#[fingerprint]`: a `data.load` and its hash in `input_hashes`.
    Fingerprint,
    /// `#[fingerprint(file)]`: the file the argument names, fingerprinted
    /// as it streams, recorded as `#[fingerprint]` is.
    FingerprintFile,
    /// `#[config]`: part of `algorithm.init`'s `config`.
    Config,
    /// `#[provenance(skip)]`: deliberately not recorded.
    Skip,
}

/// A marker and the attribute it was written as (for error spans).
pub(crate) struct Marker {
    pub(crate) kind: MarkerKind,
    pub(crate) attr: Attribute,
}

/// Takes our markers out of an argument's attributes, leaving the others
/// (`#[cfg]`, doc comments, lints) in place.
pub(crate) fn take_marker(cx: &mut Ctxt, attrs: &mut Vec<Attribute>) -> Option<Marker> {
    let mut marker: Option<Marker> = None;
    let mut kept = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        let Some(kind) = marker_kind(cx, &attr) else {
            kept.push(attr);
            continue;
        };
        if let Some(first) = &marker {
            cx.error_spanned_by(
                &attr,
                format!(
                    "this argument is already marked `{}`; choose one of #[fingerprint], #[config], #[provenance(skip)]",
                    attr_text(&first.attr)
                ),
            );
        } else {
            marker = Some(Marker { kind, attr });
        }
    }
    *attrs = kept;
    marker
}

fn attr_text(attr: &Attribute) -> String {
    let path = path_name(attr.path());
    if path == "provenance" {
        "#[provenance(skip)]".into()
    } else {
        format!("#[{path}]")
    }
}

/// Whether `attr` is one of our markers (and which); a malformed one is an
/// error, and still counts as ours so it is removed.
fn marker_kind(cx: &mut Ctxt, attr: &Attribute) -> Option<MarkerKind> {
    let name = attr.path().get_ident()?.to_string();
    let mut kind = match name.as_str() {
        "fingerprint" => MarkerKind::Fingerprint,
        "config" => MarkerKind::Config,
        "provenance" => MarkerKind::Skip,
        _ => return None,
    };
    match (&attr.meta, kind) {
        (Meta::Path(_), MarkerKind::Fingerprint | MarkerKind::Config) => {}
        (Meta::List(list), MarkerKind::Fingerprint) => {
            let file = list
                .parse_args::<syn::Ident>()
                .ok()
                .filter(|id| id == "file");
            if file.is_some() {
                kind = MarkerKind::FingerprintFile;
            } else {
                cx.error_spanned_by(
                    &list.tokens,
                    "expected `file`: #[fingerprint] records the argument's value, \
                     #[fingerprint(file)] the file a path argument names",
                );
            }
        }
        (Meta::List(list), MarkerKind::Skip) => {
            let skip = list
                .parse_args::<syn::Ident>()
                .ok()
                .filter(|id| id == "skip");
            if skip.is_none() {
                cx.error_spanned_by(
                    &list.tokens,
                    "expected `skip`: on an argument, #[provenance(skip)] marks it deliberately not recorded",
                );
            }
        }
        (_, MarkerKind::Skip) => cx.error_spanned_by(
            attr,
            "expected #[provenance(skip)] on an argument (deliberately not recorded)",
        ),
        (meta, _) => cx.error_spanned_by(meta, format!("#[{name}] takes no arguments")),
    }
    Some(kind)
}
