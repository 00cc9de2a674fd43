//! `__cargo_lock!`: the experiment crate's resolved dependencies, read from
//! its `Cargo.lock` when that crate is compiled, for the context's `build`.
//!
//! The lock is found by walking up from `CARGO_MANIFEST_DIR` (a workspace
//! member's lock is at the workspace root). Only the packages reachable
//! from the crate itself are kept: the lock of a workspace also resolves
//! its other members. The expansion `include_bytes!`s the lock, which puts
//! the file in rustc's dep-info, so cargo rebuilds the crate whenever the
//! lock changes and the record never goes stale.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use sha2::{Digest, Sha256};

/// One `[[package]]` of a lock file.
#[derive(Debug)]
struct Package {
    name: String,
    version: String,
    source: Option<String>,
    dependencies: Vec<String>,
}

/// What the lock says about the crate being compiled.
struct Resolved {
    path: PathBuf,
    sha256: String,
    dependencies: Vec<(String, String, Option<String>)>,
}

/// Expands to a `CargoLock` value; `krate` is the runtime's path (`$crate`).
pub(crate) fn expand(krate: TokenStream) -> TokenStream {
    let private = quote!(#krate::__private);
    match resolve() {
        Ok(lock) => {
            let path = lock.path.to_string_lossy().into_owned();
            let sha256 = lock.sha256;
            let deps = lock.dependencies.iter().map(|(name, version, source)| {
                let source = match source {
                    Some(s) => quote!(::core::option::Option::Some(#s)),
                    None => quote!(::core::option::Option::None),
                };
                quote!((#name, #version, #source))
            });
            quote! {{
                // Never read: it makes the lock part of this crate's inputs.
                const _: &[::core::primitive::u8] = ::core::include_bytes!(#path);
                #private::CargoLock::found(#path, #sha256, &[#(#deps),*])
            }}
        }
        Err(reason) => quote!(#private::CargoLock::missing(#reason)),
    }
}

fn resolve() -> Result<Resolved, String> {
    let var = |name: &str| {
        std::env::var(name).map_err(|_| format!("{name} was not set when the crate was compiled"))
    };
    let manifest_dir = PathBuf::from(var("CARGO_MANIFEST_DIR")?);
    let (name, version) = (var("CARGO_PKG_NAME")?, var("CARGO_PKG_VERSION")?);
    let path = find_lock(&manifest_dir).ok_or_else(|| {
        format!(
            "no Cargo.lock in {} or a folder above it (a library built as a dependency has none)",
            manifest_dir.display()
        )
    })?;
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let hex: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let sha256 = format!("sha256:{hex}");
    let packages = parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let dependencies = reachable(&packages, &name, &version).ok_or_else(|| {
        format!(
            "{} does not list {name} {version}: it is not this crate's lock",
            path.display()
        )
    })?;
    Ok(Resolved {
        path,
        sha256,
        dependencies,
    })
}

fn find_lock(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join("Cargo.lock"))
        .find(|lock| lock.is_file())
}

fn parse(text: &str) -> Result<Vec<Package>, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| format!("not a valid lock file: {}", e.message()))?;
    let Some(packages) = table.get("package") else {
        return Ok(Vec::new());
    };
    let packages = packages
        .as_array()
        .ok_or("`package` is not an array of tables")?;
    packages
        .iter()
        .map(|p| {
            let text = |key: &str| p.get(key).and_then(toml::Value::as_str).map(str::to_string);
            Ok(Package {
                name: text("name").ok_or("a [[package]] has no name")?,
                version: text("version").ok_or("a [[package]] has no version")?,
                source: text("source"),
                dependencies: p
                    .get("dependencies")
                    .and_then(toml::Value::as_array)
                    .map(|deps| {
                        deps.iter()
                            .filter_map(toml::Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// Every package reachable from the local package `name` `version`, itself
/// left out, sorted by name and version; `None` when the lock lacks it.
///
/// A lock names a dependency `name` when one version of it is locked,
/// `name version` when several are, and `name version (source)` when
/// several sources hold that version.
fn reachable(
    packages: &[Package],
    name: &str,
    version: &str,
) -> Option<Vec<(String, String, Option<String>)>> {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in packages.iter().enumerate() {
        by_name.entry(p.name.as_str()).or_default().push(i);
    }
    let find = |spec: &str| -> Option<usize> {
        let mut parts = spec.splitn(3, ' ');
        let name = parts.next()?;
        let version = parts.next();
        let source = parts
            .next()
            .map(|s| s.trim_start_matches('(').trim_end_matches(')'));
        by_name.get(name)?.iter().copied().find(|&i| {
            version.is_none_or(|v| packages[i].version == v)
                && source.is_none_or(|s| packages[i].source.as_deref() == Some(s))
        })
    };
    let root = by_name
        .get(name)?
        .iter()
        .copied()
        .find(|&i| packages[i].version == version && packages[i].source.is_none())?;
    let mut seen = BTreeSet::from([root]);
    let mut queue = VecDeque::from([root]);
    while let Some(i) = queue.pop_front() {
        for spec in &packages[i].dependencies {
            if let Some(dep) = find(spec)
                && seen.insert(dep)
            {
                queue.push_back(dep);
            }
        }
    }
    seen.remove(&root);
    let mut deps: Vec<_> = seen
        .into_iter()
        .map(|i| {
            let p = &packages[i];
            (p.name.clone(), p.version.clone(), p.source.clone())
        })
        .collect();
    deps.sort();
    Some(deps)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["helper", "rand 0.9.0", "serde"]

[[package]]
name = "other-member"
version = "0.1.0"
dependencies = ["rand 0.8.5"]

[[package]]
name = "helper"
version = "0.2.0"
dependencies = ["serde"]

[[package]]
name = "rand"
version = "0.8.5"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "rand"
version = "0.9.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde"
version = "1.0.228"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "00"
"#;

    #[test]
    fn keeps_what_the_crate_reaches_and_nothing_else() {
        let packages = parse(LOCK).unwrap();
        let deps = reachable(&packages, "app", "0.1.0").unwrap();
        let names: Vec<String> = deps.iter().map(|(n, v, _)| format!("{n} {v}")).collect();
        // rand 0.8.5 belongs to another workspace member only.
        assert_eq!(names, ["helper 0.2.0", "rand 0.9.0", "serde 1.0.228"]);
        assert_eq!(deps[0].2, None, "a path dependency has no source");
        assert!(deps[1].2.as_deref().unwrap().starts_with("registry+"));
        assert!(reachable(&packages, "app", "9.9.9").is_none());
    }

    #[test]
    fn a_malformed_lock_is_an_error_not_a_panic() {
        assert!(parse("[[package]]\nname = 3").is_err());
        assert!(
            parse("= not toml")
                .unwrap_err()
                .contains("not a valid lock file")
        );
    }
}
