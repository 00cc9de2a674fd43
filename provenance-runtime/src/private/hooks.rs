//! Hooks for this workspace's benchmarks and tests: settings no user
//! needs, kept off the public builders.

use crate::EventLogBuilder;
use crate::log::PayloadWriter;

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
