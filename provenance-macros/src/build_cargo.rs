//! `__build_cargo!`: what cargo is building when the experiment crate is
//! compiled (its package, target, features and profile), for the context's
//! `build.cargo` (`docs/CONTEXT.md`, *The build*), so `provenance rerun`
//! can build the same thing again.
//!
//! A proc macro runs inside the rustc that compiles the crate, so rustc's
//! own command line, as cargo wrote it, says what is built: `--crate-name`,
//! `--crate-type` or `--test`, the `--cfg feature="…"` of each enabled
//! feature, and `--out-dir`, whose folder is named after the profile.
//! Outside cargo (another build system, an IDE's macro server) the record
//! says it could not tell.

use std::ffi::OsString;
use std::path::{Component, Path};

use proc_macro2::TokenStream;
use quote::quote;

/// Expands to a `BuildCargo` value; `krate` is the runtime's path (`$crate`).
pub(crate) fn expand(krate: TokenStream) -> TokenStream {
    let args: Vec<OsString> = std::env::args_os().collect();
    let bin_name = std::env::var("CARGO_BIN_NAME").ok();
    let package = std::env::var("CARGO_PKG_NAME").ok();
    let built = read(&args, bin_name.as_deref(), package.as_deref());
    let opt = |value: Option<&str>| match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    };
    let package = opt(built.package.as_deref());
    let target_kind = opt(built.target_kind);
    let target_name = opt(built.target_name.as_deref());
    let profile = opt(built.profile.as_deref());
    let reason = opt(built.reason.as_deref());
    let features = match &built.features {
        Some(features) => quote!(::core::option::Option::Some(&[#(#features),*])),
        None => quote!(::core::option::Option::None),
    };
    quote! {
        #krate::__private::BuildCargo {
            package: #package,
            target_kind: #target_kind,
            target_name: #target_name,
            features: #features,
            profile: #profile,
            reason: #reason,
        }
    }
}

/// What rustc's command line says cargo is building.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Built {
    pub(crate) package: Option<String>,
    pub(crate) target_kind: Option<&'static str>,
    pub(crate) target_name: Option<String>,
    pub(crate) features: Option<Vec<String>>,
    pub(crate) profile: Option<String>,
    pub(crate) reason: Option<String>,
}

/// Reads `args` (rustc's, first the program), with cargo's
/// `CARGO_BIN_NAME` (set for binaries and examples) and `CARGO_PKG_NAME`.
pub(crate) fn read(args: &[OsString], bin_name: Option<&str>, package: Option<&str>) -> Built {
    let args: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let value_of = |flag: &str| {
        let joined = format!("{flag}=");
        args.iter().enumerate().find_map(|(i, a)| {
            if a == flag {
                args.get(i + 1).cloned()
            } else {
                a.strip_prefix(&joined).map(str::to_string)
            }
        })
    };
    let Some(crate_name) = value_of("--crate-name") else {
        return Built {
            package: package.map(str::to_string),
            reason: Some(
                "not compiled by rustc under cargo (no --crate-name on the compiler's command \
                 line), so the cargo target is not known"
                    .into(),
            ),
            ..Built::default()
        };
    };
    let mut features: Vec<String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| (*i > 0 && args[i - 1] == "--cfg") || a.starts_with("--cfg="))
        .filter_map(|(_, a)| {
            let cfg = a.strip_prefix("--cfg=").unwrap_or(a);
            let value = cfg.strip_prefix("feature=")?;
            Some(value.trim_matches('"').to_string())
        })
        .collect();
    features.sort();
    features.dedup();
    let out_dir = value_of("--out-dir");
    let out_dir = out_dir.as_deref().map(Path::new);
    let source = args
        .iter()
        .find(|a| a.ends_with(".rs") && !a.starts_with('-'))
        .map(Path::new);
    let test = args.iter().any(|a| a == "--test");
    let crate_types: Vec<String> = args
        .iter()
        .enumerate()
        .filter(|(i, _)| *i > 0 && args[i - 1] == "--crate-type")
        .map(|(_, a)| a.clone())
        .collect();
    let in_folder = |name: &str| {
        source.is_some_and(|s| {
            s.components()
                .any(|c| c == Component::Normal(name.as_ref()))
        })
    };
    let named = || -> String {
        // A test's or bench's target name keeps its `-`; the crate name has `_`.
        source
            .and_then(|s| {
                let stem = s.file_stem()?.to_str()?;
                let stem = if stem == "main" {
                    s.parent()?.file_name()?.to_str()?
                } else {
                    stem
                };
                (stem.replace('-', "_") == crate_name).then(|| stem.to_string())
            })
            .unwrap_or_else(|| crate_name.clone())
    };
    let mut reason = None;
    let (target_kind, target_name) = if test {
        if in_folder("benches") {
            (Some("bench"), Some(named()))
        } else if in_folder("tests") {
            (Some("test"), Some(named()))
        } else if source.is_some_and(|s| s.ends_with("lib.rs")) {
            (Some("lib"), None)
        } else {
            reason = Some(format!(
                "the unit-test harness of a binary or example ({crate_name}), which `cargo test` \
                 builds but no single cargo option selects"
            ));
            (None, None)
        }
    } else if crate_types.iter().any(|t| t == "bin") {
        let name = bin_name
            .map(str::to_string)
            .unwrap_or_else(|| crate_name.clone());
        let example = out_dir.is_some_and(|d| d.ends_with("examples"));
        (Some(if example { "example" } else { "bin" }), Some(name))
    } else {
        reason = Some(format!(
            "the #[provenance] functions are in the library {crate_name}, compiled before the \
             program that links it"
        ));
        (None, None)
    };
    Built {
        package: package.map(str::to_string),
        target_kind,
        target_name,
        features: Some(features),
        profile: out_dir.and_then(profile),
        reason,
    }
}

