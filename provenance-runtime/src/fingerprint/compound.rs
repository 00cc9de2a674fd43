//! The forms that hold other values: `Some`, sequences, maps and sets, and
//! the compound forms the derive writes (tuples, structs, tuple structs,
//! unit structs and enum variants) through encoders that count what they
//! write and check field order in debug builds.

use super::encoder::Fingerprinter;
use super::tag;
use super::value::Fingerprint;

impl Fingerprinter {
    /// Writes any value: `f.write(&x)` is `x.write_fingerprint(f)`.
    pub fn write<T: Fingerprint + ?Sized>(&mut self, value: &T) {
        value.write_fingerprint(self);
    }

    /// `Some(value)`.
    pub fn write_some<T: Fingerprint + ?Sized>(&mut self, value: &T) {
        self.raw(&[tag::SOME]);
        value.write_fingerprint(self);
    }

    /// A slice, through [`Fingerprint::write_fingerprint_slice`]: the packed
    /// form for primitive numbers and `bool`, the generic form otherwise.
    pub fn write_slice<T: Fingerprint>(&mut self, items: &[T]) {
        T::write_fingerprint_slice(items, self);
    }

    /// A sequence given by an iterator, encoded exactly as the slice of the
    /// same elements (through [`Fingerprint::write_fingerprint_iter`]).
    /// The iterator must yield exactly `len()` items.
    pub fn write_seq<'a, T, I>(&mut self, items: I)
    where
        T: Fingerprint + 'a,
        I: IntoIterator<Item = &'a T>,
        I::IntoIter: ExactSizeIterator,
    {
        T::write_fingerprint_iter(items.into_iter(), self);
    }

    /// A map, independent of iteration order: each entry is hashed on its
    /// own (key then value), and the sorted entry digests are written.
    pub fn write_map<'a, K, V, I>(&mut self, entries: I)
    where
        K: Fingerprint + ?Sized + 'a,
        V: Fingerprint + ?Sized + 'a,
        I: IntoIterator<Item = (&'a K, &'a V)>,
    {
        let digests = entries.into_iter().map(|(key, value)| {
            let mut entry = Fingerprinter::without_prefix();
            key.write_fingerprint(&mut entry);
            value.write_fingerprint(&mut entry);
            entry.finish()
        });
        self.write_digests(tag::MAP, digests);
    }

    /// A set, independent of iteration order: each element is hashed on its
    /// own, and the sorted element digests are written.
    pub fn write_set<'a, T, I>(&mut self, elements: I)
    where
        T: Fingerprint + ?Sized + 'a,
        I: IntoIterator<Item = &'a T>,
    {
        let digests = elements.into_iter().map(|element| {
            let mut entry = Fingerprinter::without_prefix();
            element.write_fingerprint(&mut entry);
            entry.finish()
        });
        self.write_digests(tag::SET, digests);
    }
}

impl Fingerprinter {
    /// Starts a tuple of `arity` elements; write each with
    /// [`TupleEncoder::element`].
    #[must_use = "write the elements with `.element(..)`"]
    pub fn begin_tuple(&mut self, arity: usize) -> TupleEncoder<'_> {
        self.raw(&[tag::TUPLE]);
        TupleEncoder::new(self, arity)
    }

    /// Starts a struct with named fields; write each with
    /// [`StructEncoder::field`] in ascending byte order of the names. The
    /// type's name is not part of the encoding.
    #[must_use = "write the fields with `.field(..)`"]
    pub fn begin_struct(&mut self, field_count: usize) -> StructEncoder<'_> {
        self.raw(&[tag::STRUCT]);
        StructEncoder::new(self, field_count)
    }

    /// Starts a tuple struct of `arity` fields; write each, in order, with
    /// [`TupleEncoder::element`].
    #[must_use = "write the fields with `.element(..)`"]
    pub fn begin_tuple_struct(&mut self, arity: usize) -> TupleEncoder<'_> {
        self.raw(&[tag::TUPLE_STRUCT]);
        TupleEncoder::new(self, arity)
    }

    /// A unit struct (`struct Marker;`).
    pub fn write_unit_struct(&mut self) {
        self.raw(&[tag::UNIT_STRUCT]);
    }

    fn variant(&mut self, name: &str) {
        self.raw(&[tag::VARIANT]);
        self.write_str(name);
    }

    /// An enum's unit variant, identified by its name only (never by its
    /// position or discriminant).
    pub fn write_unit_variant(&mut self, variant: &'static str) {
        self.variant(variant);
        self.write_unit_struct();
    }

    /// Starts an enum's tuple variant (`Some(..)`-like).
    #[must_use = "write the fields with `.element(..)`"]
    pub fn begin_tuple_variant(&mut self, variant: &'static str, arity: usize) -> TupleEncoder<'_> {
        self.variant(variant);
        self.begin_tuple_struct(arity)
    }

    /// Starts an enum's struct variant (`Move { x, y }`-like); fields go in
    /// ascending byte order of their names.
    #[must_use = "write the fields with `.field(..)`"]
    pub fn begin_struct_variant(
        &mut self,
        variant: &'static str,
        field_count: usize,
    ) -> StructEncoder<'_> {
        self.variant(variant);
        self.begin_struct(field_count)
    }
}

