//! `ndarray` arrays and views of any memory layout (feature `ndarray`).

use ndarray::{ArrayBase, Data, Dimension};

use super::{ArrayData, ArrayElement};

/// Elements copied per run when the last axis is not contiguous (transposed
/// or strided views), so even those are hashed in bulk.
const GATHER: usize = 8192;

impl<T, S, D> ArrayData for ArrayBase<S, D>
where
    T: ArrayElement,
    S: Data<Elem = T>,
    D: Dimension,
{
    type Elem = T;

    fn shape(&self) -> Vec<usize> {
        self.shape().to_vec()
    }

    fn for_each_run(&self, f: &mut dyn FnMut(&[T])) {
        if let Some(all) = self.as_slice() {
            f(all);
            return;
        }
        // `iter()` walks in logical (C) order whatever the strides; gather
        // into a buffer so the hash still sees large runs.
        let mut buffer = Vec::with_capacity(GATHER.min(self.len()));
        for &x in self.iter() {
            buffer.push(x);
            if buffer.len() == GATHER {
                f(&buffer);
                buffer.clear();
            }
        }
        if !buffer.is_empty() {
            f(&buffer);
        }
    }

    fn as_contiguous(&self) -> Option<&[T]> {
        self.as_slice()
    }
}
