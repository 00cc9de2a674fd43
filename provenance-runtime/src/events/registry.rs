//! Every event type in the program, listed: each `#[derive(Event)]` submits
//! a descriptor at compile time (`inventory`), read and checked on first use.
//!
//! `inventory` registers descriptors from static constructors the linker
//! keeps only in object files it links: a `#[derive(Event)]` in a library
//! crate the binary never refers to (no function, type or static of it is
//! used) may be dropped, and its event type is then missing from
//! [`schemas`] (inventory issue #7). Any use of the crate keeps it; `use
//! my_events as _;` does not, naming one of its items does.

use std::sync::OnceLock;

use serde_json::Value;

/// What a `#[derive(Event)]` registers: built at compile time, read by
/// [`schemas`]. Not public API; generated code builds it through the
/// macros' private module.
#[doc(hidden)]
#[derive(Debug)]
pub struct EventDescriptor {
    name: &'static str,
    version: u32,
    type_name: &'static str,
    schema: fn() -> Value,
}

impl EventDescriptor {
    /// The descriptor of `E`, which the macro names `type_name`.
    pub const fn of<E: super::event::Event + ?Sized>(type_name: &'static str) -> Self {
        EventDescriptor {
            name: E::EVENT_TYPE,
            version: E::VERSION,
            type_name,
            schema: E::payload_schema,
        }
    }
}

inventory::collect!(EventDescriptor);

/// One registered event type: its name and version, the Rust type that
/// defines it, and its payload schema.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct EventSchema {
    /// The `event_type` written on its lines (`data.load`).
    pub name: &'static str,
    /// Its payload version ([`Event::VERSION`](super::Event::VERSION)).
    pub version: u32,
    /// The Rust type, with its module path (`ith_provenance_runtime::events::builtin::DataLoad`).
    pub type_name: &'static str,
    /// JSON Schema (draft 2020-12) of its payload fields.
    pub schema: Value,
}

/// Why the registered event types cannot be listed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// Two Rust types claim the same event type and version, so a reader
    /// could not tell which schema a line follows.
    #[error(
        "event type {name:?} version {version} is defined twice, by `{first}` and by `{second}`; \
         rename one (#[event(name = \"...\")]) or give it another version"
    )]
    Duplicate {
        /// The event type both use.
        name: &'static str,
        /// The version both use.
        version: u32,
        /// One of the types.
        first: &'static str,
        /// The other.
        second: &'static str,
    },
}

/// Every event type defined with `#[derive(Event)]` in the program (the
/// built-in ones included), sorted by name, then version.
///
/// ```
/// let schemas = ith_provenance::schemas()?;
/// let load = schemas.iter().find(|s| s.name == "data.load").unwrap();
/// assert_eq!(load.version, 2);
/// assert_eq!(load.schema["properties"]["row_count"]["type"], "integer");
/// # Ok::<(), ith_provenance::events::RegistryError>(())
/// ```
///
/// Types implementing [`Event`](super::Event) by hand are not listed. See
/// the module documentation for event types the linker may drop.
///
/// # Errors
/// [`RegistryError::Duplicate`] when two types share a name and version
/// (the same error every time: the check runs once).
pub fn schemas() -> Result<Vec<EventSchema>, RegistryError> {
    let sorted = registered()?;
    Ok(sorted
        .iter()
        .map(|d| EventSchema {
            name: d.name,
            version: d.version,
            type_name: d.type_name,
            schema: (d.schema)(),
        })
        .collect())
}

/// Checks the registry once (opening a log calls this, so a duplicate is
/// reported before any line is written).
pub(crate) fn check() -> Result<(), RegistryError> {
    registered().map(|_| ())
}

/// The descriptors, sorted and checked once per process.
fn registered() -> Result<&'static [&'static EventDescriptor], RegistryError> {
    static SORTED: OnceLock<Result<Vec<&'static EventDescriptor>, RegistryError>> = OnceLock::new();
    SORTED
        .get_or_init(|| {
            let mut all: Vec<&'static EventDescriptor> =
                inventory::iter::<EventDescriptor>.into_iter().collect();
            // The type name last, so the error names the two types in a
            // stable order.
            all.sort_by_key(|d| (d.name, d.version, d.type_name));
            match all
                .windows(2)
                .find(|w| (w[0].name, w[0].version) == (w[1].name, w[1].version))
            {
                Some(w) => Err(RegistryError::Duplicate {
                    name: w[0].name,
                    version: w[0].version,
                    first: w[0].type_name,
                    second: w[1].type_name,
                }),
                None => Ok(all),
            }
        })
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}
