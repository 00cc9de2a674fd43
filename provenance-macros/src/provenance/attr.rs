//! The options of `#[provenance(...)]` and the markers on arguments
//! (`#[fingerprint]`, `#[config]`, `#[provenance(skip)]`).

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{Attribute, LitInt, LitStr, Meta, Path};

use crate::attr::{Given, Grammar, OptionSpec, Place, Value, parse_args, parse_attrs};
use crate::ctxt::Ctxt;
use crate::path::default_crate_path;

/// `#[provenance(...)]`: the function's options, or `skip` on an argument.
static PROVENANCE: Grammar = Grammar {
    name: "provenance",
    places: &[FUNCTION, ARGUMENT],
};

const fn flag(name: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        value: Value::Flag,
    }
}

const fn string(name: &'static str, example: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        value: Value::Str(example),
    }
}

const FUNCTION: Place = Place {
    item: "a function",
    options: &[
        string("experiment", "exp001"),
        OptionSpec {
            name: "seed",
            value: Value::Int("42"),
        },
        string("name", "my_algorithm"),
        string("version", "1.2.0"),
        flag("strict"),
        flag("fingerprint_output"),
        flag("output_file"),
        string("crate", "my_crate::provenance"),
    ],
    why_not: &[],
};

const ARGUMENT: Place = Place {
    item: "an argument",
    options: &[flag("skip")],
    why_not: &[],
};

/// `#[fingerprint(file)]` on an argument (bare `#[fingerprint]` has no options).
static FINGERPRINT_MARKER: Grammar = Grammar {
    name: "fingerprint",
    places: &[FINGERPRINT_ARGUMENT],
};

const FINGERPRINT_ARGUMENT: Place = Place {
    item: "an argument",
    options: &[flag("file")],
    why_not: &[],
};

/// `#[provenance(...)]`'s options, as written.
#[derive(Default)]
pub(crate) struct Options {
    pub(crate) experiment: Option<Given<LitStr>>,
    pub(crate) seed: Option<Given<LitInt>>,
    pub(crate) name: Option<Given<LitStr>>,
    pub(crate) version: Option<Given<LitStr>>,
    pub(crate) strict: Option<Given<()>>,
    pub(crate) fingerprint_output: Option<Given<()>>,
    pub(crate) output_file: Option<Given<()>>,
    pub(crate) crate_path: Option<Given<Path>>,
}

impl Options {
    /// Parses the options, recording every mistake in `cx`.
    pub(crate) fn parse(cx: &mut Ctxt, args: TokenStream) -> Options {
        let mut o = Options::default();
        parse_args(cx, args, &PROVENANCE, &FUNCTION, |cx, opt| {
            let text = |o: &mut Option<Given<LitStr>>, cx: &mut Ctxt| -> syn::Result<()> {
                if let Some(lit) = opt.non_empty_string(cx, "")? {
                    opt.set(cx, o, lit);
                }
                Ok(())
            };
            let flag = |o: &mut Option<Given<()>>, cx: &mut Ctxt| -> syn::Result<()> {
                if opt.flag(cx)? {
                    opt.set(cx, o, ());
                }
                Ok(())
            };
            match opt.name() {
                "experiment" => text(&mut o.experiment, cx)?,
                "name" => text(&mut o.name, cx)?,
                "version" => text(&mut o.version, cx)?,
                "seed" => {
                    if let Some((lit, _)) = opt.int(cx, "u64", 0, u64::MAX)? {
                        opt.set(cx, &mut o.seed, lit);
                    }
                }
                "strict" => flag(&mut o.strict, cx)?,
                "fingerprint_output" => flag(&mut o.fingerprint_output, cx)?,
                "output_file" => flag(&mut o.output_file, cx)?,
                _ => {
                    if let Some(path) = opt.string_path(cx)? {
                        opt.set(cx, &mut o.crate_path, path);
                    }
                }
            }
            Ok(())
        });
        o
    }

    /// The path generated code reaches the runtime through.
    pub(crate) fn crate_path(&self) -> Path {
        self.crate_path
            .as_ref()
            .map_or_else(default_crate_path, |given| given.value.clone())
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
    let path = attr.path().to_token_stream().to_string();
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
    let attrs = std::slice::from_ref(attr);
    match (name.as_str(), &attr.meta) {
        ("fingerprint", Meta::Path(_)) => Some(MarkerKind::Fingerprint),
        ("fingerprint", _) => {
            let mut file = None;
            parse_attrs(
                cx,
                attrs,
                &FINGERPRINT_MARKER,
                &FINGERPRINT_ARGUMENT,
                |cx, opt| {
                    if opt.flag(cx)? {
                        opt.set(cx, &mut file, ());
                    }
                    Ok(())
                },
            );
            Some(if file.is_some() {
                MarkerKind::FingerprintFile
            } else {
                MarkerKind::Fingerprint
            })
        }
        ("config", Meta::Path(_)) => Some(MarkerKind::Config),
        ("config", meta) => {
            cx.error_spanned_by(meta, "#[config] takes no options: write #[config]");
            Some(MarkerKind::Config)
        }
        ("provenance", meta) => {
            // `#[provenance]` alone is reported as not in parentheses.
            parse_attrs(cx, attrs, &PROVENANCE, &ARGUMENT, |cx, opt| {
                opt.flag(cx).map(drop)
            });
            if let Meta::List(list) = meta
                && list.tokens.is_empty()
            {
                cx.error_spanned_by(meta, "write #[provenance(skip)] to leave an argument out");
            }
            Some(MarkerKind::Skip)
        }
        _ => None,
    }
}
