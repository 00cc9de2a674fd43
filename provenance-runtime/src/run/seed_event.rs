//! `seed.derived`: a run handed out the seed of a named component.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::{Event, Seed, SeedSource};

/// `seed.derived`: the first time a run hands out the seed of a component
/// ([`rng`](crate::rng), [`seed`](fn@crate::seed), [`Run::seed`](crate::Run::seed)),
/// with the root seed it came from and where that root came from, so the
/// run can be replayed (`PROVENANCE_SEED=<root_seed>`, or the annotation's
/// `seed`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedDerived {
    /// The component's name (`bootstrap`).
    pub component: String,
    /// Its seed: [`derive_run_seed`](crate::derive_run_seed)`(root_seed, run_id, component)`.
    pub seed: Seed,
    /// The run's root seed.
    pub root_seed: Seed,
    /// Where the root seed came from: `explicit` (the annotation's `seed`),
    /// `environment` (`PROVENANCE_SEED`) or `entropy` (the session's).
    pub root_seed_source: SeedSource,
}

impl Event for SeedDerived {
    const EVENT_TYPE: &'static str = "seed.derived";
    const VERSION: u32 = 2;

    fn payload_schema() -> Value {
        let seed = json!({"type": "string", "pattern": Seed::PATTERN});
        json!({
            "type": "object",
            "properties": {
                "component": {"type": "string"},
                "seed": seed,
                "root_seed": seed,
                "root_seed_source": {"enum": ["explicit", "environment", "entropy"]}
            },
            "required": ["component", "seed", "root_seed", "root_seed_source"],
            "additionalProperties": false
        })
    }
}
