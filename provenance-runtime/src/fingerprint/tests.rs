//! Encoding v1 checked against hand-built bytes, and the promises of the
//! module docs: unambiguous, order-independent where it should be, stable
//! across word sizes.

mod bulk;
mod collections;

use std::borrow::Cow;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

use super::tag;
use super::*;
use crate::Sha256Hash;

/// The fingerprint of a value whose encoding (after the prefix) is `body`.
pub(super) fn hash_of_encoding(body: &[u8]) -> Sha256Hash {
    Sha256Hash::of(&[VALUE_FINGERPRINT_PREFIX, body].concat())
}

#[track_caller]
pub(super) fn assert_encoding<T: Fingerprint + ?Sized>(value: &T, body: &[u8]) {
    assert_eq!(
        value.fingerprint(),
        hash_of_encoding(body),
        "encoding {body:02x?}"
    );
}

/// `u64` little-endian, the width of every length and count.
pub(super) fn len(n: u64) -> [u8; 8] {
    n.to_le_bytes()
}

/// A str's encoding.
pub(super) fn str_bytes(s: &str) -> Vec<u8> {
    [&[tag::STR][..], &len(s.len() as u64), s.as_bytes()].concat()
}

#[test]
fn prefix_names_the_version() {
    assert_eq!(VALUE_FINGERPRINT_PREFIX, b"provenance-fingerprint-v1\0");
    assert_eq!(
        Sha256Hash::of(b"provenance-fingerprint-v1\0\x01"),
        ().fingerprint()
    );
}

#[test]
fn scalars_have_their_documented_bytes() {
    assert_encoding(&(), &[0x01]);
    assert_encoding(&true, &[0x02, 1]);
    assert_encoding(&false, &[0x02, 0]);
    assert_encoding(&'é', &[0x03, 0xe9, 0, 0, 0]);
    assert_encoding(&0xab_u8, &[0x10, 0xab]);
    assert_encoding(&0x0102_u16, &[0x11, 0x02, 0x01]);
    assert_encoding(&1_u32, &[0x12, 1, 0, 0, 0]);
    assert_encoding(&1_u64, &[0x13, 1, 0, 0, 0, 0, 0, 0, 0]);
    assert_encoding(&1_u128, &[&[0x14_u8][..], &1_u128.to_le_bytes()].concat());
    assert_encoding(&-1_i8, &[0x18, 0xff]);
    assert_encoding(&-2_i16, &[0x19, 0xfe, 0xff]);
    assert_encoding(&-1_i32, &[0x1a, 0xff, 0xff, 0xff, 0xff]);
    assert_encoding(&-1_i64, &[&[0x1b_u8][..], &[0xff; 8]].concat());
    assert_encoding(&-1_i128, &[&[0x1c_u8][..], &[0xff; 16]].concat());
    assert_encoding(&1.5_f32, &[&[0x20_u8][..], &1.5_f32.to_le_bytes()].concat());
    assert_encoding(&1.5_f64, &[&[0x21_u8][..], &1.5_f64.to_le_bytes()].concat());
    assert_encoding("hé", &[0x30, 3, 0, 0, 0, 0, 0, 0, 0, b'h', 0xc3, 0xa9]);
    assert_encoding(&None::<u8>, &[0x40]);
    assert_encoding(&Some(7_u8), &[0x41, 0x10, 7]);
}

#[test]
fn words_encode_as_64_bit_integers() {
    assert_eq!(7_usize.fingerprint(), 7_u64.fingerprint());
    assert_eq!(usize::MAX.fingerprint(), (usize::MAX as u64).fingerprint());
    assert_eq!((-7_isize).fingerprint(), (-7_i64).fingerprint());
    assert_eq!(
        vec![1_usize, 2, 3].fingerprint(),
        vec![1_u64, 2, 3].fingerprint()
    );
    assert_eq!([-1_isize, 5].fingerprint(), [-1_i64, 5].fingerprint());
}

