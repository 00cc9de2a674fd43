use std::fmt::Debug;
use std::marker::PhantomData;

use ith_provenance::Fingerprint;

/// No `Fingerprint` impl: only usable where no bound asks for one.
#[derive(Debug, Clone, Default)]
struct Opaque;

#[derive(Fingerprint)]
struct Bounded<T: Clone + Debug, U = u8>
where
    U: Default,
{
    value: T,
    other: U,
}

#[derive(Fingerprint)]
struct OnlyPhantom<T> {
    marker: PhantomData<T>,
}

#[derive(Fingerprint)]
struct OnlySkipped<T> {
    #[fingerprint(skip)]
    _value: T,
    id: u32,
}

#[derive(Fingerprint)]
struct Associated<I: Iterator> {
    first: Option<I::Item>,
}

#[derive(Fingerprint)]
struct Nested<T> {
    values: Vec<Option<Box<T>>>,
    pairs: std::collections::BTreeMap<String, (T, T)>,
}

#[derive(Fingerprint)]
enum Either<L, R> {
    Left(L),
    Right { value: R },
}

fn assert_fingerprint<T: Fingerprint>() {}

fn main() {
    assert_fingerprint::<Bounded<u8>>();
    assert_fingerprint::<Bounded<String, u64>>();
    // No bound on a parameter used only in `PhantomData` or a skipped field.
    assert_fingerprint::<OnlyPhantom<Opaque>>();
    assert_fingerprint::<OnlySkipped<Opaque>>();
    // The item type needs the bound, not the iterator.
    assert_fingerprint::<Associated<std::vec::IntoIter<u8>>>();
    assert_fingerprint::<Nested<f64>>();
    assert_fingerprint::<Either<u8, String>>();
    let a = Either::<u8, String>::Left(1).fingerprint();
    assert_ne!(a, Either::<String, u8>::Right { value: 1 }.fingerprint());
}
