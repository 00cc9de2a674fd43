//! Maps and sets (order independence) and the struct / enum encoders the
//! derive will call.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::BuildHasherDefault;

use super::super::tag;
use super::{assert_encoding, len, str_bytes};
use crate::{Fingerprint, Fingerprinter, Sha256Hash};

/// `n` distinct keys in a scrambled order (a fixed permutation).
fn scrambled(n: u64) -> Vec<u64> {
    let mut keys: Vec<u64> = (0..n).collect();
    let mut state = 12_345_u64;
    for i in (1..keys.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        keys.swap(i, (state >> 33) as usize % (i + 1));
    }
    keys
}

#[test]
fn maps_do_not_depend_on_insertion_or_iteration_order() {
    let value = |k: u64| format!("value {k}");
    let forward: HashMap<u64, String> = (0..2000).map(|k| (k, value(k))).collect();
    let mut backward = HashMap::new();
    for k in (0..2000).rev() {
        backward.insert(k, value(k));
    }
    let mut shuffled: HashMap<u64, String, BuildHasherDefault<DefaultHasher>> = HashMap::default();
    for k in scrambled(2000) {
        shuffled.insert(k, value(k));
    }
    let sorted: BTreeMap<u64, String> = (0..2000).map(|k| (k, value(k))).collect();
    let fp = sorted.fingerprint();
    assert_eq!(forward.fingerprint(), fp);
    assert_eq!(backward.fingerprint(), fp);
    assert_eq!(shuffled.fingerprint(), fp);

    let mut changed = sorted.clone();
    changed.insert(1999, value(2000));
    assert_ne!(changed.fingerprint(), fp);
    let mut smaller = sorted.clone();
    smaller.remove(&0);
    assert_ne!(smaller.fingerprint(), fp);
}

#[test]
fn sets_do_not_depend_on_insertion_or_iteration_order() {
    let forward: HashSet<String> = (0..1500).map(|k| k.to_string()).collect();
    let shuffled: HashSet<String> = scrambled(1500).into_iter().map(|k| k.to_string()).collect();
    let sorted: BTreeSet<String> = (0..1500).map(|k| k.to_string()).collect();
    assert_eq!(forward.fingerprint(), sorted.fingerprint());
    assert_eq!(shuffled.fingerprint(), sorted.fingerprint());
    // A set is not the sequence of its elements, nor the map to unit.
    let sequence: Vec<String> = sorted.iter().cloned().collect();
    assert_ne!(sequence.fingerprint(), sorted.fingerprint());
    let to_unit: BTreeMap<String, ()> = sorted.iter().map(|k| (k.clone(), ())).collect();
    assert_ne!(to_unit.fingerprint(), sorted.fingerprint());
}

#[test]
fn maps_have_their_documented_bytes() {
    let entry = |key: &str, value: u8| {
        let mut bytes = str_bytes(key);
        bytes.extend([tag::U8, value]);
        *Sha256Hash::of(&bytes).as_bytes()
    };
    let mut digests = [entry("b", 2), entry("a", 1)];
    digests.sort();
    let body = [&[tag::MAP][..], &len(2), &digests[0], &digests[1]].concat();
    let map: HashMap<&str, u8> = [("a", 1), ("b", 2)].into();
    assert_encoding(&map, &body);

    let mut digests = [
        Sha256Hash::of(&[tag::U32, 9, 0, 0, 0]),
        Sha256Hash::of(&[tag::U32, 3, 0, 0, 0]),
    ];
    digests.sort();
    let body = [
        &[tag::SET][..],
        &len(2),
        digests[0].as_bytes(),
        digests[1].as_bytes(),
    ]
    .concat();
    assert_encoding(&BTreeSet::from([3_u32, 9]), &body);
    assert_encoding(&HashSet::<u8>::new(), &[&[tag::SET][..], &len(0)].concat());
}

/// Two versions of one struct: fields declared in another order, and the
/// type renamed. The derive sorts fields by name, so both write the same.
struct Config {
    lr: f64,
    epochs: u32,
}

struct RenamedConfig {
    epochs: u32,
    lr: f64,
}

impl Fingerprint for Config {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.begin_struct(2)
            .field("epochs", &self.epochs)
            .field("lr", &self.lr)
            .finish();
    }
}

