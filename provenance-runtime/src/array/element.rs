//! The element types an array may hold, with numpy's names and the
//! vectorisable statistics kernels for each.

use super::Scalar;

mod sealed {
    pub trait Sealed {}
}

/// A numeric element type with a numpy equivalent: `f64`, `f32`, `i64`,
/// `i32`, `i16`, `i8`, `u64`, `u32`, `u16`, `u8` and `bool`.
///
/// The set is closed (sealed): each type's byte layout and statistics are part
/// of the specification in `docs/FINGERPRINT.md`.
pub trait ArrayElement: Copy + Send + Sync + bytemuck::NoUninit + sealed::Sealed + 'static {
    /// numpy's name for this type (`np.dtype(...).name`).
    const DTYPE: &'static str;

    #[doc(hidden)]
    /// Appends the little-endian bytes (used on big-endian machines only).
    fn extend_le_bytes(self, out: &mut Vec<u8>);

    #[doc(hidden)]
    /// Minimum, maximum (ignoring NaN) and NaN count of one run.
    fn summarize(run: &[Self]) -> Stats<Self>;

    #[doc(hidden)]
    /// Whether `a` orders before `b` (never called with NaN).
    fn less(a: Self, b: Self) -> bool;

    #[doc(hidden)]
    fn to_scalar(self) -> Scalar;
}

/// Running statistics over the elements seen so far.
#[derive(Clone, Copy, Debug)]
pub struct Stats<T> {
    /// Minimum and maximum of the non-NaN elements, once there is one.
    bounds: Option<(T, T)>,
    nans: u64,
}

impl<T> Default for Stats<T> {
    fn default() -> Self {
        Stats {
            bounds: None,
            nans: 0,
        }
    }
}

impl<T: ArrayElement> Stats<T> {
    pub(super) fn update(&mut self, run: &[T]) {
        self.merge(T::summarize(run));
    }

    pub(super) fn merge(&mut self, other: Stats<T>) {
        self.nans += other.nans;
        self.bounds = match (self.bounds, other.bounds) {
            (Some((lo, hi)), Some((olo, ohi))) => Some((
                if T::less(olo, lo) { olo } else { lo },
                if T::less(hi, ohi) { ohi } else { hi },
            )),
            (a, b) => a.or(b),
        };
    }

    pub(super) fn finish(self) -> (Option<[Scalar; 2]>, u64) {
        let range = self.bounds.map(|(lo, hi)| [lo.to_scalar(), hi.to_scalar()]);
        (range, self.nans)
    }
}

/// Lanes per statistics accumulator: independent lanes let the compiler
/// vectorise the min/max loops instead of chaining one comparison per element.
const LANES: usize = 8;

macro_rules! float_element {
    ($t:ty, $dtype:literal) => {
        impl sealed::Sealed for $t {}
        impl ArrayElement for $t {
            const DTYPE: &'static str = $dtype;

            fn extend_le_bytes(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }

            fn summarize(run: &[Self]) -> Stats<Self> {
                let mut lo = [<$t>::INFINITY; LANES];
                let mut hi = [<$t>::NEG_INFINITY; LANES];
                let mut nans = [0u64; LANES];
                let mut chunks = run.chunks_exact(LANES);
                for chunk in &mut chunks {
                    for i in 0..LANES {
                        let x = chunk[i];
                        // `x < lo` is false for NaN, so NaN never becomes a
                        // bound: numpy's nanmin/nanmax.
                        lo[i] = if x < lo[i] { x } else { lo[i] };
                        hi[i] = if x > hi[i] { x } else { hi[i] };
                        nans[i] += u64::from(x.is_nan());
                    }
                }
                for &x in chunks.remainder() {
                    lo[0] = if x < lo[0] { x } else { lo[0] };
                    hi[0] = if x > hi[0] { x } else { hi[0] };
                    nans[0] += u64::from(x.is_nan());
                }
                let nans: u64 = nans.iter().sum();
                let lo = lo
                    .into_iter()
                    .fold(<$t>::INFINITY, |a, b| if b < a { b } else { a });
                let hi = hi
                    .into_iter()
                    .fold(<$t>::NEG_INFINITY, |a, b| if b > a { b } else { a });
                let any_number = (run.len() as u64) > nans;
                Stats {
                    bounds: any_number.then_some((lo, hi)),
                    nans,
                }
            }

            fn less(a: Self, b: Self) -> bool {
                a < b
            }

            fn to_scalar(self) -> Scalar {
                Scalar::Float(f64::from(self))
            }
        }
    };
}

macro_rules! int_element {
    ($t:ty, $dtype:literal, $scalar:expr) => {
        impl sealed::Sealed for $t {}
        impl ArrayElement for $t {
            const DTYPE: &'static str = $dtype;

            fn extend_le_bytes(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }

            fn summarize(run: &[Self]) -> Stats<Self> {
                let mut lo = [<$t>::MAX; LANES];
                let mut hi = [<$t>::MIN; LANES];
                let mut chunks = run.chunks_exact(LANES);
                for chunk in &mut chunks {
                    for i in 0..LANES {
                        lo[i] = lo[i].min(chunk[i]);
                        hi[i] = hi[i].max(chunk[i]);
                    }
                }
                for &x in chunks.remainder() {
                    lo[0] = lo[0].min(x);
                    hi[0] = hi[0].max(x);
                }
                let bounds = (!run.is_empty()).then(|| {
                    (
                        lo.into_iter().fold(<$t>::MAX, <$t>::min),
                        hi.into_iter().fold(<$t>::MIN, <$t>::max),
                    )
                });
                Stats { bounds, nans: 0 }
            }

            fn less(a: Self, b: Self) -> bool {
                a < b
            }

            fn to_scalar(self) -> Scalar {
                $scalar(self)
            }
        }
    };
}

float_element!(f64, "float64");
float_element!(f32, "float32");
int_element!(i64, "int64", Scalar::Int);
int_element!(i32, "int32", |x| Scalar::Int(i64::from(x)));
int_element!(i16, "int16", |x| Scalar::Int(i64::from(x)));
int_element!(i8, "int8", |x| Scalar::Int(i64::from(x)));
int_element!(u64, "uint64", |x: u64| i64::try_from(x)
    .map_or(Scalar::UInt(x), Scalar::Int));
int_element!(u32, "uint32", |x| Scalar::Int(i64::from(x)));
int_element!(u16, "uint16", |x| Scalar::Int(i64::from(x)));
int_element!(u8, "uint8", |x| Scalar::Int(i64::from(x)));

impl sealed::Sealed for bool {}
impl ArrayElement for bool {
    const DTYPE: &'static str = "bool";

    fn extend_le_bytes(self, out: &mut Vec<u8>) {
        out.push(u8::from(self));
    }

    fn summarize(run: &[Self]) -> Stats<Self> {
        // A bool is one byte, 0 or 1: the u8 kernel does the work.
        let bytes: &[u8] = bytemuck::cast_slice(run);
        let stats = u8::summarize(bytes);
        Stats {
            bounds: stats.bounds.map(|(lo, hi)| (lo != 0, hi != 0)),
            nans: 0,
        }
    }

    fn less(a: Self, b: Self) -> bool {
        !a & b
    }

    fn to_scalar(self) -> Scalar {
        Scalar::Bool(self)
    }
}
