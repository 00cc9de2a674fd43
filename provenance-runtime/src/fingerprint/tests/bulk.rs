//! The packed form against a plain element-by-element reference encoding,
//! on inputs large enough to cross many buffers.

use std::collections::VecDeque;

use super::super::tag;
use super::{hash_of_encoding, len};
use crate::Fingerprint;

/// The packed form of `items`, built one element at a time.
fn reference_packed<T: Copy>(elem_tag: u8, items: &[T], le: impl Fn(T) -> Vec<u8>) -> Vec<u8> {
    let mut out = vec![tag::PACKED_SEQ, elem_tag];
    out.extend(len(items.len() as u64));
    for &item in items {
        out.extend(le(item));
    }
    out
}

fn canonical_f64(x: f64) -> Vec<u8> {
    let bits = if x.is_nan() {
        0x7ff8_0000_0000_0000
    } else {
        x.to_bits()
    };
    bits.to_le_bytes().to_vec()
}

/// A deterministic spread of values, NaNs with assorted payloads and signs,
/// infinities and both zeros included.
fn floats(n: usize) -> Vec<f64> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    (0..n)
        .map(|i| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            match i % 9973 {
                17 => f64::from_bits(0x7ff0_0000_0000_0000 | (state >> 13) | 1),
                400 => f64::from_bits(0xfff8_0000_0000_0000 | (state >> 20)),
                401 => -0.0,
                402 => f64::INFINITY,
                _ => (state >> 11) as f64 / (1_u64 << 53) as f64 - 0.5,
            }
        })
        .collect()
}

#[test]
fn a_million_floats_with_nans_hash_as_their_elements() {
    let items = floats(1_000_003);
    assert!(items.iter().filter(|x| x.is_nan()).count() > 100);
    assert!(items.iter().any(|x| x.is_nan() && x.is_sign_negative()));
    let expected = hash_of_encoding(&reference_packed(tag::F64, &items, canonical_f64));
    assert_eq!(items.fingerprint(), expected);
    assert_eq!(items.as_slice().fingerprint(), expected);

    // The iterator path, through a deque that wraps.
    let mut deque: VecDeque<f64> = VecDeque::with_capacity(items.len());
    let spare = deque.capacity() - 1;
    deque.extend(std::iter::repeat_n(0.0, spare));
    for _ in 0..spare {
        deque.pop_front();
    }
    deque.extend(items.iter().copied());
    assert!(!deque.as_slices().1.is_empty(), "the deque should wrap");
    assert_eq!(deque.fingerprint(), expected);
}

#[test]
fn large_integer_slices_hash_as_their_elements() {
    let words: Vec<u16> = (0..70_001_u32).map(|i| (i * 7919) as u16).collect();
    let expected = hash_of_encoding(&reference_packed(tag::U16, &words, |x: u16| {
        x.to_le_bytes().to_vec()
    }));
    assert_eq!(words.fingerprint(), expected);

    let sizes: Vec<usize> = (0..50_000).map(|i| i * 31).collect();
    let expected = hash_of_encoding(&reference_packed(tag::U64, &sizes, |x: usize| {
        (x as u64).to_le_bytes().to_vec()
    }));
    assert_eq!(sizes.fingerprint(), expected);
    let iter_path: VecDeque<usize> = sizes.iter().copied().collect();
    let mut f = crate::Fingerprinter::new();
    f.write_packed_iter(&iter_path);
    assert_eq!(f.finish(), expected);

    let flags: Vec<bool> = (0..20_000).map(|i| i % 3 == 0).collect();
    let expected = hash_of_encoding(&reference_packed(tag::BOOL, &flags, |x: bool| {
        vec![u8::from(x)]
    }));
    assert_eq!(flags.fingerprint(), expected);

    let wide: Vec<i128> = (0..5_000).map(|i| -(i as i128) << 70).collect();
    let expected = hash_of_encoding(&reference_packed(tag::I128, &wide, |x: i128| {
        x.to_le_bytes().to_vec()
    }));
    assert_eq!(wide.fingerprint(), expected);
}

#[test]
fn packed_slices_inside_structures_use_the_bulk_form() {
    let weights = floats(10_000);
    let mut f = crate::Fingerprinter::new();
    f.begin_struct(2)
        .field("name", "layer")
        .field("weights", &weights)
        .finish();
    let mut body = vec![tag::STRUCT];
    body.extend(len(2));
    body.extend(super::str_bytes("name"));
    body.extend(super::str_bytes("layer"));
    body.extend(super::str_bytes("weights"));
    body.extend(reference_packed(tag::F64, &weights, canonical_f64));
    assert_eq!(f.finish(), hash_of_encoding(&body));
}
