//! Support for `#[provenance]`'s generated code: starting and ending a run,
//! and the autoref-specialized dispatch that picks, per argument or return
//! type, how to record it.
//!
//! Dispatch works on concrete types at the annotated function, where the
//! macro calls e.g. `(&&&FingerprintArg(&x)).__provenance_data_load()`:
//! method lookup tries `&&FingerprintArg<T>` (arrays), then
//! `&FingerprintArg<T>` (values), then `FingerprintArg<T>` (the fallback,
//! whose bound fails with a message naming the traits).

use std::ffi::{OsStr, OsString};
use std::fmt::Display;
use std::path::{Path, PathBuf};

use crate::{ArrayData, DataLoad, Fingerprint, Sha256Hash, fingerprint_array, fingerprint_file};

pub use crate::run::guard::{RunFuture, RunGuard, RunSite, RunStart};

/// Calls the body's closure. Passing it to an `FnOnce` bound makes it an
/// `FnOnce` closure, so it may return references into the arguments it
/// captured (`&mut self.field`).
#[inline(always)]
pub fn call_once<R, F: FnOnce() -> R>(body: F) -> R {
    body()
}

/// A `#[fingerprint]` argument, for dispatch.
pub struct FingerprintArg<'a, T: ?Sized>(pub &'a T);

/// `#[fingerprint]` on array-like data: the array fingerprint record.
pub trait FingerprintAsArray {
    /// The argument's `data.load` (not yet named).
    fn __provenance_data_load(&self) -> DataLoad;
}

impl<T: ArrayData + ?Sized> FingerprintAsArray for &&FingerprintArg<'_, T> {
    fn __provenance_data_load(&self) -> DataLoad {
        DataLoad::from_array(ARGUMENT_SOURCE, &fingerprint_array(self.0), Vec::new())
    }
}

/// `#[fingerprint]` on a structured value: its value fingerprint, with row
/// and column counts 0.
pub trait FingerprintAsValue {
    /// The argument's `data.load` (not yet named).
    fn __provenance_data_load(&self) -> DataLoad;
}

impl<T: Fingerprint + ?Sized> FingerprintAsValue for &FingerprintArg<'_, T> {
    fn __provenance_data_load(&self) -> DataLoad {
        value_data_load(self.0.fingerprint())
    }
}

/// `#[fingerprint]` on anything else: a compile error from the bound.
pub trait FingerprintUnsupported<T: ?Sized> {
    /// Never callable: `T: FingerprintInput` does not hold.
    fn __provenance_data_load(&self) -> DataLoad
    where
        T: FingerprintInput;
}

impl<T: ?Sized> FingerprintUnsupported<T> for FingerprintArg<'_, T> {
    fn __provenance_data_load(&self) -> DataLoad
    where
        T: FingerprintInput,
    {
        value_data_load(self.0.__provenance_unsupported())
    }
}

/// The error a `#[fingerprint]` argument of an unsupported type gets.
#[diagnostic::on_unimplemented(
    message = "`#[fingerprint]` cannot record an argument of type `{Self}`: it implements neither `Fingerprint` nor `ArrayData`",
    label = "implements neither `Fingerprint` nor `ArrayData`",
    note = "derive `Fingerprint` for the type, implement `ArrayData` for array-like data, or mark the argument `#[provenance(skip)]`; for the file a path names, write `#[fingerprint(file)]`"
)]
pub trait FingerprintInput {
    /// Unused: only the bound matters.
    fn __provenance_unsupported(&self) -> Sha256Hash;
}

/// Keeps `FingerprintInput` from being a trait without implementations
/// (whose errors carry a misleading "consider adding one").
pub enum NeverFingerprinted {}

impl FingerprintInput for NeverFingerprinted {
    fn __provenance_unsupported(&self) -> Sha256Hash {
        match *self {}
    }
}

/// `#[fingerprint(file)]`: the `data.load` of the file the argument names.
/// A method whose bound is on `T`, so the macro can span the error at the
/// argument's type.
pub trait FingerprintFile<T: ?Sized> {
    /// The file's `data.load` (absolute path, size, working directory; rows
    /// and columns 0), streamed through SHA-256, or why it cannot be read.
    fn __provenance_file_data_load(&self) -> crate::Result<DataLoad>
    where
        T: FileArgument;
}

