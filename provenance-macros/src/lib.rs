//! Procedural macros of **provenance**: `#[provenance]`,
//! `#[derive(Fingerprint)]` and `#[derive(Event)]`.
//!
//! Use them through the `ith-provenance` crate, which re-exports them with the
//! runtime they expand to; their documentation lives there. This crate holds
//! only the thin entry points; each macro has a module with its stages
//! (`ast`, `attr`, `valid`, `expand`), as in thiserror and serde_derive.

mod attr;
mod build_cargo;
mod build_git;
mod cargo_lock;
mod ctxt;
mod event;
mod fingerprint;
mod path;
mod provenance;

use proc_macro::TokenStream;

/// Makes every call of an experiment function a recorded *run*.
///
/// ```ignore
/// use ith_provenance::provenance;
/// use serde::Serialize;
///
/// #[derive(Serialize)]
/// struct Params { window: usize, hurdle: f64 }
///
/// #[provenance(experiment = "exp001", seed = 42, fingerprint_output)]
/// fn bull_ith(#[fingerprint] nav: &[f64], #[config] params: Params) -> Result<Vec<usize>, String> {
///     let mut rng = ith_provenance::rng("bootstrap"); // derived from 42, recorded
///     if nav.is_empty() {
///         return Err("no data".into()); // algorithm.result: status "error"
///     }
///     let window: usize = std::env::var("WINDOW").unwrap_or("20".into()).parse()
///         .map_err(|e: std::num::ParseIntError| e.to_string())?; // `?` works too
///     Ok(detect_epochs(nav, window, params.hurdle, &mut rng))
/// }
/// ```
///
/// The first annotated call of a process opens the session's log
/// (`PROVENANCE_LOG`, else `logs/provenance/<session_id>.ndjson`; or the log
/// already installed with `EventLog::install`). Each call then
/// writes `algorithm.init` (config, `config_hash`, git commit and dirty
/// flag, root seed), one `data.load` per `#[fingerprint]` argument, and on
/// every way out — value, early `return`, `?`, `Err`, panic, a dropped
/// future — one `algorithm.result` (`ok`, `error` with the error's
/// `Display`, or `panic` with its message), flushed. While the body runs
/// (and on every poll of an `async` body) the run is current: every line
/// the session's log writes carries `run_id` (and `parent_run_id` when the
/// call is nested in another annotated call), and `ith_provenance::rng` /
/// `ith_provenance::seed` hand out recorded seeds.
///
/// # Options
///
/// - `experiment = "…"`: the session's `experiment_id` when this call opens
///   it (default: the function's name).
/// - `seed = 42`: the run's root seed. Without it: `PROVENANCE_SEED`, else
///   the session's root seed (drawn from entropy). Each `seed.derived` line
///   records the root seed and which source it came from.
/// - `name = "…"`: `algorithm_name` (default: the function's name).
/// - `version = "…"`: `version` (default: the calling crate's
///   `CARGO_PKG_VERSION`).
/// - `strict`: every argument, `self` included, must be marked.
/// - `fingerprint_output`: records `output_hash`, the `Fingerprint` of the
///   return value (of the `Ok` value for a `Result`).
/// - `output_file`: the function returns the path of a file it wrote
///   (`PathBuf`, `&Path`, `String`, `&str`, `OsString`, `&OsStr`, or the
///   `Ok` of a `Result` of one); after the body it is recorded as
///   `ith_provenance::record_output` does (`data.save`, and an entry in
///   `algorithm.result`'s `outputs`). A path that cannot be read ends the
///   run as an `error` naming it; the value is returned unchanged.
/// - `crate = "path"`: where the `ith-provenance` crate is (for re-exports).
///
/// # Argument markers
///
/// - `#[fingerprint]`: the argument implements `Fingerprint` or is
///   array-like (`ArrayData`, preferred when both; references are looked
///   through). Written as a `data.load` named after the argument.
/// - `#[fingerprint(file)]`: the argument is a path (`&Path`, `PathBuf`,
///   `&str`, `String`, `&OsStr`, `OsString`); the file it names is streamed
///   through SHA-256 before the body runs and written as a `data.load`
///   (absolute path, size, working directory) whose hash counts as the
///   argument's. A file that cannot be read leaves the body alone but ends
///   the run as an `error` naming it (a panic before the body under a
///   strict log).
/// - `#[config]`: the argument implements `Serialize`; it is `config` in
///   `algorithm.init` (several: an object keyed by argument name).
/// - `#[provenance(skip)]`: deliberately not recorded (what `strict` asks
///   for on every argument that is neither of the above).
///
/// Unmarked arguments are not recorded. Markers need a named argument (or
/// `self`); a destructuring pattern is a compile error. Works on `fn` and
/// `async fn`, methods with any receiver, generics, lifetimes, `impl Trait`
/// arguments and returns, `unsafe fn` and `extern "C" fn`; not on
/// `const fn`. `docs/PROVENANCE_MACRO.md` has the details.
#[proc_macro_attribute]
pub fn provenance(args: TokenStream, item: TokenStream) -> TokenStream {
    provenance::expand(args.into(), item.into()).into()
}