#[test]
fn no_two_different_values_share_an_encoding() {
    let fingerprints = [
        ("ab", "c").fingerprint(),
        ("a", "bc").fingerprint(),
        Some(0_u8).fingerprint(),
        None::<u8>.fingerprint(),
        0_u8.fingerprint(),
        0_i8.fingerprint(),
        false.fingerprint(),
        [1_u8].fingerprint(),
        [1_u16].fingerprint(),
        [1_i8].fingerprint(),
        [true].fingerprint(),
        "\u{1}".fingerprint(),
        vec![b'a'].fingerprint(),
        "a".fingerprint(),
        'a'.fingerprint(),
        ().fingerprint(),
        std::marker::PhantomData::<u8>.fingerprint(),
        Vec::<u8>::new().fingerprint(),
        Vec::<u16>::new().fingerprint(),
        Vec::<String>::new().fingerprint(),
        (1_u8,).fingerprint(),
        Ok::<u8, u8>(1).fingerprint(),
        Err::<u8, u8>(1).fingerprint(),
        vec![vec![1_u8], vec![]].fingerprint(),
        vec![vec![], vec![1_u8]].fingerprint(),
        Sha256Hash::of(b"x").fingerprint(),
        Sha256Hash::of(b"x").as_bytes().fingerprint(),
        0.0_f64.fingerprint(),
        (-0.0_f64).fingerprint(),
        0.0_f32.fingerprint(),
    ];
    for (i, a) in fingerprints.iter().enumerate() {
        for (j, b) in fingerprints.iter().enumerate().skip(i + 1) {
            assert_ne!(a, b, "values #{i} and #{j} collide");
        }
    }
}

#[test]
fn every_nan_is_one_nan_but_negative_zero_is_not_zero() {
    let nans_64 = [
        f64::NAN,
        -f64::NAN,
        f64::from_bits(0x7ff0_0000_0000_0001),
        f64::from_bits(0xfff8_dead_beef_0000),
        f64::INFINITY - f64::INFINITY,
    ];
    for nan in nans_64 {
        assert!(nan.is_nan());
        assert_encoding(
            &nan,
            &[&[0x21_u8][..], &0x7ff8_0000_0000_0000_u64.to_le_bytes()].concat(),
        );
        assert_eq!([1.0, nan].fingerprint(), [1.0, f64::NAN].fingerprint());
    }
    for nan in [
        f32::NAN,
        -f32::NAN,
        f32::from_bits(0x7f80_0001),
        f32::from_bits(0xffc0_1234),
    ] {
        assert!(nan.is_nan());
        assert_encoding(&nan, &[0x20, 0x00, 0x00, 0xc0, 0x7f]);
        assert_eq!(
            vec![nan, 2.0].fingerprint(),
            vec![f32::NAN, 2.0].fingerprint()
        );
    }
    assert_ne!(0.0_f64.fingerprint(), (-0.0_f64).fingerprint());
    assert_ne!(0.0_f32.fingerprint(), (-0.0_f32).fingerprint());
    assert_ne!([0.0_f64].fingerprint(), [-0.0_f64].fingerprint());
    assert_ne!(f64::INFINITY.fingerprint(), f64::NAN.fingerprint());
    assert_ne!(f64::INFINITY.fingerprint(), f64::NEG_INFINITY.fingerprint());
}

#[test]
fn strings_borrowed_or_owned_agree_and_are_not_bytes() {
    let s = "naïve";
    assert_eq!(s.fingerprint(), s.to_string().fingerprint());
    assert_eq!(s.fingerprint(), Cow::<str>::Borrowed(s).fingerprint());
    assert_eq!(s.fingerprint(), Box::<str>::from(s).fingerprint());
    assert_eq!(s.fingerprint(), Rc::<str>::from(s).fingerprint());
    assert_eq!(s.fingerprint(), Arc::<str>::from(s).fingerprint());
    assert_ne!(s.fingerprint(), s.as_bytes().fingerprint());
    assert_ne!(
        s.to_string().fingerprint(),
        s.as_bytes().to_vec().fingerprint()
    );
    assert_eq!(
        vec!["a", "b"].fingerprint(),
        vec!["a".to_string(), "b".to_string()].fingerprint()
    );
}

