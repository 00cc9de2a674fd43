//! `Fingerprint` for the standard library's types and [`Sha256Hash`].

use std::borrow::{Cow, ToOwned};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, LinkedList, VecDeque};
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::Arc;

use super::tag;
use super::{Fingerprint, Fingerprinter};
use crate::Sha256Hash;

/// Primitive numbers and `bool`: one `write_*` per value, and the packed form
/// for their slices.
macro_rules! primitives {
    ($($t:ty => $write:ident),* $(,)?) => {$(
        impl Fingerprint for $t {
            fn write_fingerprint(&self, f: &mut Fingerprinter) {
                f.$write(*self);
            }

            fn write_fingerprint_slice(items: &[Self], f: &mut Fingerprinter) {
                f.write_packed(items);
            }

            fn write_fingerprint_iter<'a, I>(items: I, f: &mut Fingerprinter)
            where
                I: ExactSizeIterator<Item = &'a Self>,
            {
                f.write_packed_iter(items);
            }
        }
    )*};
}

primitives! {
    u8 => write_u8, u16 => write_u16, u32 => write_u32, u64 => write_u64, u128 => write_u128,
    usize => write_usize,
    i8 => write_i8, i16 => write_i16, i32 => write_i32, i64 => write_i64, i128 => write_i128,
    isize => write_isize,
    f32 => write_f32, f64 => write_f64, bool => write_bool,
}

impl Fingerprint for char {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.write_char(*self);
    }
}

impl Fingerprint for str {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.write_str(self);
    }
}

impl Fingerprint for String {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.write_str(self);
    }
}

impl Fingerprint for () {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.write_unit();
    }
}

/// A unit struct, as it is declared in std.
impl<T: ?Sized> Fingerprint for PhantomData<T> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.write_unit_struct();
    }
}

impl<T: Fingerprint> Fingerprint for Option<T> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        match self {
            None => f.write_none(),
            Some(value) => f.write_some(value),
        }
    }
}

/// An enum with the tuple variants `Ok` and `Err`, as a derive would write it.
impl<T: Fingerprint, E: Fingerprint> Fingerprint for Result<T, E> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        match self {
            Ok(value) => f.begin_tuple_variant("Ok", 1).element(value).finish(),
            Err(error) => f.begin_tuple_variant("Err", 1).element(error).finish(),
        }
    }
}

impl<T: Fingerprint> Fingerprint for [T] {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        T::write_fingerprint_slice(self, f);
    }
}

impl<T: Fingerprint, const N: usize> Fingerprint for [T; N] {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        T::write_fingerprint_slice(self, f);
    }
}

impl<T: Fingerprint> Fingerprint for Vec<T> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        T::write_fingerprint_slice(self, f);
    }
}

impl<T: Fingerprint> Fingerprint for VecDeque<T> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        match self.as_slices() {
            (front, []) => T::write_fingerprint_slice(front, f),
            ([], back) => T::write_fingerprint_slice(back, f),
            _ => T::write_fingerprint_iter(self.iter(), f),
        }
    }
}

impl<T: Fingerprint> Fingerprint for LinkedList<T> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        T::write_fingerprint_iter(self.iter(), f);
    }
}

/// Pointers encode as what they point to.
macro_rules! transparent {
    ($($ty:ty),* $(,)?) => {$(
        impl<T: Fingerprint + ?Sized> Fingerprint for $ty {
            fn write_fingerprint(&self, f: &mut Fingerprinter) {
                (**self).write_fingerprint(f);
            }
        }
    )*};
}

transparent!(&T, &mut T, Box<T>, Rc<T>, Arc<T>);

impl<B: Fingerprint + ToOwned + ?Sized> Fingerprint for Cow<'_, B> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        (**self).write_fingerprint(f);
    }
}

macro_rules! tuples {
    ($($arity:literal => ($($name:ident)+))+) => {$(
        impl<$($name: Fingerprint),+> Fingerprint for ($($name,)+) {
            fn write_fingerprint(&self, f: &mut Fingerprinter) {
                #[allow(non_snake_case)]
                let ($($name,)+) = self;
                f.begin_tuple($arity)$(.element($name))+.finish();
            }
        }
    )+};
}

tuples! {
    1 => (A)
    2 => (A B)
    3 => (A B C)
    4 => (A B C D)
    5 => (A B C D E)
    6 => (A B C D E F)
    7 => (A B C D E F G)
    8 => (A B C D E F G H)
    9 => (A B C D E F G H I)
    10 => (A B C D E F G H I J)
    11 => (A B C D E F G H I J K)
    12 => (A B C D E F G H I J K L)
}

impl<K: Fingerprint, V: Fingerprint> Fingerprint for BTreeMap<K, V> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.write_map(self);
    }
}

/// Any hasher: the encoding never depends on iteration order.
impl<K: Fingerprint, V: Fingerprint, S> Fingerprint for HashMap<K, V, S> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.write_map(self);
    }
}

impl<T: Fingerprint> Fingerprint for BTreeSet<T> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.write_set(self);
    }
}

impl<T: Fingerprint, S> Fingerprint for HashSet<T, S> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.write_set(self);
    }
}

/// Its 32 raw bytes under a tag of their own, so a recorded hash can be part
/// of a fingerprinted value without being confused with a byte array.
impl Fingerprint for Sha256Hash {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.raw(&[tag::SHA256]);
        f.raw(self.as_bytes());
    }
}