impl<T: ?Sized> FingerprintFile<T> for FingerprintArg<'_, T> {
    fn __provenance_file_data_load(&self) -> crate::Result<DataLoad>
    where
        T: FileArgument,
    {
        let fp = fingerprint_file(self.0.__provenance_path())?;
        Ok(DataLoad::from_file(&fp, 0, Vec::new()))
    }
}

/// The argument types `#[fingerprint(file)]` takes: a path, as `Path`,
/// `PathBuf`, `str`, `String`, `OsStr` or `OsString` (behind any number of
/// references).
#[diagnostic::on_unimplemented(
    message = "`#[fingerprint(file)]` cannot read a file named by an argument of type `{Self}`: it takes a path",
    label = "not a path: expected `&Path`, `PathBuf`, `&str`, `String`, `&OsStr` or `OsString`",
    note = "to fingerprint the value itself, write `#[fingerprint]`"
)]
pub trait FileArgument {
    /// The file's path.
    fn __provenance_path(&self) -> &Path;
}

macro_rules! file_arguments {
    ($($t:ty),*) => {$(
        impl FileArgument for $t {
            fn __provenance_path(&self) -> &Path {
                self.as_ref()
            }
        }
    )*};
}

file_arguments!(Path, PathBuf, str, String, OsStr, OsString);

impl<T: FileArgument + ?Sized> FileArgument for &T {
    fn __provenance_path(&self) -> &Path {
        (**self).__provenance_path()
    }
}

/// `source_path` of an argument's `data.load`.
const ARGUMENT_SOURCE: &str = "argument";

fn value_data_load(hash: Sha256Hash) -> DataLoad {
    DataLoad {
        source_path: ARGUMENT_SOURCE.to_string(),
        sha256_hash: hash,
        row_count: 0,
        column_count: 0,
        columns: Vec::new(),
        value_range: None,
        input_name: None,
        dtype: None,
        shape: None,
        n_nans: None,
        size_bytes: None,
        working_dir: None,
    }
}

/// The body's return value, for dispatch.
pub struct Outcome<'a, T: ?Sized>(pub &'a T);

/// `Result<_, E: Display>`: `Err` is an error with its message.
pub trait OutcomeOfResult {
    /// The error message, or `None` for success.
    fn __provenance_error(&self) -> Option<String>;
}

impl<T, E: Display> OutcomeOfResult for &&Outcome<'_, core::result::Result<T, E>> {
    fn __provenance_error(&self) -> Option<String> {
        self.0.as_ref().err().map(ToString::to_string)
    }
}

/// `Result<_, E>` without `Display`: `Err` is an error named by its type.
pub trait OutcomeOfOpaqueResult {
    /// The error message, or `None` for success.
    fn __provenance_error(&self) -> Option<String>;
}

impl<T, E> OutcomeOfOpaqueResult for &Outcome<'_, core::result::Result<T, E>> {
    fn __provenance_error(&self) -> Option<String> {
        self.0.as_ref().err().map(|_| {
            format!(
                "returned an Err of type `{}` (which does not implement Display)",
                core::any::type_name::<E>()
            )
        })
    }
}

/// Any other value: success.
pub trait OutcomeOfValue {
    /// Always `None`.
    fn __provenance_error(&self) -> Option<String>;
}

impl<T: ?Sized> OutcomeOfValue for Outcome<'_, T> {
    fn __provenance_error(&self) -> Option<String> {
        None
    }
}

/// `fingerprint_output` on `Result<A: ArrayData, _>`: the `Ok` array's
/// `fingerprint_array` hash, as for an array argument.
pub trait OutputOfArrayResult {
    /// The output's fingerprint (`None` for an `Err`).
    fn __provenance_output_hash(&self) -> Option<Sha256Hash>;
}

impl<A: ArrayData, E> OutputOfArrayResult for &&&&Outcome<'_, core::result::Result<A, E>> {
    fn __provenance_output_hash(&self) -> Option<Sha256Hash> {
        self.0.as_ref().ok().map(crate::array::array_sha256)
    }
}

/// `fingerprint_output` on an array (a `Vec<f64>`, an ndarray array): its
/// `fingerprint_array` hash, numpy's `sha256(arr.tobytes())`.
pub trait OutputOfArray {
    /// The output's fingerprint.
    fn __provenance_output_hash(&self) -> Option<Sha256Hash>;
}

impl<A: ArrayData + ?Sized> OutputOfArray for &&&Outcome<'_, A> {
    fn __provenance_output_hash(&self) -> Option<Sha256Hash> {
        Some(crate::array::array_sha256(self.0))
    }
}