impl Fingerprint for RenamedConfig {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.begin_struct(2)
            .field("epochs", &self.epochs)
            .field("lr", &self.lr)
            .finish();
    }
}

#[test]
fn structs_are_their_named_fields_and_nothing_else() {
    let config = Config { lr: 0.5, epochs: 3 };
    let body = [
        &[tag::STRUCT][..],
        &len(2),
        &str_bytes("epochs"),
        &[tag::U32, 3, 0, 0, 0],
        &str_bytes("lr"),
        &[&[tag::F64][..], &0.5_f64.to_le_bytes()].concat(),
    ]
    .concat();
    assert_encoding(&config, &body);
    assert_eq!(
        config.fingerprint(),
        RenamedConfig { epochs: 3, lr: 0.5 }.fingerprint()
    );

    // Renaming a field changes the fingerprint.
    let mut f = Fingerprinter::new();
    f.begin_struct(2)
        .field("epoch_count", &3_u32)
        .field("lr", &0.5_f64)
        .finish();
    assert_ne!(f.finish(), config.fingerprint());
    // So does changing a field's type.
    let mut f = Fingerprinter::new();
    f.begin_struct(2)
        .field("epochs", &3_u64)
        .field("lr", &0.5_f64)
        .finish();
    assert_ne!(f.finish(), config.fingerprint());
}

#[test]
fn the_struct_forms_are_distinct() {
    let forms = [
        {
            let mut f = Fingerprinter::new();
            f.write_unit_struct();
            f.finish()
        },
        {
            let mut f = Fingerprinter::new();
            f.begin_struct(0).finish();
            f.finish()
        },
        {
            let mut f = Fingerprinter::new();
            f.begin_tuple_struct(0).finish();
            f.finish()
        },
        {
            let mut f = Fingerprinter::new();
            f.begin_tuple(0).finish();
            f.finish()
        },
        ().fingerprint(),
        Vec::<()>::new().fingerprint(),
    ];
    for (i, a) in forms.iter().enumerate() {
        for b in &forms[i + 1..] {
            assert_ne!(a, b);
        }
    }
}

#[test]
fn variants_are_identified_by_name_and_payload() {
    let unit = |name: &'static str| {
        let mut f = Fingerprinter::new();
        f.write_unit_variant(name);
        f.finish()
    };
    assert_encoding(
        &{
            struct Adam;
            impl Fingerprint for Adam {
                fn write_fingerprint(&self, f: &mut Fingerprinter) {
                    f.write_unit_variant("Adam");
                }
            }
            Adam
        },
        &[&[tag::VARIANT][..], &str_bytes("Adam"), &[tag::UNIT_STRUCT]].concat(),
    );
    assert_ne!(unit("Adam"), unit("Sgd"));

    let tuple = {
        let mut f = Fingerprinter::new();
        f.begin_tuple_variant("Sgd", 1).element(&0.1_f64).finish();
        f.finish()
    };
    let fields = {
        let mut f = Fingerprinter::new();
        f.begin_struct_variant("Sgd", 1)
            .field("lr", &0.1_f64)
            .finish();
        f.finish()
    };
    let tuple_struct = {
        let mut f = Fingerprinter::new();
        f.begin_tuple_struct(1).element(&0.1_f64).finish();
        f.finish()
    };
    assert_ne!(tuple, fields);
    assert_ne!(tuple, tuple_struct);
    assert_ne!(tuple, unit("Sgd"));
}

#[cfg(debug_assertions)]
#[test]
#[should_panic(expected = "ascending byte order")]
fn debug_builds_reject_unsorted_fields() {
    let mut f = Fingerprinter::new();
    f.begin_struct(2)
        .field("lr", &1_u8)
        .field("epochs", &2_u8)
        .finish();
}

#[cfg(debug_assertions)]
#[test]
#[should_panic(expected = "announced 3 fields but 2 were written")]
fn debug_builds_reject_a_wrong_field_count() {
    let mut f = Fingerprinter::new();
    f.begin_struct(3)
        .field("a", &1_u8)
        .field("b", &2_u8)
        .finish();
}

#[cfg(debug_assertions)]
#[test]
#[should_panic(expected = "announced as 1 but 2 elements")]
fn debug_builds_reject_a_wrong_arity() {
    let mut f = Fingerprinter::new();
    f.begin_tuple(1).element(&1_u8).element(&2_u8).finish();
}
