//! What `#[derive(Event)]`'s generated code needs: the traits it implements
//! and names, a builder for the payload's object schema, and the registry's
//! descriptor with the `inventory` that collects it.

pub use crate::events::registry::EventDescriptor;
pub use crate::events::{Event, FieldSchema};
pub use serde_json::Value;

/// The `inventory` the registry collects from, so a user's crate needs no
/// dependency of its own on it.
pub use inventory;

/// Builds an event's payload schema field by field: a closed object that
/// requires every field, except those written only sometimes or read with a
/// default.
pub struct PayloadSchema {
    properties: serde_json::Map<String, Value>,
    required: Vec<Value>,
}

impl PayloadSchema {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        PayloadSchema {
            properties: serde_json::Map::new(),
            required: Vec::new(),
        }
    }

    /// Adds the field written as `name`.
    pub fn field(&mut self, name: &str, schema: Value, required: bool) {
        self.properties.insert(name.to_string(), schema);
        if required {
            self.required.push(Value::from(name));
        }
    }

    pub fn finish(self) -> Value {
        serde_json::json!({
            "type": "object",
            "properties": self.properties,
            "required": self.required,
            "additionalProperties": false,
        })
    }
}