/// The profile `--profile` takes, from cargo's output folder
/// (`target/<profile folder>/{deps,examples}`): `debug` is the `dev`
/// profile's folder; `release` and custom profiles use their own name.
fn profile(out_dir: &Path) -> Option<String> {
    let folder = out_dir.parent()?.file_name()?.to_str()?;
    Some(if folder == "debug" { "dev" } else { folder }.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(line: &str, bin: Option<&str>) -> Built {
        let args: Vec<OsString> = line.split(' ').map(OsString::from).collect();
        read(&args, bin, Some("ith-demo"))
    }

    #[test]
    fn an_example_with_features_in_release() {
        let b = built(
            "rustc --crate-name ith_epochs --edition=2021 examples/ith-epochs.rs \
             --error-format=json --crate-type bin --emit=dep-info,link -C opt-level=3 \
             --cfg feature=\"fast\" --cfg feature=\"default\" --check-cfg cfg(docsrs,test) \
             -C metadata=1 --out-dir /r/target/release/examples -L dependency=/r/target/release/deps",
            Some("ith-epochs"),
        );
        assert_eq!(
            b,
            Built {
                package: Some("ith-demo".into()),
                target_kind: Some("example"),
                target_name: Some("ith-epochs".into()),
                features: Some(vec!["default".into(), "fast".into()]),
                profile: Some("release".into()),
                reason: None,
            }
        );
    }

    #[test]
    fn a_binary_in_the_dev_profile_for_another_target() {
        let b = built(
            "rustc --crate-name sweep --edition=2024 src/bin/sweep.rs --crate-type bin \
             --out-dir /r/target/aarch64-unknown-linux-gnu/debug/deps",
            Some("sweep"),
        );
        assert_eq!(b.target_kind, Some("bin"));
        assert_eq!(b.target_name.as_deref(), Some("sweep"));
        assert_eq!(b.profile.as_deref(), Some("dev"));
        assert_eq!(b.features, Some(vec![]));
    }

    #[test]
    fn tests_benches_and_a_librarys_unit_tests() {
        let test = built(
            "rustc --crate-name walk_forward --edition=2021 tests/walk-forward.rs --test \
             --out-dir /r/target/debug/deps",
            None,
        );
        assert_eq!(test.target_kind, Some("test"));
        assert_eq!(test.target_name.as_deref(), Some("walk-forward"));
        let bench = built(
            "rustc --crate-name fit --edition=2021 benches/fit/main.rs --test \
             --out-dir /r/target/custom/deps",
            None,
        );
        assert_eq!(bench.target_kind, Some("bench"));
        assert_eq!(bench.target_name.as_deref(), Some("fit"));
        assert_eq!(bench.profile.as_deref(), Some("custom"));
        let lib = built(
            "rustc --crate-name ith_demo --edition=2021 src/lib.rs --test --out-dir /r/target/debug/deps",
            None,
        );
        assert_eq!((lib.target_kind, lib.target_name), (Some("lib"), None));
    }

    #[test]
    fn what_cannot_be_told_says_why() {
        let lib = built(
            "rustc --crate-name ith_demo src/lib.rs --crate-type lib --out-dir /r/target/debug/deps",
            None,
        );
        assert_eq!(lib.target_kind, None);
        assert!(lib.reason.unwrap().contains("library ith_demo"));
        let bin_tests = built(
            "rustc --crate-name main_bin src/main.rs --test --out-dir /r/target/debug/deps",
            None,
        );
        assert!(bin_tests.reason.unwrap().contains("unit-test harness"));
        let ide = built("rust-analyzer-proc-macro-srv", None);
        assert_eq!(ide.features, None);
        assert!(
            ide.reason
                .unwrap()
                .contains("not compiled by rustc under cargo")
        );
    }
}
