//! `ndarray` arrays and views of any memory layout (feature `ndarray`).

use ndarray::{ArrayBase, Data, Dimension};
use serde_json::{Value, json};

use super::{ArrayData, ArrayElement};
use crate::events::FieldSchema;
use crate::fingerprint::{Fingerprint, Fingerprinter, PackedElement};

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

/// As an array (`docs/VALUE_FINGERPRINT.md`, tag 0x91): element type, shape
/// and the SHA-256 `fingerprint_array` records, whatever the memory layout.
/// So a struct field of `ndarray` type hashes its elements as numpy's
/// `sha256(arr.tobytes())` does, in bulk.
impl<T, S, D> Fingerprint for ArrayBase<S, D>
where
    T: ArrayElement + PackedElement,
    S: Data<Elem = T>,
    D: Dimension,
{
    fn write_fingerprint(&self, f: &mut Fingerprinter) {
        f.write_array(self);
    }
}

/// ndarray's own serde form, which its `serde` feature (turned on by this
/// crate) writes: `{"v": 1, "dim": [axis lengths], "data": [elements in C
/// order]}`, so `np.array(data).reshape(dim)` rebuilds the array.
impl<T, S, D> FieldSchema for ArrayBase<S, D>
where
    T: FieldSchema,
    S: Data<Elem = T>,
    D: Dimension,
{
    fn field_schema() -> Value {
        let axis = usize::field_schema();
        let dim = match D::NDIM {
            Some(n) => json!({"type": "array", "items": axis, "minItems": n, "maxItems": n}),
            None => json!({"type": "array", "items": axis}),
        };
        json!({
            "type": "object",
            "properties": {
                "v": {"enum": [1]},
                "dim": dim,
                "data": {"type": "array", "items": T::field_schema()},
            },
            "required": ["v", "dim", "data"],
            "additionalProperties": false,
        })
    }
}
