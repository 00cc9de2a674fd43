//! [`crate_info!`](crate::crate_info): the experiment crate's identity,
//! captured where that crate is compiled, through the `__private` items
//! that read its `Cargo.lock` and git state.

/// The calling crate's [`CrateInfo`](crate::CrateInfo): its name, version and manifest
/// directory, read from Cargo's variables when *that* crate is compiled,
/// with its resolved dependencies from its `Cargo.lock` (which cargo then
/// rebuilds the crate on any change of) for the context's `build`, and the
/// git state of its source at that moment for the context's `git`
/// (`docs/GIT.md`, *Built from*; cargo rebuilds the crate when HEAD, the
/// branch or the index change).
///
/// ```
/// let info = ith_provenance::crate_info!();
/// assert_eq!(info.name, env!("CARGO_PKG_NAME"));
/// ```
#[macro_export]
macro_rules! crate_info {
    () => {
        $crate::__private::compiled_with(
            $crate::CrateInfo::new(
                ::core::env!("CARGO_PKG_NAME"),
                ::core::env!("CARGO_PKG_VERSION"),
                ::core::env!("CARGO_MANIFEST_DIR"),
            ),
            $crate::__private::CompiledWith {
                lock: $crate::__private::__cargo_lock!($crate),
                git: $crate::__private::__build_git!($crate),
                cargo: $crate::__private::__build_cargo!($crate),
                debug_assertions: ::core::cfg!(debug_assertions),
            },
        )
    };
}
