//! `#[derive(Fingerprint)]` writes exactly what a hand-written impl through
//! the `Fingerprinter` writes, for every shape, and keeps the promises of
//! `docs/VALUE_FINGERPRINT.md`: field order does not matter, field and
//! variant names do, the type's name does not.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use ith_provenance::{Fingerprint, Sha256Hash, fingerprint::Fingerprinter};

/// The fingerprint of whatever `write` feeds a fresh encoder.
fn by_hand(write: impl FnOnce(&mut Fingerprinter)) -> Sha256Hash {
    let mut f = Fingerprinter::new();
    write(&mut f);
    f.finish()
}

#[derive(Fingerprint)]
struct Config {
    lr: f64,
    epochs: u32,
    name: String,
    layers: Vec<usize>,
}

fn config() -> Config {
    Config {
        lr: 0.01,
        epochs: 3,
        name: "mlp".to_string(),
        layers: vec![64, 32],
    }
}

#[test]
fn named_struct_writes_fields_sorted_by_name() {
    let c = config();
    let expected = by_hand(|f| {
        f.begin_struct(4)
            .field("epochs", &c.epochs)
            .field("layers", &c.layers)
            .field("lr", &c.lr)
            .field("name", &c.name)
            .finish();
    });
    assert_eq!(c.fingerprint(), expected);
}

#[derive(Fingerprint)]
struct Meters(f64, u8);

#[derive(Fingerprint)]
struct Marker;

#[derive(Fingerprint)]
struct NoFields {}

#[derive(Fingerprint)]
struct NoElements();

#[test]
fn tuple_unit_and_empty_structs_match_the_encoder() {
    let m = Meters(2.5, 7);
    let tuple = by_hand(|f| {
        f.begin_tuple_struct(2)
            .element(&2.5_f64)
            .element(&7_u8)
            .finish()
    });
    assert_eq!(m.fingerprint(), tuple);
    assert_eq!(Marker.fingerprint(), by_hand(|f| f.write_unit_struct()));
    assert_eq!(
        NoFields {}.fingerprint(),
        by_hand(|f| f.begin_struct(0).finish())
    );
    assert_eq!(
        NoElements().fingerprint(),
        by_hand(|f| f.begin_tuple_struct(0).finish())
    );
    // The three empty shapes are three different encodings.
    assert_ne!(Marker.fingerprint(), NoFields {}.fingerprint());
    assert_ne!(Marker.fingerprint(), NoElements().fingerprint());
    assert_ne!(NoFields {}.fingerprint(), NoElements().fingerprint());
}

#[derive(Fingerprint)]
enum Optimizer {
    Adam,
    Sgd { momentum: f64, lr: f64 },
    Clip(f32, f32),
    Empty {},
    Nothing(),
}

#[test]
fn enum_variants_match_the_encoder() {
    assert_eq!(
        Optimizer::Adam.fingerprint(),
        by_hand(|f| f.write_unit_variant("Adam"))
    );
    assert_eq!(
        Optimizer::Sgd {
            momentum: 0.9,
            lr: 0.1
        }
        .fingerprint(),
        by_hand(|f| f
            .begin_struct_variant("Sgd", 2)
            .field("lr", &0.1_f64)
            .field("momentum", &0.9_f64)
            .finish())
    );
    assert_eq!(
        Optimizer::Clip(1.0, -1.0).fingerprint(),
        by_hand(|f| f
            .begin_tuple_variant("Clip", 2)
            .element(&1.0_f32)
            .element(&-1.0_f32)
            .finish())
    );
    assert_eq!(
        Optimizer::Empty {}.fingerprint(),
        by_hand(|f| f.begin_struct_variant("Empty", 0).finish())
    );
    assert_eq!(
        Optimizer::Nothing().fingerprint(),
        by_hand(|f| f.begin_tuple_variant("Nothing", 0).finish())
    );
}

/// The same payload under another variant, or under another type with the
/// same variant name.
#[derive(Fingerprint)]
enum Schedule {
    Constant(f32, f32),
    Clip(f32, f32),
}

