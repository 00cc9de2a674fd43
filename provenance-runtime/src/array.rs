//! Fingerprints of numeric arrays that equal numpy's
//! `hashlib.sha256(arr.tobytes())`, with summary statistics from the same pass.
//!
//! The byte layout is specified in `docs/FINGERPRINT.md`: the elements in C
//! (row-major) order, each as its little-endian bytes, whatever the memory
//! layout of the array (numpy's `tobytes()` is C order for any layout).

mod element;
#[cfg(feature = "ndarray")]
mod ndarray_support;
mod scalar;
mod source;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use element::ArrayElement;
use element::Stats;
pub use scalar::Scalar;
pub use source::ArrayData;

use crate::Sha256Hash;

/// The fingerprint of a numeric array: the fields of the original
/// `fingerprint_array`, with every hash in the project's `sha256:<hex>` form.
///
/// ```
/// use ith_provenance::{fingerprint_array, fingerprint::Scalar};
///
/// let fp = fingerprint_array(&vec![3_i32, -1, 7]);
/// assert_eq!(fp.dtype, "int32");
/// assert_eq!(fp.shape, vec![3]);
/// assert_eq!(fp.range, Some([Scalar::Int(-1), Scalar::Int(7)]));
/// // numpy: hashlib.sha256(np.array([3, -1, 7], dtype=np.int32).tobytes())
/// assert_eq!(
///     fp.sha256.to_string(),
///     "sha256:ded478b7a89bedc8f71f54819c35f0f6b2fae240663e4309b51357cdf61b3a88"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArrayFingerprint {
    /// SHA-256 of all elements in C order as little-endian bytes: equal to
    /// numpy's `hashlib.sha256(np.ascontiguousarray(a).tobytes())`.
    pub sha256: Sha256Hash,
    /// The length of each axis, outermost first (numpy's `arr.shape`).
    pub shape: Vec<usize>,
    /// numpy's name for the element type: `float64`, `int32`, `bool`, ….
    pub dtype: String,
    /// Minimum and maximum ignoring NaN (numpy's `nanmin`/`nanmax`); `None`
    /// when the array is empty or all NaN.
    pub range: Option<[Scalar; 2]>,
    /// How many elements are NaN (always 0 for integer and bool arrays).
    pub n_nans: u64,
    /// SHA-256 of the first 10 entries along the first axis (numpy's
    /// `arr[:10].tobytes()`: the first 10 rows of a matrix). The original cut
    /// this to 16 hex digits; we keep the whole digest. A 0-d array hashes
    /// its one element.
    pub checksum_first_10: Sha256Hash,
}

/// Fingerprints an array: slices, `Vec`s, fixed-size arrays, slices of
/// fixed-size rows (2-D) and, with the default `ndarray` feature, any
/// `ndarray` array or view of any layout.
///
/// Elements may be `f64`, `f32`, `i64`, `i32`, `i16`, `i8`, `u64`, `u32`,
/// `u16`, `u8` or `bool`. The data is hashed in bulk, at the speed of SHA-256
/// itself, and the statistics are computed alongside.
///
/// ```
/// use ith_provenance::fingerprint_array;
///
/// let prices = [101.5_f64, f64::NAN, 99.25];
/// let fp = fingerprint_array(&prices);
/// assert_eq!((fp.dtype.as_str(), fp.n_nans), ("float64", 1));
///
/// // The same elements fingerprint the same however they are held.
/// assert_eq!(fingerprint_array(&prices.to_vec()).sha256, fp.sha256);
/// assert_eq!(fingerprint_array(&prices[..]).sha256, fp.sha256);
/// ```
pub fn fingerprint_array<A: ArrayData + ?Sized>(data: &A) -> ArrayFingerprint {
    let shape = data.shape();
    let first_10 = first_10_len(&shape);
    let mut pass = Pass::<A::Elem>::new(first_10);
    match data.as_contiguous() {
        Some(all) => pass.contiguous(all),
        None => data.for_each_run(&mut |run| pass.run(run)),
    }
    pass.finish(shape)
}

/// Only the SHA-256 of [`fingerprint_array`] (no statistics, no prefix
/// hash): what a value fingerprint embeds for an array.
pub(crate) fn array_sha256<A: ArrayData + ?Sized>(data: &A) -> Sha256Hash {
    let mut hasher = Sha256::new();
    let mut scratch = Vec::new();
    let mut feed = |run: &[A::Elem]| Pass::<A::Elem>::hash_into(&mut hasher, &mut scratch, run);
    match data.as_contiguous() {
        Some(all) => feed(all),
        None => data.for_each_run(&mut feed),
    }
    Sha256Hash::finish(hasher)
}

