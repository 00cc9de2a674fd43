//! Unit tests for config hashing: every canonicalization rule, every error
//! with its exact path, and the ECMAScript number layout.

mod data_model;
mod errors;
mod numbers;
mod text;

use serde::{Serialize, Serializer};

use crate::{Error, canonical_json};

pub(super) fn canon<T: Serialize + ?Sized>(value: &T) -> String {
    match canonical_json(value) {
        Ok(text) => text,
        Err(e) => panic!("expected a canonical form, got: {e}"),
    }
}

/// The `(path, reason)` of the error `value` must produce.
pub(super) fn config_error<T: Serialize + ?Sized>(value: &T) -> (String, String) {
    match canonical_json(value) {
        Err(Error::Config { path, reason }) => (path, reason),
        Err(other) => panic!("expected Error::Config, got {other:?}"),
        Ok(text) => panic!("expected an error, got {text}"),
    }
}

// Types shared by several test files, mapped as serde_json maps them.

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Meters(f64);

#[derive(Serialize)]
struct Pair(u8, &'static str);

#[derive(Serialize)]
enum Action {
    Stop,
    Jump(u32),
    Move(i32, i32),
    Turn { degrees: f64, left: bool },
}

#[derive(Serialize)]
#[serde(tag = "kind")]
enum Tagged {
    Adam { lr: f64 },
}

#[derive(Serialize)]
#[serde(untagged)]
enum Untagged {
    Number(u8),
    Text(&'static str),
}

#[derive(Serialize)]
struct Model {
    layers: Vec<Layer>,
    name: String,
    dropout: Option<f64>,
    activation: Option<&'static str>,
}

#[derive(Serialize)]
struct Layer {
    width: u32,
    lr: f64,
}

struct Bytes(&'static [u8]);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}