#[test]
fn the_variant_is_part_of_the_fingerprint_and_the_enum_name_is_not() {
    let clip = Optimizer::Clip(1.0, 2.0).fingerprint();
    assert_ne!(clip, Schedule::Constant(1.0, 2.0).fingerprint());
    assert_eq!(clip, Schedule::Clip(1.0, 2.0).fingerprint());
    // A unit variant is not the unit struct, nor an empty tuple or struct variant.
    assert_ne!(Optimizer::Adam.fingerprint(), Marker.fingerprint());
    assert_ne!(
        Optimizer::Empty {}.fingerprint(),
        Optimizer::Nothing().fingerprint()
    );
}

mod reordered {
    use ith_provenance::Fingerprint;

    /// `super::Config` with its fields declared in another order.
    #[derive(Fingerprint)]
    pub struct Config {
        pub layers: Vec<usize>,
        pub name: String,
        pub epochs: u32,
        pub lr: f64,
    }
}

/// `Config` under another type name.
#[derive(Fingerprint)]
struct TrainingSettings {
    lr: f64,
    epochs: u32,
    name: String,
    layers: Vec<usize>,
}

/// `Config` with `lr` renamed in the source.
#[derive(Fingerprint)]
struct RenamedField {
    learning_rate: f64,
    epochs: u32,
    name: String,
    layers: Vec<usize>,
}

/// `Config` with `lr` renamed in the source, fingerprinted as before.
#[derive(Fingerprint)]
struct RenamedKeepsOldName {
    #[fingerprint(rename = "lr")]
    learning_rate: f64,
    epochs: u32,
    name: String,
    layers: Vec<usize>,
}

#[test]
fn reordering_fields_and_renaming_the_type_keep_the_fingerprint() {
    let c = config();
    let reordered = reordered::Config {
        layers: c.layers.clone(),
        name: c.name.clone(),
        epochs: c.epochs,
        lr: c.lr,
    };
    let renamed_type = TrainingSettings {
        lr: c.lr,
        epochs: c.epochs,
        name: c.name.clone(),
        layers: c.layers.clone(),
    };
    assert_eq!(reordered.fingerprint(), c.fingerprint());
    assert_eq!(renamed_type.fingerprint(), c.fingerprint());
}

#[test]
fn renaming_a_field_changes_the_fingerprint_unless_rename_keeps_the_old_name() {
    let c = config();
    let renamed = RenamedField {
        learning_rate: c.lr,
        epochs: c.epochs,
        name: c.name.clone(),
        layers: c.layers.clone(),
    };
    let kept = RenamedKeepsOldName {
        learning_rate: c.lr,
        epochs: c.epochs,
        name: c.name.clone(),
        layers: c.layers.clone(),
    };
    assert_ne!(renamed.fingerprint(), c.fingerprint());
    assert_eq!(kept.fingerprint(), c.fingerprint());
}

/// A rename that moves a field elsewhere in the sorted order: the order
/// follows the written name, not the Rust one.
#[derive(Fingerprint)]
struct RenameMovesField {
    #[fingerprint(rename = "zz")]
    aa: u8,
    mm: u8,
}

#[test]
fn fields_are_sorted_by_their_written_name() {
    let value = RenameMovesField { aa: 1, mm: 2 };
    let expected = by_hand(|f| {
        f.begin_struct(2)
            .field("mm", &2_u8)
            .field("zz", &1_u8)
            .finish()
    });
    assert_eq!(value.fingerprint(), expected);
}

/// Byte order, not alphabetical or case-insensitive order: `'1' < '_' < 'b'`,
/// and `r#type` is written as `type`.
#[derive(Fingerprint)]
struct ByteOrder {
    ab: u8,
    a_b: u8,
    a1: u8,
    r#type: u8,
}

#[test]
fn names_sort_by_bytes_and_raw_identifiers_lose_their_prefix() {
    let value = ByteOrder {
        ab: 1,
        a_b: 2,
        a1: 3,
        r#type: 4,
    };
    let expected = by_hand(|f| {
        f.begin_struct(4)
            .field("a1", &3_u8)
            .field("a_b", &2_u8)
            .field("ab", &1_u8)
            .field("type", &4_u8)
            .finish();
    });
    assert_eq!(value.fingerprint(), expected);
}

