//! The containers [`fingerprint_array`](crate::fingerprint_array) accepts.

use super::ArrayElement;

/// Anything that can hand over its elements in C (row-major) order.
///
/// Implemented for `[T]`, `[T; N]`, `Vec<T>`, 2-D `[[T; M]]`, `[[T; M]; N]`
/// and `Vec<[T; M]>`, and (feature `ndarray`) every `ndarray` array and view.
/// Implement it for your own container to fingerprint it without a copy:
///
/// ```
/// use ith_provenance::{fingerprint_array, fingerprint::ArrayData};
///
/// /// A column-major matrix.
/// struct ColMajor { rows: usize, cols: usize, data: Vec<f64> }
///
/// impl ArrayData for ColMajor {
///     type Elem = f64;
///     fn shape(&self) -> Vec<usize> { vec![self.rows, self.cols] }
///     fn for_each_run(&self, f: &mut dyn FnMut(&[f64])) {
///         for r in 0..self.rows {
///             let row: Vec<f64> = (0..self.cols).map(|c| self.data[c * self.rows + r]).collect();
///             f(&row);
///         }
///     }
/// }
///
/// let m = ColMajor { rows: 2, cols: 2, data: vec![1.0, 3.0, 2.0, 4.0] };
/// assert_eq!(fingerprint_array(&m).sha256, fingerprint_array(&[[1.0, 2.0], [3.0, 4.0]]).sha256);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an array `fingerprint_array` can hash",
    label = "not an `ArrayData`",
    note = "slices, `Vec`s and fixed-size arrays of numbers or bools (nested for more axes) are arrays, \
            and so are ndarray 0.17 arrays and views (feature `ndarray`); an array of another ndarray \
            version is not: see the README, \"Versions of rand and ndarray\""
)]
pub trait ArrayData {
    /// The element type.
    type Elem: ArrayElement;

    /// The length of each axis, outermost first.
    fn shape(&self) -> Vec<usize>;

    /// Calls `f` with consecutive runs that together hold every element once,
    /// in C order. Longer runs hash faster.
    fn for_each_run(&self, f: &mut dyn FnMut(&[Self::Elem]));

    /// All elements as one C-order slice, when the memory already is one.
    /// Large contiguous arrays are summarised on a second core.
    fn as_contiguous(&self) -> Option<&[Self::Elem]> {
        None
    }
}

impl<T: ArrayElement> ArrayData for [T] {
    type Elem = T;

    fn shape(&self) -> Vec<usize> {
        vec![self.len()]
    }

    fn for_each_run(&self, f: &mut dyn FnMut(&[T])) {
        f(self);
    }

    fn as_contiguous(&self) -> Option<&[T]> {
        Some(self)
    }
}

impl<T: ArrayElement, const N: usize> ArrayData for [T; N] {
    type Elem = T;

    fn shape(&self) -> Vec<usize> {
        vec![N]
    }

    fn for_each_run(&self, f: &mut dyn FnMut(&[T])) {
        f(self);
    }

    fn as_contiguous(&self) -> Option<&[T]> {
        Some(self)
    }
}

impl<T: ArrayElement> ArrayData for Vec<T> {
    type Elem = T;

    fn shape(&self) -> Vec<usize> {
        vec![self.len()]
    }

    fn for_each_run(&self, f: &mut dyn FnMut(&[T])) {
        f(self);
    }

    fn as_contiguous(&self) -> Option<&[T]> {
        Some(self)
    }
}

impl<T: ArrayElement, const M: usize> ArrayData for [[T; M]] {
    type Elem = T;

    fn shape(&self) -> Vec<usize> {
        vec![self.len(), M]
    }

    fn for_each_run(&self, f: &mut dyn FnMut(&[T])) {
        f(self.as_flattened());
    }

    fn as_contiguous(&self) -> Option<&[T]> {
        Some(self.as_flattened())
    }
}

impl<T: ArrayElement, const M: usize, const N: usize> ArrayData for [[T; M]; N] {
    type Elem = T;

    fn shape(&self) -> Vec<usize> {
        vec![N, M]
    }

    fn for_each_run(&self, f: &mut dyn FnMut(&[T])) {
        f(self.as_flattened());
    }

    fn as_contiguous(&self) -> Option<&[T]> {
        Some(self.as_flattened())
    }
}

impl<T: ArrayElement, const M: usize> ArrayData for Vec<[T; M]> {
    type Elem = T;

    fn shape(&self) -> Vec<usize> {
        vec![self.len(), M]
    }

    fn for_each_run(&self, f: &mut dyn FnMut(&[T])) {
        f(self.as_flattened());
    }

    fn as_contiguous(&self) -> Option<&[T]> {
        Some(self.as_flattened())
    }
}