/// Derives `Fingerprint`: a stable SHA-256 of a struct's or enum's value,
/// the same on every platform and release (the struct and enum forms of
/// `docs/VALUE_FINGERPRINT.md`).
///
/// ```ignore
/// use ith_provenance::Fingerprint;
///
/// #[derive(Fingerprint)]
/// struct Config {
///     lr: f64,
///     layers: Vec<usize>, // hashed in bulk, like any `Vec` of numbers
///     optimizer: Optimizer,
/// }
///
/// #[derive(Fingerprint)]
/// enum Optimizer {
///     Adam,
///     Sgd { momentum: f64 },
/// }
///
/// let config = Config { lr: 0.1, layers: vec![64, 32], optimizer: Optimizer::Adam };
/// println!("{}", config.fingerprint()); // sha256:…
/// ```
///
/// # What it writes
///
/// - A struct with named fields is identified by its field names and values.
///   Fields are written sorted by name, so **reordering fields keeps the
///   fingerprint; renaming, adding or removing one, or changing its type,
///   changes it**. The type's own name is not written: renaming the type or
///   moving it to another module keeps the fingerprint.
/// - A tuple struct is its fields in order; a unit struct is a constant.
/// - An enum value is its variant's **name** and that variant's fields, so
///   the variant always counts, while reordering variants or changing
///   discriminants does not.
/// - Unions are rejected: which field holds the value is not known.
///
/// # Generics
///
/// Every type parameter used in a written field gets a `T: Fingerprint`
/// bound (an associated type `T::Item` gets `T::Item: Fingerprint`), added
/// to the type's own bounds and where-clause. A parameter used only in
/// skipped fields, `with` fields or `PhantomData` gets none. Lifetimes and
/// const parameters are kept as declared.
///
/// # Options
///
/// On a field:
///
/// - `#[fingerprint(skip)]`: leave the field out, as if it were not declared
///   (caches, handles, verbosity). Its type needs no `Fingerprint` impl.
/// - `#[fingerprint(with = path)]` (or `with = "path"`): write the field with
///   `path(&field, &mut Fingerprinter)` instead of its own impl; for types
///   without one (`Duration`) or values to normalise first. The call is an
///   ordinary call, so `fn(&str, ..)` serves a `String` field.
/// - `#[fingerprint(rename = "old_name")]`: write the field under another
///   name. Rename a field in the source and keep every fingerprint recorded
///   before the rename by giving the old name here. Named fields only.
///
/// On a variant, `#[fingerprint(rename = "OldName")]` does the same for the
/// variant's name.
///
/// On the type, `#[fingerprint(crate = "path")]` names the path the
/// generated code reaches the runtime through, for crates that re-export
/// `ith_provenance` (default `::ith_provenance`).
///
/// ```ignore
/// use std::time::Duration;
/// use ith_provenance::{Fingerprint, Fingerprinter};
///
/// fn seconds(d: &Duration, f: &mut Fingerprinter) {
///     f.write_f64(d.as_secs_f64());
/// }
///
/// #[derive(Fingerprint)]
/// struct Run {
///     #[fingerprint(rename = "lr")] // was `lr: f64`; old fingerprints still match
///     learning_rate: f64,
///     #[fingerprint(with = seconds)]
///     timeout: Duration,
///     #[fingerprint(skip)]
///     verbose: bool,
/// }
/// ```
///
/// Two fields (or variants) written under the same name, `skip` together
/// with `with` or `rename`, `rename` on a tuple field, unknown or repeated
/// options and `#[repr(packed)]` structs are compile errors, all reported
/// at once, each on its own tokens.
#[proc_macro_derive(Fingerprint, attributes(fingerprint))]
pub fn derive_fingerprint(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    fingerprint::derive(&input).into()
}

