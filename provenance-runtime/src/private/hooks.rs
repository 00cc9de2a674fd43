//! Hooks for this workspace's benchmarks and tests: settings no user
//! needs, kept off the public builders.

use sha2::{Digest, Sha256};

use crate::fingerprint::feed_iter;
use crate::log::PayloadWriter;
use crate::{ArrayElement, EventLogBuilder, PackedElement, Sha256Hash};

/// Makes the log encode every payload with serde_json through the
/// non-finite adapter (`reference: true`: the reference the fast writer
/// must equal byte for byte) or with the fast writer (`false`, the
/// default), so `benches/json_writer.rs` can time both on the real `emit`
/// path. The lines are the same either way.
pub fn reference_writer(builder: EventLogBuilder, reference: bool) -> EventLogBuilder {
    builder.payload_writer(if reference {
        PayloadWriter::Reference
    } else {
        PayloadWriter::Fast
    })
}

// Each fast path of `docs/FAST_PATHS.md` beside its reference, for
// `benches/fast_paths.rs` to time in the same run.

/// Appends an event's `ts` for `micros` as `emit` writes it, or, with
/// `reference`, through chrono's formatting ([`crate::format_timestamp`]).
pub fn push_timestamp(out: &mut Vec<u8>, micros: i64, reference: bool) {
    if reference {
        let t = chrono::DateTime::from_timestamp_micros(micros).unwrap_or_default();
        out.extend_from_slice(crate::format_timestamp(&t).as_bytes());
    } else {
        crate::log::push_timestamp(out, micros);
    }
}

/// The SHA-256 of the packed form of `items` in a value fingerprint
/// (`fingerprint/packed.rs`), or, with `reference`, of the same bytes
/// copied element by element.
pub fn packed_sha256<T: PackedElement>(items: &[T], reference: bool) -> Sha256Hash {
    let mut hasher = Sha256::new();
    if reference {
        feed_iter(items.iter().copied(), &mut hasher);
    } else {
        T::feed(items, &mut hasher);
    }
    Sha256Hash::finish(hasher)
}

/// The SHA-256 [`fingerprint_array`](crate::fingerprint_array) computes for
/// `items` (its bulk path), or, with `reference`, of the same bytes copied
/// element by element.
pub fn array_sha256<T: ArrayElement>(items: &[T], reference: bool) -> Sha256Hash {
    if reference {
        crate::array::slice_sha256_by_element(items)
    } else {
        crate::array::array_sha256(items)
    }
}
