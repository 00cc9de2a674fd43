//! The JSON Schemas events are checked against: those of a `--schema`
//! file, those a log carries in its `event.schema` lines (per session), and
//! for the contract's own event types, its built-in ones ([`builtin`]).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use jsonschema::Validator;
use serde_json::Value;

use crate::error::CliError;
use crate::ops::line::{Payload, Problem};

mod builtin;
mod fast;

use fast::FastSchema;

/// Compiled schemas by session and event type.
#[derive(Default)]
pub struct Schemas {
    /// From `--schema FILE`: used for every session, before the log's own.
    forced: HashMap<String, Arc<Compiled>>,
    /// From `event.schema` lines: session → event type → schema (nested so
    /// a line looks its schema up without allocating).
    carried: HashMap<String, HashMap<String, Arc<Compiled>>>,
    /// Compiled schemas by their text, so sessions sharing one compile once.
    cache: HashMap<String, Arc<Compiled>>,
    /// The contract's built-in schemas, compiled on first use: by contract
    /// version (1 or 2), then event type.
    builtin: HashMap<(u64, String), Arc<Compiled>>,
}

/// One schema, compiled by jsonschema and, when it is in the subset the
/// derive emits, for the fast path.
struct Compiled {
    validator: Validator,
    fast: Option<FastSchema>,
}

/// One schema as `provenance schema --json` prints it and `--schema` reads it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SchemaEntry {
    /// The event type.
    pub name: String,
    /// Its payload version.
    pub version: u64,
    /// JSON Schema of its payload fields.
    pub schema: Value,
}

impl Schemas {
    /// Reads a `--schema` file: a JSON array of `{name, version, schema}`
    /// (what `provenance schema --json` prints) or an object mapping event
    /// types to schemas.
    ///
    /// # Errors
    /// The file cannot be read, is not one of those shapes, or holds a
    /// schema that does not compile.
    pub fn with_file(path: &Path) -> Result<Schemas, CliError> {
        let fail = |message: String| CliError::SchemaFile {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        let value: Value =
            serde_json::from_str(&text).map_err(|e| fail(format!("not JSON: {e}")))?;
        let entries: Vec<(String, Value)> = match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    serde_json::from_value::<SchemaEntry>(item)
                        .map(|e| (e.name, e.schema))
                        .map_err(|e| {
                            fail(format!(
                                "entry {i}: {e} (expected {{name, version, schema}})"
                            ))
                        })
                })
                .collect::<Result<_, _>>()?,
            Value::Object(map) => map.into_iter().collect(),
            _ => {
                return Err(fail(
                    "expected an array of {name, version, schema} or an object of schemas by event type".into(),
                ));
            }
        };
        let mut schemas = Schemas::default();
        for (name, schema) in entries {
            let compiled = schemas
                .compile(&schema)
                .map_err(|e| fail(format!("the schema of {name:?} does not compile: {e}")))?;
            schemas.forced.insert(name, compiled);
        }
        Ok(schemas)
    }

    /// Records the schema an `event.schema` line carries for `name` in
    /// `session`.
    ///
    /// # Errors
    /// The schema does not compile.
    pub fn learn(&mut self, session: &str, name: &str, schema: &Value) -> Result<(), String> {
        let compiled = self.compile(schema)?;
        self.carried
            .entry(session.to_string())
            .or_default()
            .insert(name.to_string(), compiled);
        Ok(())
    }

    /// Checks a payload, parsed either way, against its event type's
    /// schema: the `--schema` file's, else the one the session's
    /// `event.schema` line carries, else, for a type the contract defines,
    /// the contract's built-in schema for the session's version (`None`, no
    /// `session.start`: version 2). On the fast path when both allow it,
    /// else with jsonschema (which also names the problem whenever the fast
    /// path finds one).
    ///
    /// # Errors
    /// `Problem::Schema` naming the first failing place, `Problem::NoSchema`
    /// when none is known.
    pub fn check_payload(
        &mut self,
        session: &str,
        event_type: &str,
        payload: Payload<'_>,
        contract: Option<u64>,
    ) -> Result<(), Problem> {
        let compiled = self.forced.get(event_type).or_else(|| {
            self.carried
                .get(session)
                .and_then(|types| types.get(event_type))
        });
        let compiled = match compiled {
            Some(compiled) => compiled.clone(),
            None => self.builtin(event_type, contract)?,
        };
        if let (Some(fast), Payload::Tape(item)) = (&compiled.fast, payload)
            && fast.is_valid(item)
        {
            return Ok(());
        }
        let validator = &compiled.validator;
        let payload = Value::Object(payload.to_map());
        if validator.is_valid(&payload) {
            return Ok(());
        }
        let message = validator
            .iter_errors(&payload)
            .map(|e| {
                let at = e.instance_path().to_string();
                if at.is_empty() {
                    e.to_string()
                } else {
                    format!("at {at}: {e}")
                }
            })
            .take(3)
            .collect::<Vec<_>>()
            .join("; ");
        Err(Problem::Schema {
            event_type: event_type.to_string(),
            message,
        })
    }

    /// The contract's built-in schema of `event_type`, compiled once.
    fn builtin(
        &mut self,
        event_type: &str,
        contract: Option<u64>,
    ) -> Result<Arc<Compiled>, Problem> {
        let version = match contract {
            Some(0 | 1) => 1,
            _ => 2,
        };
        if let Some(compiled) = self.builtin.get(&(version, event_type.to_string())) {
            return Ok(compiled.clone());
        }
        let Some(schema) = builtin::schema(version, event_type) else {
            return Err(Problem::NoSchema {
                event_type: event_type.to_string(),
            });
        };
        let compiled = self.compile(schema).map_err(|message| Problem::Meta {
            message: format!(
                "the contract's version {version} schema of {event_type:?} does not compile: \
                 {message}"
            ),
        })?;
        self.builtin
            .insert((version, event_type.to_string()), compiled.clone());
        Ok(compiled)
    }

    fn compile(&mut self, schema: &Value) -> Result<Arc<Compiled>, String> {
        let key = schema.to_string();
        if let Some(v) = self.cache.get(&key) {
            return Ok(v.clone());
        }
        let validator = jsonschema::validator_for(schema).map_err(|e| e.to_string())?;
        let compiled = Arc::new(Compiled {
            validator,
            fast: FastSchema::compile(schema),
        });
        self.cache.insert(key, compiled.clone());
        Ok(compiled)
    }
}
