//! What `#[derive(Fingerprint)]`'s generated code names: the trait, the
//! encoder, and the adapter behind `#[fingerprint(with = path)]`.

pub use crate::fingerprint::{Fingerprint, Fingerprinter};

/// A field written by a user's function instead of its own `Fingerprint`
/// impl: `#[fingerprint(with = path)]` passes
/// `&FingerprintWith::new(&self.field, path)` where the encoder expects the
/// field.
pub struct FingerprintWith<'a, T: ?Sized, F> {
    value: &'a T,
    write: F,
}

impl<'a, T: ?Sized, F> FingerprintWith<'a, T, F>
where
    F: Fn(&T, &mut Fingerprinter),
{
    /// The bound sits here so that a function of the wrong signature is
    /// reported on the `with = path` that names it.
    #[inline]
    pub fn new(value: &'a T, write: F) -> Self {
        FingerprintWith { value, write }
    }
}

impl<T: ?Sized, F> Fingerprint for FingerprintWith<'_, T, F>
where
    F: Fn(&T, &mut Fingerprinter),
{
    #[inline]
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        (self.write)(self.value, f);
    }
}