#[derive(Fingerprint)]
enum Activation {
    #[fingerprint(rename = "Relu")]
    ReLU,
    #[fingerprint(rename = "Leaky")]
    LeakyReLU {
        slope: f32,
    },
    Tanh,
}

#[test]
fn a_renamed_variant_is_written_under_its_old_name() {
    assert_eq!(
        Activation::ReLU.fingerprint(),
        by_hand(|f| f.write_unit_variant("Relu"))
    );
    assert_eq!(
        Activation::LeakyReLU { slope: 0.1 }.fingerprint(),
        by_hand(|f| f
            .begin_struct_variant("Leaky", 1)
            .field("slope", &0.1_f32)
            .finish())
    );
    assert_eq!(
        Activation::Tanh.fingerprint(),
        by_hand(|f| f.write_unit_variant("Tanh"))
    );
}

/// A type with no `Fingerprint` impl: only fields that are skipped or
/// written by a function may hold it.
struct Cache;

/// Writes a length as a `u64`, whatever its type.
fn write_as_u64(value: &u32, f: &mut Fingerprinter) {
    f.write_u64(u64::from(*value));
}

/// Writes a string lower-cased: `"Adam"` and `"adam"` are the same choice.
/// Takes `&str` for a `String` field, as any call would.
fn write_lowercase(value: &str, f: &mut Fingerprinter) {
    f.write_str(&value.to_lowercase());
}

fn write_cache(_: &Cache, f: &mut Fingerprinter) {
    f.write_unit();
}

#[derive(Fingerprint)]
struct Run {
    seed: u64,
    // Never read: a skipped field is exactly one the fingerprint ignores.
    #[allow(dead_code)]
    #[fingerprint(skip)]
    cache: Cache,
    #[allow(dead_code)]
    #[fingerprint(skip)]
    verbose: bool,
    #[fingerprint(with = write_as_u64)]
    batch: u32,
    #[fingerprint(with = "write_lowercase", rename = "opt")]
    optimizer: String,
}

#[test]
fn skip_leaves_a_field_out_and_with_writes_it_through_a_function() {
    let run = |verbose, optimizer: &str| Run {
        seed: 7,
        cache: Cache,
        verbose,
        batch: 32,
        optimizer: optimizer.to_string(),
    };
    let expected = by_hand(|f| {
        f.begin_struct(3)
            .field("batch", &32_u64)
            .field("opt", "adam")
            .field("seed", &7_u64)
            .finish();
    });
    assert_eq!(run(false, "Adam").fingerprint(), expected);
    assert_eq!(run(true, "adam").fingerprint(), expected);
    assert_ne!(run(true, "sgd").fingerprint(), expected);
}

#[derive(Fingerprint)]
enum Source {
    Memory(#[fingerprint(skip)] Cache, u8),
    Disk {
        #[fingerprint(with = write_cache)]
        cache: Cache,
        #[allow(dead_code)]
        #[fingerprint(skip)]
        handle: u32,
        #[fingerprint(rename = "file")]
        path: String,
    },
}

#[test]
fn skip_and_with_work_in_variants() {
    assert_eq!(
        Source::Memory(Cache, 3).fingerprint(),
        by_hand(|f| f.begin_tuple_variant("Memory", 1).element(&3_u8).finish())
    );
    let disk = |handle| Source::Disk {
        cache: Cache,
        handle,
        path: "a.csv".to_string(),
    };
    let expected = by_hand(|f| {
        f.begin_struct_variant("Disk", 2)
            .field("cache", &())
            .field("file", "a.csv")
            .finish();
    });
    assert_eq!(disk(1).fingerprint(), expected);
    assert_eq!(disk(2).fingerprint(), expected);
}

/// Writes a slice through the packed form directly, for comparison.
struct Packed<'a>(&'a [f64]);

impl Fingerprint for Packed<'_> {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.write_packed(self.0);
    }
}

#[derive(Fingerprint)]
struct Weights {
    values: Vec<f64>,
    bias: [f64; 3],
}

#[test]
fn numeric_fields_take_the_packed_bulk_path() {
    let w = Weights {
        values: (0..10_000).map(f64::from).collect(),
        bias: [0.5, f64::NAN, -0.0],
    };
    let expected = by_hand(|f| {
        f.begin_struct(2)
            .field("bias", &Packed(&w.bias))
            .field("values", &Packed(&w.values))
            .finish();
    });
    assert_eq!(w.fingerprint(), expected);
}

