//! The [`Fingerprint`] trait: what a type implements to have a value
//! fingerprint, by feeding its encoding to a [`Fingerprinter`].

use super::encoder::Fingerprinter;
use crate::Sha256Hash;

/// A value with a stable, platform-independent SHA-256 fingerprint.
///
/// Implemented for the primitives, strings, `Option`, `Result`, slices,
/// arrays, `Vec`, `VecDeque`, `LinkedList`, tuples up to 12, the std maps and
/// sets (any hasher), smart pointers and references (which encode as what
/// they point to), `Cow`, the chrono date-time types, [`Sha256Hash`] and
/// (feature `ndarray`) every `ndarray` array and view, which encodes its shape
/// and the `sha256` [`fingerprint_array`](crate::fingerprint_array) gives it.
///
/// Derive it for your own structs and enums: fields are identified by name
/// (reordering them keeps the fingerprint), the type's name is not included,
/// and an enum value is its variant's name and fields. See the derive's
/// documentation for `skip`, `with` and `rename`. (Through the `provenance`
/// crate the `crate = ...` line is not needed.)
///
/// ```
/// use ith_provenance::Fingerprint;
///
/// #[derive(Fingerprint)]
/// struct Config {
///     lr: f64,
///     layers: Vec<usize>,
///     #[fingerprint(skip)]
///     verbose: bool,
/// }
///
/// #[derive(Fingerprint)]
/// struct Reordered {
///     layers: Vec<usize>,
///     lr: f64,
/// }
///
/// let a = Config { lr: 0.1, layers: vec![64, 32], verbose: true };
/// let quiet = Config { lr: 0.1, layers: vec![64, 32], verbose: false };
/// assert_eq!(a.fingerprint(), quiet.fingerprint());
/// assert_eq!(a.fingerprint(), Reordered { layers: vec![64, 32], lr: 0.1 }.fingerprint());
/// assert_ne!(a.fingerprint(), Config { lr: 0.2, ..a }.fingerprint());
/// ```
///
/// An impl feeds the value's canonical encoding to the [`Fingerprinter`]
/// through its `write_*` / `begin_*` methods:
///
/// ```
/// use ith_provenance::{Fingerprint, fingerprint::Fingerprinter};
///
/// enum Optimizer {
///     Sgd { lr: f64 },
///     Adam,
/// }
///
/// impl Fingerprint for Optimizer {
///     fn write_fingerprint(&self, f: &mut Fingerprinter) {
///         match self {
///             Optimizer::Sgd { lr } => f.begin_struct_variant("Sgd", 1).field("lr", lr).finish(),
///             Optimizer::Adam => f.write_unit_variant("Adam"),
///         }
///     }
/// }
///
/// let sgd = Optimizer::Sgd { lr: 0.1 }.fingerprint();
/// assert_ne!(sgd, Optimizer::Sgd { lr: 0.2 }.fingerprint());
/// assert_ne!(sgd, Optimizer::Adam.fingerprint());
/// assert_eq!(sgd.to_string().len(), "sha256:".len() + 64);
/// ```
///
/// A slice of pointers (`[&u8]`, `[Box<f64>]`, `[Cow<u8>]`) uses the generic
/// sequence form, not the packed one, so it does not equal the slice of the
/// numbers themselves; every other pointer encodes exactly as its target.
pub trait Fingerprint {
    /// Feeds this value's canonical encoding to the encoder.
    fn write_fingerprint(&self, f: &mut Fingerprinter);

    /// How a slice of `Self` is encoded, like std's `Hash::hash_slice`.
    ///
    /// The default is [`write_fingerprint_iter`](Self::write_fingerprint_iter)
    /// (the generic sequence form); primitive numbers and `bool` override both
    /// with the packed form, hashed in bulk. An override must write exactly
    /// the bytes `write_fingerprint_iter` writes for the same elements.
    fn write_fingerprint_slice(items: &[Self], f: &mut Fingerprinter)
    where
        Self: Sized,
    {
        Self::write_fingerprint_iter(items.iter(), f);
    }

    /// How a sequence of `Self` given by an iterator is encoded (a
    /// `VecDeque`'s two halves, a `LinkedList`): the same bytes as the slice
    /// of the same elements. The iterator must yield exactly `len()` items.
    ///
    /// The default is the generic sequence form: a count, then each element.
    fn write_fingerprint_iter<'a, I>(items: I, f: &mut Fingerprinter)
    where
        Self: Sized + 'a,
        I: ExactSizeIterator<Item = &'a Self>,
    {
        f.write_seq_header(items.len());
        for item in items {
            item.write_fingerprint(f);
        }
    }

    /// `sha256:<hex>` of [`VALUE_FINGERPRINT_PREFIX`](crate::VALUE_FINGERPRINT_PREFIX) followed by this value's
    /// encoding.
    ///
    /// ```
    /// use ith_provenance::Fingerprint;
    ///
    /// assert_eq!(vec![1.0_f64, 2.0].fingerprint(), [1.0_f64, 2.0].fingerprint());
    /// assert_ne!(Some(0_u8).fingerprint(), 0_u8.fingerprint());
    /// ```
    fn fingerprint(&self) -> Sha256Hash {
        let mut f = Fingerprinter::new();
        self.write_fingerprint(&mut f);
        f.finish()
    }
}
