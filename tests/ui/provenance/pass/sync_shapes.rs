//! Synchronous shapes `#[provenance]` must accept: every option, every
//! argument marker, early `return` and `?`, generics with lifetimes and
//! where-clauses, `impl Trait` arguments and returns, `mut` and destructured
//! parameters, inner attributes, doc comments, `#[must_use]`, `#[inline]`,
//! visibility, `unsafe fn` and `extern "C"`.

use ith_provenance::provenance;
use serde::Serialize;

#[derive(Serialize)]
struct Params {
    window: usize,
}

/// A doc comment kept on the function.
#[provenance(
    experiment = "exp001",
    seed = 42,
    name = "mean",
    version = "1.2.3",
    fingerprint_output
)]
#[must_use]
#[inline]
pub fn mean(#[fingerprint] prices: &[f64], #[config] params: Params) -> Result<f64, String> {
    #![allow(clippy::cast_precision_loss)]
    if params.window == 0 {
        return Err("empty".into());
    }
    let n: usize = "3"
        .parse()
        .map_err(|e: std::num::ParseIntError| e.to_string())?;
    Ok(prices.iter().take(n).sum::<f64>() / n as f64)
}

#[provenance(strict)]
pub(crate) fn strict_marks(
    #[fingerprint] mut values: Vec<f64>,
    #[config] label: &str,
    #[provenance(skip)] (a, b): (u32, u32),
    #[provenance(skip)] _unused: u8,
) -> usize {
    values.push(1.0);
    values.len() + label.len() + (a + b) as usize
}

#[provenance]
fn generic<'a, T, const N: usize>(
    #[fingerprint] items: &'a [T; N],
    #[config] factor: u32,
) -> Vec<&'a T>
where
    T: ith_provenance::Fingerprint + std::fmt::Debug + 'a,
{
    items.iter().take(factor as usize).collect()
}

#[provenance]
fn impl_trait(
    #[fingerprint] data: impl ith_provenance::Fingerprint,
    it: impl Iterator<Item = u32>,
) -> impl Iterator<Item = u32> {
    let _ = data;
    it.map(|x| x * 2)
}

#[provenance]
fn returns_reference<'a>(#[fingerprint] values: &'a mut Vec<u8>) -> &'a mut u8 {
    &mut values[0]
}

#[provenance]
fn unit(#[config] n: u32) {
    let _ = n;
}

#[provenance]
fn explicit_unit() -> () {}

/// # Safety
/// None needed; `unsafe` is kept on the signature.
#[provenance]
unsafe fn unsafe_fn(x: u32) -> u32 {
    x + 1
}

#[provenance]
extern "C" fn c_abi(x: u32) -> u32 {
    x * 2
}

#[provenance]
fn r#type(#[fingerprint] r#ref: u64) -> u64 {
    r#ref
}

fn main() {
    let ctx = ith_provenance::ProvenanceContext::builder(ith_provenance::crate_info!())
        .build()
        .unwrap();
    let sink = ith_provenance::log::MemorySink::new();
    let _log = ith_provenance::EventLog::builder()
        .memory(&sink)
        .open(&ctx)
        .unwrap()
        .install();

    assert_eq!(mean(&[1.0, 2.0, 3.0, 4.0], Params { window: 2 }), Ok(2.0));
    assert!(mean(&[], Params { window: 0 }).is_err());
    assert_eq!(strict_marks(vec![], "ab", (1, 2), 0), 6);
    assert_eq!(generic(&[1_u8, 2, 3], 2), vec![&1, &2]);
    assert_eq!(impl_trait(7_u8, 1..3).collect::<Vec<_>>(), vec![2, 4]);
    let mut v = vec![1];
    *returns_reference(&mut v) = 9;
    assert_eq!(v, [9]);
    unit(3);
    explicit_unit();
    assert_eq!(unsafe { unsafe_fn(1) }, 2);
    assert_eq!(c_abi(2), 4);
    assert_eq!(r#type(5), 5);
    assert!(sink.contents().contains(r#""output_hash":"sha256:"#));
}
