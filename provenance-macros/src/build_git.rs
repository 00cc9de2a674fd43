//! `__build_git!`: the git state of the experiment crate's source when that
//! crate is compiled, for the context's `git` (`docs/GIT.md`, *Built from*).
//!
//! Git read at run time names the tree as it is then, which is not the
//! source of a binary built before a commit or an edit. So the state is
//! also read here, by the same capture the runtime uses. The expansion
//! `include_bytes!`s the files that change with HEAD, the branch and the
//! index, which puts them in rustc's dep-info: cargo rebuilds the crate
//! (and this macro reads git again) whenever any of them changes, as it
//! does for the crate's own sources.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use ith_provenance_git::redact::SecretNames;
use ith_provenance_git::{GitSearchStart, GitState, PathStatus, UncommittedPatch};
use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};
use sha2::{Digest, Sha256};

/// `PROVENANCE_PATCH=off` (any case) keeps the uncommitted changes out of
/// the binary and out of the log (`docs/GIT.md`, *The patch*).
const PATCH_ENV: &str = "PROVENANCE_PATCH";

/// The names `PROVENANCE_REDACT` adds to the secret ones, as the runtime
/// reads them.
const REDACT_ENV: &str = "PROVENANCE_REDACT";

/// Expands to a `BuildGit` value; `krate` is the runtime's path (`$crate`).
pub(crate) fn expand(krate: TokenStream) -> TokenStream {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let state = captured(manifest_dir.as_deref());
    let git = quote!(#krate::__private);
    let watched = state.watched.iter().filter_map(|file| file.to_str());
    let sha = opt_str(state.sha.as_deref());
    let short_sha = opt_str(state.short_sha.as_deref());
    let dirty = opt(state.dirty.map(|dirty| quote!(#dirty)));
    let branch = opt_str(state.branch.as_deref());
    let diff_hash = opt(state.diff_hash.map(|bytes| quote!([#(#bytes),*])));
    let dirty_paths = state.dirty_paths.iter().map(|dirty| {
        let path = &dirty.path;
        let status = match dirty.status {
            PathStatus::Modified => quote!(Modified),
            PathStatus::Added => quote!(Added),
            PathStatus::Deleted => quote!(Deleted),
            PathStatus::Untracked => quote!(Untracked),
            PathStatus::Conflicted => quote!(Conflicted),
        };
        quote!((#path, #git::PathStatus::#status))
    });
    let count = state.dirty_path_count;
    let dirty_path_count = opt(state.dirty.map(|_| quote!(#count)));
    let repo_root = opt_str(state.repo_root.as_deref().and_then(Path::to_str));
    let remote_url = opt_str(state.remote_url.as_deref());
    let searched_from = opt_str(state.searched_from.as_deref().and_then(Path::to_str));
    let found_via = opt(state.found_via.map(|via| match via {
        GitSearchStart::ManifestDir => quote!(#git::GitSearchStart::ManifestDir),
        GitSearchStart::WorkingDir => quote!(#git::GitSearchStart::WorkingDir),
    }));
    let reason = opt_str(state.reason.as_deref());
    let patch = opt(state.patch.as_ref().map(|patch| build_patch(&git, patch)));
    let (patch_env, redact_env) = (PATCH_ENV, REDACT_ENV);
    quote! {{
        // Never read: they make HEAD, the branch and the index part of this
        // crate's inputs, so cargo rebuilds it when any of them changes.
        #(const _: &[::core::primitive::u8] = ::core::include_bytes!(#watched);)*
        // Never read either: they make the variables that decide the patch
        // part of this crate's inputs, so changing them rebuilds it.
        const _: ::core::option::Option<&::core::primitive::str> = ::core::option_env!(#patch_env);
        const _: ::core::option::Option<&::core::primitive::str> = ::core::option_env!(#redact_env);
        #git::BuildGit {
            sha: #sha,
            short_sha: #short_sha,
            dirty: #dirty,
            branch: #branch,
            diff_hash: #diff_hash,
            dirty_paths: &[#(#dirty_paths),*],
            dirty_path_count: #dirty_path_count,
            repo_root: #repo_root,
            remote_url: #remote_url,
            searched_from: #searched_from,
            found_via: #found_via,
            reason: #reason,
            patch: #patch,
        }
    }}
}

/// A `BuildPatch`: the bytes as one byte-string literal, with their
/// SHA-256 taken here so the run does not hash a megabyte to name them.
///
/// Every `#[provenance]` function expands `crate_info!()`, so the literal
/// is written once per function, but rustc interns equal byte strings:
/// the binary holds one copy (13 expansions of a 200 KB literal over 16
/// codegen units gave one copy, in debug and release builds).
fn build_patch(git: &TokenStream, patch: &UncommittedPatch) -> TokenStream {
    let bytes = opt(patch
        .bytes
        .as_deref()
        .map(|bytes| Literal::byte_string(bytes).into_token_stream()));
    let sha256 = opt(patch.bytes.as_deref().map(|bytes| {
        let hash: [u8; 32] = Sha256::digest(bytes).into();
        quote!([#(#hash),*])
    }));
    let redacted = &patch.redacted;
    let reason = opt_str(patch.reason.as_deref());
    quote! {
        #git::BuildPatch {
            bytes: #bytes,
            sha256: #sha256,
            redacted: &[#(#redacted),*],
            reason: #reason,
        }
    }
}

/// One capture per crate compiled: every `#[provenance]` function expands
/// `crate_info!()`, and the status of a large tree costs tens of
/// milliseconds. Keyed by the manifest directory because a long-lived
/// macro server (an IDE's) expands several crates.
fn captured(manifest_dir: Option<&Path>) -> GitState {
    static CAPTURES: OnceLock<Mutex<HashMap<Option<PathBuf>, GitState>>> = OnceLock::new();
    let captures = CAPTURES.get_or_init(Mutex::default);
    let mut captures = captures.lock().unwrap_or_else(PoisonError::into_inner);
    captures
        .entry(manifest_dir.map(Path::to_path_buf))
        .or_insert_with(|| capture(manifest_dir))
        .clone()
}

/// The capture with the patch of a dirty tree, unless `PROVENANCE_PATCH=off`
/// (then not even computed), its secrets redacted by the same names the
/// runtime uses (the built-in ones and `PROVENANCE_REDACT`'s; a builder's
/// `redact_names` is not known yet).
fn capture(manifest_dir: Option<&Path>) -> GitState {
    let off = std::env::var(PATCH_ENV).is_ok_and(|v| v.trim().eq_ignore_ascii_case("off"));
    if off {
        let mut state = ith_provenance_git::capture(manifest_dir);
        if state.dirty == Some(true) {
            state.patch = Some(UncommittedPatch::not_stored(
                "PROVENANCE_PATCH=off when the crate was compiled",
            ));
        }
        return state;
    }
    let extra = std::env::var(REDACT_ENV).unwrap_or_default();
    let secrets = SecretNames::with_extra(extra.split(','));
    ith_provenance_git::capture_with_patch(manifest_dir, &secrets)
}

fn opt(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

fn opt_str(value: Option<&str>) -> TokenStream {
    opt(value.map(|s| quote!(#s)))
}
