//! The scan the integration tests, the fuzz test and the benchmarks check
//! the verbs against, reached without making the modules that hold it
//! public.

pub use crate::commands::validate::is_valid;
pub use crate::ops::reader::{SNIFF_BYTES, binary_reason, glued_line_start};
pub use crate::ops::scan::{MAX_INPUTS, Scan, ScanOptions, scan, scan_bytes, scan_bytes_reference};
pub use crate::ops::schemas::Schemas;
