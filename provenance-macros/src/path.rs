//! The path generated code uses to reach the runtime.

use syn::Path;

/// `::ith_provenance`: the crate users depend on (package `ith-provenance`).
/// Generated code names only `<this>::__private::…`, the runtime's hidden
/// module for macros. A crate that re-exports us, or a user who renamed the
/// dependency in Cargo.toml, points the macros at its own path with
/// `crate = "…"` (read by [`crate::attr::Opt::string_path`]); the runtime
/// itself uses `crate = "crate"`.
pub(crate) fn default_crate_path() -> Path {
    syn::parse_quote!(::ith_provenance)
}