#[test]
fn pointers_encode_as_their_target() {
    let value = (1_u8, "x", vec![2.5_f64]);
    let fp = value.fingerprint();
    // Through a generic function, so `&T` and `&mut T` themselves are hashed.
    fn owned<T: Fingerprint>(pointer: T) -> Sha256Hash {
        pointer.fingerprint()
    }
    assert_eq!(owned(&value), fp);
    let mut copy = value.clone();
    let exclusive: &mut (u8, &str, Vec<f64>) = &mut copy;
    assert_eq!(owned(exclusive), fp);
    assert_eq!(Box::new(value.clone()).fingerprint(), fp);
    assert_eq!(Rc::new(value.clone()).fingerprint(), fp);
    assert_eq!(Arc::new(value.clone()).fingerprint(), fp);
    assert_eq!(
        Cow::<(u8, &str, Vec<f64>)>::Owned(value.clone()).fingerprint(),
        fp
    );
    let dynamic: &dyn Fingerprint = &value;
    assert_eq!(dynamic.fingerprint(), fp);
    assert_eq!(
        Box::<[u8]>::from(&[1_u8, 2][..]).fingerprint(),
        vec![1_u8, 2].fingerprint()
    );
}

#[test]
fn every_sequence_type_has_the_same_encoding() {
    fn check<T: Fingerprint + Clone>(items: &[T]) {
        let fp = items.fingerprint();
        assert_eq!(items.to_vec().fingerprint(), fp);
        let deque: VecDeque<T> = items.iter().cloned().collect();
        assert_eq!(deque.fingerprint(), fp);
        assert_eq!(
            items
                .iter()
                .cloned()
                .collect::<std::collections::LinkedList<T>>()
                .fingerprint(),
            fp
        );
        // A deque whose contents wrap around the end of its buffer.
        let mut wrapped = VecDeque::with_capacity(items.len());
        if let Some(first) = items.first() {
            let spare = wrapped.capacity() - 1;
            wrapped.extend(std::iter::repeat_n(first.clone(), spare));
            for _ in 0..spare {
                wrapped.pop_front();
            }
            wrapped.extend(items.iter().cloned());
            if items.len() > 1 {
                assert!(!wrapped.as_slices().1.is_empty(), "the deque should wrap");
            }
        }
        assert_eq!(wrapped.len(), items.len());
        assert_eq!(wrapped.fingerprint(), fp);
        let mut f = Fingerprinter::new();
        f.write_seq(items.iter());
        assert_eq!(f.finish(), fp);
    }
    check(&[1_u8, 2, 3, 4, 5]);
    check(&[1_u16, 2, 3]);
    check(&[u128::MAX, 0, 7]);
    check(&[-1_i64, 2]);
    check(&[1.0_f32, f32::NAN, -0.0]);
    check(&[f64::NAN, 1.0, 2.0, 3.0]);
    check(&[true, false, true]);
    check(&["a".to_string(), "b".to_string()]);
    check(&[Some(1_u8), None]);
    check::<u32>(&[]);
    assert_eq!([1_u8, 2, 3].fingerprint(), vec![1_u8, 2, 3].fingerprint());
    assert_eq!(
        [[1_u8, 2], [3, 4]].fingerprint(),
        vec![vec![1_u8, 2], vec![3, 4]].fingerprint()
    );
}

