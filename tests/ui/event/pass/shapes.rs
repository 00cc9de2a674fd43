//! An event without fields, an event whose version is left out (1), and
//! the `crate` option pointing at a re-export.

mod reexport {
    pub use ith_provenance as prov;
}

use ith_provenance::Event;

#[derive(serde::Serialize, Event)]
#[event(name = "test.tick")]
struct Tick {}

#[derive(serde::Serialize, reexport::prov::Event)]
#[event(name = "test.reexported", version = 7, crate = "reexport::prov")]
struct Reexported {
    n: u32,
}

#[derive(serde::Serialize, Event)]
#[event(
    version = 2,
    name = "test.ordered.options.99_x",
    crate = "::ith_provenance"
)]
pub struct Options {
    pub n: u32,
}

fn main() {
    assert_eq!((Tick::EVENT_TYPE, Tick::VERSION), ("test.tick", 1));
    assert_eq!(
        Tick::payload_schema(),
        serde_json::json!({"type": "object", "properties": {}, "required": [], "additionalProperties": false})
    );
    assert_eq!(Reexported::VERSION, 7);
    assert_eq!(Options::EVENT_TYPE, "test.ordered.options.99_x");
}
