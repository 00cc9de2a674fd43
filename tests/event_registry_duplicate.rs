//! Two Rust types claiming one event type and version: `schemas()` and
//! opening a log fail, naming both types. In a file of its own, because the
//! duplicate makes every log in this test binary fail to open.

mod log_support;

use ith_provenance::{
    EventLog,
    events::RegistryError,
    log::{LogError, MemorySink},
    schemas,
};
use log_support::context;

mod training {
    #[derive(serde::Serialize, ith_provenance::Event)]
    #[event(name = "training.checkpoint", version = 3)]
    pub struct Checkpoint {
        pub step: u64,
    }
}

mod evaluation {
    /// Same name and version as `training::Checkpoint`, other fields.
    #[derive(serde::Serialize, ith_provenance::Event)]
    #[event(name = "training.checkpoint", version = 3)]
    pub struct Snapshot {
        pub accuracy: f64,
    }
}

/// Another version of the same name is no conflict.
#[derive(serde::Serialize, ith_provenance::Event)]
#[event(name = "training.checkpoint", version = 4)]
pub struct CheckpointV4 {
    pub step: u64,
}

const FIRST: &str = "event_registry_duplicate::evaluation::Snapshot";
const SECOND: &str = "event_registry_duplicate::training::Checkpoint";

#[test]
fn schemas_fails_naming_both_types() {
    let err = schemas().unwrap_err();
    assert_eq!(
        err,
        RegistryError::Duplicate {
            name: "training.checkpoint",
            version: 3,
            first: FIRST,
            second: SECOND,
        }
    );
    let message = err.to_string();
    assert!(
        message.contains(FIRST) && message.contains(SECOND),
        "{message}"
    );
    assert!(
        message.contains("\"training.checkpoint\" version 3"),
        "{message}"
    );
    // Checked once, reported the same way every time.
    assert_eq!(schemas().unwrap_err(), err);
}

#[test]
fn opening_a_log_fails_before_writing_anything() {
    let sink = MemorySink::new();
    let err = EventLog::builder()
        .memory(&sink)
        .open(&context())
        .expect_err("two types claim training.checkpoint version 3");
    let LogError::Registry(inner) = &err else {
        panic!("expected LogError::Registry, got {err:?}");
    };
    assert!(matches!(inner, RegistryError::Duplicate { version: 3, .. }));
    let message = err.to_string();
    assert!(
        message.contains(FIRST) && message.contains(SECOND),
        "{message}"
    );
    assert_eq!(sink.contents(), "", "nothing is written");
}