/// Writes the fields of a struct or struct variant, returned by
/// [`Fingerprinter::begin_struct`].
///
/// Fields must be written in ascending byte order of their names (this is
/// what makes reordering fields in the source harmless), exactly as many as
/// announced. Debug builds check both.
///
/// ```
/// use ith_provenance::{Fingerprint, fingerprint::Fingerprinter};
///
/// struct Run { lr: f64, epochs: u32 }
///
/// impl Fingerprint for Run {
///     fn write_fingerprint(&self, f: &mut Fingerprinter) {
///         f.begin_struct(2)
///             .field("epochs", &self.epochs)
///             .field("lr", &self.lr)
///             .finish();
///     }
/// }
/// let a = Run { lr: 0.1, epochs: 3 }.fingerprint();
/// assert_ne!(a, Run { lr: 0.1, epochs: 4 }.fingerprint());
/// ```
#[must_use = "write the fields with `.field(..)`"]
pub struct StructEncoder<'a> {
    f: &'a mut Fingerprinter,
    expected: usize,
    written: usize,
    last_name: Option<&'static str>,
}

impl<'a> StructEncoder<'a> {
    fn new(f: &'a mut Fingerprinter, expected: usize) -> Self {
        f.len(expected);
        StructEncoder {
            f,
            expected,
            written: 0,
            last_name: None,
        }
    }

    /// Writes the field `name` with its value.
    #[must_use = "write the next field, or end with `.finish()`"]
    pub fn field<T: Fingerprint + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        debug_assert!(
            self.last_name
                .is_none_or(|last| last.as_bytes() < name.as_bytes()),
            "struct fields must be written in ascending byte order of their names, \
             without repeats: {name:?} came after {:?}",
            self.last_name
        );
        self.last_name = Some(name);
        self.written += 1;
        self.f.write_str(name);
        value.write_fingerprint(self.f);
        self
    }

    /// Ends the struct; debug builds check the field count here.
    pub fn finish(self) {}
}

impl Drop for StructEncoder<'_> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            debug_assert_eq!(
                self.written, self.expected,
                "begin_struct announced {} fields but {} were written",
                self.expected, self.written
            );
        }
    }
}

/// Writes the elements of a tuple, tuple struct or tuple variant, in order;
/// returned by [`Fingerprinter::begin_tuple`] and its kin.
///
/// Exactly as many elements as announced must be written; debug builds check.
#[must_use = "write the elements with `.element(..)`"]
pub struct TupleEncoder<'a> {
    f: &'a mut Fingerprinter,
    expected: usize,
    written: usize,
}

impl<'a> TupleEncoder<'a> {
    fn new(f: &'a mut Fingerprinter, expected: usize) -> Self {
        f.len(expected);
        TupleEncoder {
            f,
            expected,
            written: 0,
        }
    }

    /// Writes the next element.
    #[must_use = "write the next element, or end with `.finish()`"]
    pub fn element<T: Fingerprint + ?Sized>(mut self, value: &T) -> Self {
        self.written += 1;
        value.write_fingerprint(self.f);
        self
    }

    /// Ends the tuple; debug builds check the arity here.
    pub fn finish(self) {}
}

impl Drop for TupleEncoder<'_> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            debug_assert_eq!(
                self.written, self.expected,
                "the tuple's arity was announced as {} but {} elements were written",
                self.expected, self.written
            );
        }
    }
}
