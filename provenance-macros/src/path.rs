//! The path generated code uses to reach the runtime.

use syn::Path;

/// `::ith_provenance`: the crate users depend on (package `ith-provenance`).
/// Generated code names only `<this>::__private::…`, the runtime's hidden
/// module for macros. A crate that re-exports us, or a user who renamed the
/// dependency in Cargo.toml, points the macros at its own path with
/// `crate = "…"`; the runtime itself uses `crate = "crate"`.
pub(crate) fn default_crate_path() -> Path {
    syn::parse_quote!(::ith_provenance)
}

/// Parses the string of a `crate = "…"` option into a path.
pub(crate) fn parse_crate_path(lit: &syn::LitStr) -> syn::Result<Path> {
    lit.parse::<Path>().map_err(|_| {
        syn::Error::new(
            lit.span(),
            format!(
                "`crate = {:?}` is not a path; write e.g. crate = \"my_crate::provenance\"",
                lit.value()
            ),
        )
    })
}