/// `T` needs `Fingerprint`; `U` only appears in a skipped field and `M` only
/// in `PhantomData`, so neither does.
#[derive(Fingerprint)]
struct Tagged<T, U, M> {
    value: T,
    #[allow(dead_code)]
    #[fingerprint(skip)]
    scratch: U,
    marker: PhantomData<M>,
}

/// Bounds of its own, a where-clause, a lifetime and a const parameter.
#[derive(Fingerprint)]
struct Window<'a, T: Clone, const N: usize>
where
    T: PartialEq,
{
    name: &'a str,
    values: [T; N],
}

/// `I::Item` needs the bound, not `I`.
#[derive(Fingerprint)]
struct FirstItem<I: Iterator> {
    first: Option<I::Item>,
}

#[derive(Fingerprint)]
enum Tree<T> {
    Leaf(T),
    Node { children: Vec<Tree<T>> },
}

#[test]
fn generics_get_the_bounds_their_fields_need() {
    let tagged = Tagged::<Vec<f64>, Cache, Cache> {
        value: vec![1.0, 2.0],
        scratch: Cache,
        marker: PhantomData,
    };
    let expected = by_hand(|f| {
        f.begin_struct(2)
            .field("marker", &PhantomData::<()>)
            .field("value", &[1.0_f64, 2.0])
            .finish();
    });
    assert_eq!(tagged.fingerprint(), expected);

    let window = Window {
        name: "w",
        values: [1_u16, 2],
    };
    let expected = by_hand(|f| {
        f.begin_struct(2)
            .field("name", "w")
            .field("values", &[1_u16, 2])
            .finish();
    });
    assert_eq!(window.fingerprint(), expected);

    let first = FirstItem::<std::vec::IntoIter<u8>> { first: Some(4) };
    assert_eq!(
        first.fingerprint(),
        by_hand(|f| f.begin_struct(1).field("first", &Some(4_u8)).finish())
    );

    let tree = Tree::Node {
        children: vec![Tree::Leaf("a"), Tree::Node { children: vec![] }],
    };
    let expected = by_hand(|f| {
        f.begin_struct_variant("Node", 1)
            .field(
                "children",
                &vec![
                    by_hand_leaf("a"),
                    ByHand(Box::new(|f: &mut Fingerprinter| {
                        f.begin_struct_variant("Node", 1)
                            .field("children", &Vec::<ByHand>::new())
                            .finish();
                    })),
                ],
            )
            .finish();
    });
    assert_eq!(tree.fingerprint(), expected);
}

/// A value written by a closure, to build nested expectations by hand.
struct ByHand(Box<dyn Fn(&mut Fingerprinter)>);

impl Fingerprint for ByHand {
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        (self.0)(f);
    }
}

fn by_hand_leaf(value: &'static str) -> ByHand {
    ByHand(Box::new(move |f: &mut Fingerprinter| {
        f.begin_tuple_variant("Leaf", 1).element(value).finish();
    }))
}

/// Derived types nest like any other `Fingerprint`: inside `Vec`, `Option`,
/// maps and each other.
#[derive(Fingerprint)]
struct Experiment {
    config: Config,
    optimizers: Vec<Optimizer>,
    best: Option<Meters>,
    metrics: BTreeMap<String, Marker>,
}

#[test]
fn derived_types_nest() {
    let e = Experiment {
        config: config(),
        optimizers: vec![Optimizer::Adam, Optimizer::Clip(0.0, 1.0)],
        best: Some(Meters(1.0, 2)),
        metrics: BTreeMap::from([("acc".to_string(), Marker)]),
    };
    let expected = by_hand(|f| {
        f.begin_struct(4)
            .field("best", &e.best)
            .field("config", &e.config)
            .field("metrics", &e.metrics)
            .field("optimizers", &e.optimizers)
            .finish();
    });
    assert_eq!(e.fingerprint(), expected);
    let other = Experiment {
        optimizers: vec![Optimizer::Clip(0.0, 1.0), Optimizer::Adam],
        ..e
    };
    assert_ne!(other.fingerprint(), expected);
}