#[test]
fn a_deque_split_in_two_halves_equals_the_vec() {
    let mut deque: VecDeque<f64> = VecDeque::with_capacity(8);
    deque.extend([0.0; 6]);
    deque.drain(..5);
    deque.extend([1.0, f64::NAN, 3.0, 4.0, 5.0]);
    let (front, back) = deque.as_slices();
    assert!(
        !front.is_empty() && !back.is_empty(),
        "the test needs a wrapped deque"
    );
    let flat: Vec<f64> = deque.iter().copied().collect();
    assert_eq!(deque.fingerprint(), flat.fingerprint());
}

#[test]
fn packed_and_generic_sequences_have_their_documented_bytes() {
    assert_encoding(
        &vec![1_u16, 2],
        &[&[0x51_u8, 0x11][..], &len(2), &[1, 0, 2, 0]].concat(),
    );
    assert_encoding(
        &[true, false],
        &[&[0x51_u8, 0x02][..], &len(2), &[1, 0]].concat(),
    );
    assert_encoding(&Vec::<u8>::new(), &[&[0x51_u8, 0x10][..], &len(0)].concat());
    assert_encoding(
        &['a', 'b'],
        &[
            &[0x50_u8][..],
            &len(2),
            &[0x03, b'a', 0, 0, 0, 0x03, b'b', 0, 0, 0],
        ]
        .concat(),
    );
    assert_encoding(
        &(1_u8, "x"),
        &[&[0x52_u8][..], &len(2), &[0x10, 1], &str_bytes("x")].concat(),
    );
}

#[test]
fn results_are_enums_named_ok_and_err() {
    let ok = [
        &[tag::VARIANT][..],
        &str_bytes("Ok"),
        &[0x71],
        &len(1),
        &[0x10, 5],
    ]
    .concat();
    assert_encoding(&Ok::<u8, ()>(5), &ok);
    let err = [
        &[tag::VARIANT][..],
        &str_bytes("Err"),
        &[0x71],
        &len(1),
        &[0x01],
    ]
    .concat();
    assert_encoding(&Err::<u8, ()>(()), &err);
}

#[test]
fn date_times_are_instants_whatever_their_offset() {
    let utc = Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).unwrap();
    let paris = FixedOffset::east_opt(3600)
        .unwrap()
        .with_ymd_and_hms(2024, 3, 1, 13, 0, 0)
        .unwrap();
    assert_eq!(utc, paris);
    assert_eq!(utc.fingerprint(), paris.fingerprint());
    let at = DateTime::from_timestamp(1_709_294_400, 5).unwrap();
    assert_encoding(
        &at,
        &[
            &[0x80_u8][..],
            &1_709_294_400_i64.to_le_bytes(),
            &5_u32.to_le_bytes(),
        ]
        .concat(),
    );
    assert_encoding(
        &at.naive_utc(),
        &[
            &[0x81_u8][..],
            &1_709_294_400_i64.to_le_bytes(),
            &5_u32.to_le_bytes(),
        ]
        .concat(),
    );
    let before_epoch = NaiveDate::from_ymd_opt(1969, 12, 31).unwrap();
    assert_encoding(
        &before_epoch,
        &[&[0x82_u8][..], &(-1_i64).to_le_bytes()].concat(),
    );
    assert_encoding(
        &NaiveDate::from_ymd_opt(1970, 1, 1).unwrap(),
        &[&[0x82_u8][..], &0_i64.to_le_bytes()].concat(),
    );
    let time = chrono::NaiveTime::from_hms_nano_opt(1, 2, 3, 4).unwrap();
    assert_encoding(
        &time,
        &[
            &[0x83_u8][..],
            &3723_u32.to_le_bytes(),
            &4_u32.to_le_bytes(),
        ]
        .concat(),
    );
    assert_ne!(at.fingerprint(), at.naive_utc().fingerprint());
}

#[test]
fn a_hash_is_not_its_bytes() {
    let h = Sha256Hash::of(b"data");
    assert_encoding(&h, &[&[0x90_u8][..], h.as_bytes()].concat());
}