/// [`array_sha256`] of a slice by the element-by-element reference, for
/// the benchmark that holds the bulk path to its place
/// (`docs/FAST_PATHS.md`).
pub(crate) fn slice_sha256_by_element<T: ArrayElement>(items: &[T]) -> Sha256Hash {
    let mut hasher = Sha256::new();
    Pass::<T>::hash_by_element(&mut hasher, &mut Vec::new(), items);
    Sha256Hash::finish(hasher)
}

/// How many elements `arr[:10]` holds: ten entries of the first axis, each
/// the product of the remaining axes.
fn first_10_len(shape: &[usize]) -> u64 {
    match shape.split_first() {
        None => 1,
        Some((&outer, inner)) => {
            let row: u64 = inner.iter().map(|&n| n as u64).product();
            row.saturating_mul(outer.min(10) as u64)
        }
    }
}

/// Bytes handed to SHA-256 and the statistics per step: large enough that
/// `sha2` runs at full speed, small enough that the chunk is still in L2
/// cache when the statistics read it again.
const CHUNK_BYTES: usize = 64 * 1024;

/// At and above this size the statistics run on a second core while this one
/// hashes, so the whole record costs no more than the hash alone.
const PARALLEL_BYTES: usize = 4 * 1024 * 1024;

/// One pass over the elements in C order: the full hash, the prefix hash and
/// the statistics, fed chunk by chunk.
struct Pass<T: ArrayElement> {
    hasher: Sha256,
    prefix: Sha256,
    prefix_left: u64,
    stats: Stats<T>,
    scratch: Vec<u8>,
}

impl<T: ArrayElement> Pass<T> {
    fn new(prefix_len: u64) -> Self {
        Pass {
            hasher: Sha256::new(),
            prefix: Sha256::new(),
            prefix_left: prefix_len,
            stats: Stats::default(),
            scratch: Vec::new(),
        }
    }

    /// The whole array as one slice: hash and summarise it on two cores when
    /// it is large and a second core exists, else chunk by chunk.
    fn contiguous(&mut self, all: &[T]) {
        let bytes = std::mem::size_of_val(all);
        if bytes < PARALLEL_BYTES || !has_second_core() {
            for chunk in all.chunks(CHUNK_BYTES / std::mem::size_of::<T>().max(1)) {
                self.run(chunk);
            }
            return;
        }
        self.take_prefix(all);
        let stats = std::thread::scope(|scope| {
            let summary = scope.spawn(|| {
                let mut stats = Stats::default();
                stats.update(all);
                stats
            });
            Self::hash_into(&mut self.hasher, &mut self.scratch, all);
            summary.join()
        });
        match stats {
            Ok(stats) => self.stats.merge(stats),
            // The statistics thread cannot panic on plain arithmetic; should
            // it ever, recompute here rather than lose the record.
            Err(_) => self.stats.update(all),
        }
    }

    /// Adds the next run of elements in C order.
    fn run(&mut self, run: &[T]) {
        self.take_prefix(run);
        self.stats.update(run);
        Self::hash_into(&mut self.hasher, &mut self.scratch, run);
    }

    fn take_prefix(&mut self, run: &[T]) {
        if self.prefix_left > 0 {
            let n = usize::try_from(self.prefix_left)
                .unwrap_or(usize::MAX)
                .min(run.len());
            Self::hash_into(&mut self.prefix, &mut self.scratch, &run[..n]);
            self.prefix_left -= n as u64;
        }
    }

    /// Feeds elements as little-endian bytes: a zero-copy view on
    /// little-endian machines, a converted copy per chunk elsewhere.
    fn hash_into(hasher: &mut Sha256, scratch: &mut Vec<u8>, run: &[T]) {
        if cfg!(target_endian = "little") {
            hasher.update(bytemuck::cast_slice::<T, u8>(run));
        } else {
            Self::hash_by_element(hasher, scratch, run);
        }
    }

    /// The reference `hash_into` stands in for on little-endian machines:
    /// each element's bytes copied, a chunk at a time.
    fn hash_by_element(hasher: &mut Sha256, scratch: &mut Vec<u8>, run: &[T]) {
        for chunk in run.chunks(CHUNK_BYTES / std::mem::size_of::<T>().max(1)) {
            scratch.clear();
            for x in chunk {
                x.extend_le_bytes(scratch);
            }
            hasher.update(&scratch[..]);
        }
    }

    fn finish(self, shape: Vec<usize>) -> ArrayFingerprint {
        let (range, n_nans) = self.stats.finish();
        ArrayFingerprint {
            sha256: Sha256Hash::finish(self.hasher),
            shape,
            dtype: T::DTYPE.to_string(),
            range,
            n_nans,
            checksum_first_10: Sha256Hash::finish(self.prefix),
        }
    }
}

fn has_second_core() -> bool {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get())) > 1
}

#[cfg(test)]
mod tests;