/// Derives `Event`: an event type's name, payload version and payload JSON
/// Schema, checked at compile time and registered for `ith_provenance::schemas()`.
///
/// ```ignore
/// use ith_provenance::Event;
///
/// #[derive(serde::Serialize, Event)]
/// #[event(name = "training.checkpoint", version = 1)]
/// struct Checkpoint {
///     step: u64,
///     loss: f64,
///     #[serde(skip_serializing_if = "Option::is_none")]
///     note: Option<String>,
/// }
///
/// log.emit(&Checkpoint { step: 100, loss: 0.25, note: None })?;
/// ```
///
/// The first `Checkpoint` a log writes in a session is preceded by an
/// `event.schema` line carrying `Checkpoint::payload_schema()`, so the log
/// describes its own lines (`docs/CONTRACT.md`).
///
/// # Options
///
/// `#[event(name = "…", version = N, crate = "path")]` on the struct:
///
/// - `name` (required): the `event_type` written on each line. Lowercase
///   ASCII letters, digits, `_` and `.`, not empty, with no leading, trailing
///   or doubled `.`; prefix it with your own domain (`training.checkpoint`).
/// - `version`: the payload's version, a positive integer (default 1). Raise
///   it when the fields change; it is written in the `event.schema` line.
/// - `crate`: the path generated code reaches the runtime through, for
///   crates that re-export `ith_provenance` (default `::ith_provenance`).
///
/// # The payload schema
///
/// A closed object (`"additionalProperties": false`) with one property per
/// written field, each described by its type's `ith_provenance::FieldSchema`
/// (implemented for numbers, text, paths, options, sequences, sets, maps
/// with string keys, tuples, smart pointers, `serde_json::Value`, chrono's
/// `DateTime<Utc>` and the runtime's types; implement it for your own).
/// Every field is required unless serde may leave it out. The `#[serde]`
/// attributes that change what is written are honoured:
///
/// - `rename` and the struct's `rename_all` name the properties;
/// - `skip` and `skip_serializing` leave the field out of the schema;
/// - `skip_serializing_if`, `default` (or the struct's `default`) keep it,
///   not required.
///
/// ```ignore
/// #[derive(serde::Serialize, Event)]
/// #[event(name = "training.epoch", version = 2)]
/// #[serde(rename_all = "camelCase")]
/// struct Epoch<'a> {
///     epoch_index: u32,               // "epochIndex": integer ≥ 0, required
///     #[serde(rename = "lr")]
///     learning_rate: f64,             // "lr": number or "NaN"/"Infinity"/"-Infinity"
///     phase: &'a str,                 // lifetimes are fine
///     #[serde(skip)]
///     scratch: Vec<f32>,              // not written, not in the schema
///     #[serde(default)]
///     tags: Vec<String>,              // "tags": array of strings, not required
/// }
/// ```
///
/// # Compile errors
///
/// All reported at once, each on the offending tokens: a missing
/// `#[event]` or `name`; a malformed name; a version that is not a positive
/// `u32`; an unknown or repeated option; `#[event]` on a field; a tuple or
/// unit struct, an enum or a union (an event is a struct with named fields);
/// a type or const parameter (one name and version must mean one schema;
/// lifetime parameters are accepted); a field written under an envelope
/// name (`ts`, `event_type`, `session_id`, `seq`, `experiment_id`, `run_id`,
/// `parent_run_id`, `non_finite`, after renames) or under another field's name;
/// `#[serde(flatten)]` (the fields must be known, and a flattened map could
/// smuggle in `seq`); `#[serde(with)]`/`serialize_with` on a field and
/// `#[serde(transparent)]`, `into` or `tag` on the struct (the written
/// form would not be the fields' types'); and a field type without a
/// `FieldSchema` (reported on the type).
///
/// # Registration
///
/// Each derived type is registered with `inventory`. `ith_provenance::schemas()`
/// lists them, and it and opening a log fail when two types share a name
/// and version. A type in a library crate the program never otherwise
/// refers to may be dropped by the linker (inventory issue #7), and is then
/// missing from `schemas()` (its events are still written, with their
/// schema lines).
#[proc_macro_derive(Event, attributes(event))]
pub fn derive_event(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    event::derive(&input).into()
}

/// The calling crate's resolved dependencies from its `Cargo.lock`, for
/// `crate_info!()`; not public API. The input is the runtime's path.
#[doc(hidden)]
#[proc_macro]
pub fn __cargo_lock(input: TokenStream) -> TokenStream {
    cargo_lock::expand(input.into()).into()
}

/// The git state of the calling crate's source as it is compiled, for
/// `crate_info!()`; not public API. The input is the runtime's path.
#[doc(hidden)]
#[proc_macro]
pub fn __build_git(input: TokenStream) -> TokenStream {
    build_git::expand(input.into()).into()
}

/// What cargo is building as the calling crate is compiled (package,
/// target, features, profile), for `crate_info!()`; not public API. The
/// input is the runtime's path.
#[doc(hidden)]
#[proc_macro]
pub fn __build_cargo(input: TokenStream) -> TokenStream {
    build_cargo::expand(input.into()).into()
}