/// `fingerprint_output` on `Result<T: Fingerprint, _>`: the `Ok` value's.
pub trait OutputOfResult {
    /// The output's fingerprint (`None` for an `Err`).
    fn __provenance_output_hash(&self) -> Option<Sha256Hash>;
}

impl<T: Fingerprint, E> OutputOfResult for &&Outcome<'_, core::result::Result<T, E>> {
    fn __provenance_output_hash(&self) -> Option<Sha256Hash> {
        self.0.as_ref().ok().map(Fingerprint::fingerprint)
    }
}

/// `fingerprint_output` on any other `Fingerprint` value.
pub trait OutputOfValue {
    /// The output's fingerprint.
    fn __provenance_output_hash(&self) -> Option<Sha256Hash>;
}

impl<T: Fingerprint + ?Sized> OutputOfValue for &Outcome<'_, T> {
    fn __provenance_output_hash(&self) -> Option<Sha256Hash> {
        Some(self.0.fingerprint())
    }
}

/// `fingerprint_output` on anything else: a compile error from the bound.
pub trait OutputUnsupported<T: ?Sized> {
    /// Never callable: `T: OutputFingerprint` does not hold.
    fn __provenance_output_hash(&self) -> Option<Sha256Hash>
    where
        T: OutputFingerprint;
}

impl<T: ?Sized> OutputUnsupported<T> for Outcome<'_, T> {
    fn __provenance_output_hash(&self) -> Option<Sha256Hash>
    where
        T: OutputFingerprint,
    {
        Some(self.0.__provenance_unsupported())
    }
}

/// The error `fingerprint_output` gets on an unsupported return type.
#[diagnostic::on_unimplemented(
    message = "`fingerprint_output` cannot record a return value of type `{Self}`: it does not implement `Fingerprint`",
    label = "does not implement `Fingerprint`",
    note = "derive `Fingerprint` for the type (for `Result<T, E>`, for `T`), or remove `fingerprint_output`"
)]
pub trait OutputFingerprint {
    /// Unused: only the bound matters.
    fn __provenance_unsupported(&self) -> Sha256Hash;
}

impl OutputFingerprint for NeverFingerprinted {
    fn __provenance_unsupported(&self) -> Sha256Hash {
        match *self {}
    }
}

/// `output_file` on `Result<P, _>` with a path `P`: the `Ok` value's path.
pub trait OutputFileOfResult {
    /// The file to record (`None` for an `Err`).
    fn __provenance_output_file(&self) -> Option<&Path>;
}

impl<T: FileArgument, E> OutputFileOfResult for &&Outcome<'_, core::result::Result<T, E>> {
    fn __provenance_output_file(&self) -> Option<&Path> {
        self.0.as_ref().ok().map(FileArgument::__provenance_path)
    }
}

/// `output_file` on a path.
pub trait OutputFileOfValue {
    /// The file to record.
    fn __provenance_output_file(&self) -> Option<&Path>;
}

impl<T: FileArgument + ?Sized> OutputFileOfValue for &Outcome<'_, T> {
    fn __provenance_output_file(&self) -> Option<&Path> {
        Some(self.0.__provenance_path())
    }
}

/// `output_file` on anything else: a compile error from the bound.
pub trait OutputFileUnsupported<T: ?Sized> {
    /// Never callable: `T: OutputPath` does not hold.
    fn __provenance_output_file(&self) -> Option<&Path>
    where
        T: OutputPath;
}

impl<T: ?Sized> OutputFileUnsupported<T> for Outcome<'_, T> {
    fn __provenance_output_file(&self) -> Option<&Path>
    where
        T: OutputPath,
    {
        self.0.__provenance_unsupported()
    }
}

/// The error `output_file` gets on a return type that is not a path.
#[diagnostic::on_unimplemented(
    message = "`output_file` cannot record a return value of type `{Self}`: it is not a path",
    label = "not a path: expected `PathBuf`, `&Path`, `String`, `&str`, `OsString`, `&OsStr` or `Result` of one",
    note = "return the path of the file the function wrote, or call `ith_provenance::record_output(path)` in the body and remove `output_file`"
)]
pub trait OutputPath {
    /// Unused: only the bound matters.
    fn __provenance_unsupported(&self) -> Option<&Path>;
}

impl OutputPath for NeverFingerprinted {
    fn __provenance_unsupported(&self) -> Option<&Path> {
        match *self {}
    }
}
