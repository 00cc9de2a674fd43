//! Derived code is clean under every warning denied, including lints that
//! are allowed by default (clippy's are checked by the workspace's
//! `cargo clippy --all-targets`, on tests/hygiene_fingerprint.rs).
#![deny(warnings, clippy::all, clippy::pedantic)]
#![deny(
    missing_docs,
    unused_qualifications,
    unused_results,
    trivial_casts,
    trivial_numeric_casts,
    unused_lifetimes,
    single_use_lifetimes,
    unreachable_pub,
    elided_lifetimes_in_paths,
    missing_debug_implementations,
    deprecated
)]

use ith_provenance::{Fingerprint, fingerprint::Fingerprinter};

fn seconds(d: &std::time::Duration, f: &mut Fingerprinter) {
    f.write_f64(d.as_secs_f64());
}

/// A config.
#[derive(Debug, Fingerprint)]
pub struct Config<'a, T> {
    /// Old.
    #[deprecated = "use `rate`"]
    pub lr: f64,
    /// Borrowed.
    pub name: &'a str,
    /// Generic.
    pub value: T,
    /// Through a function.
    #[fingerprint(with = seconds)]
    pub timeout: std::time::Duration,
    /// Not written.
    #[fingerprint(skip)]
    pub cache: Vec<u8>,
}

/// An enum.
#[derive(Debug, Fingerprint)]
pub enum Optimizer {
    /// Unit.
    Adam,
    /// Struct.
    Sgd {
        /// Rate.
        #[fingerprint(rename = "learning_rate")]
        lr: f64,
        /// Skipped.
        #[fingerprint(skip)]
        verbose: bool,
    },
    /// Tuple.
    Clip(f32, #[fingerprint(skip)] f32),
}

/// A unit struct.
#[derive(Debug, Fingerprint)]
pub struct Marker;

/// A tuple struct.
#[derive(Debug, Fingerprint)]
pub struct Meters(pub f64);

#[allow(deprecated)]
fn main() {
    let c = Config {
        lr: 0.1,
        name: "n",
        value: 1_u8,
        timeout: std::time::Duration::from_secs(1),
        cache: vec![],
    };
    let _ = (
        c.fingerprint(),
        Optimizer::Adam.fingerprint(),
        Marker.fingerprint(),
        Meters(1.0).fingerprint(),
    );
    let _ = Optimizer::Sgd {
        lr: 0.1,
        verbose: false,
    }
    .fingerprint();
    let _ = Optimizer::Clip(0.0, 1.0).fingerprint();
}
