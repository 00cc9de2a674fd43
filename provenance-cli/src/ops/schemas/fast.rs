//! A compiled fast path for the JSON Schema subset `#[derive(Event)]`
//! emits, run on a parsed line's tape without building a `Value`.
//!
//! It only ever answers "valid" when the jsonschema crate would: a schema
//! using any other keyword (or an unusual form of these) does not compile
//! here and is checked by jsonschema alone, and a payload the fast path
//! rejects is checked again by jsonschema, which names the problem. The
//! property test below holds the two to the same verdict.

use serde_json::Value;

use crate::ops::line::tape::{Item, Node};

/// A schema in the subset, ready to check tapes.
#[derive(Debug)]
pub struct FastSchema(Rule);

impl FastSchema {
    /// Compiles `schema`, or `None` when it uses anything outside the
    /// subset (then only jsonschema checks it).
    pub fn compile(schema: &Value) -> Option<FastSchema> {
        rule(schema).map(FastSchema)
    }

    /// Whether `instance` is valid.
    pub fn is_valid(&self, instance: Item<'_>) -> bool {
        self.0.is_valid(instance)
    }
}

#[derive(Debug)]
enum Rule {
    Always(bool),
    Checks(Box<Checks>),
}

const NULL: u8 = 1;
const BOOLEAN: u8 = 2;
const OBJECT: u8 = 4;
const ARRAY: u8 = 8;
const NUMBER: u8 = 16;
const STRING: u8 = 32;
const INTEGER: u8 = 64;

/// The pattern the derive writes for fingerprints.
const SHA256_PATTERN: &str = "^sha256:[0-9a-f]{64}$";

/// The pattern contract version 2 writes for seeds.
const SEED_PATTERN: &str = crate::seed::SEED_PATTERN;

/// The `pattern`s the fast path knows; any other is left to jsonschema.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Pattern {
    /// [`SHA256_PATTERN`].
    Sha256,
    /// [`SEED_PATTERN`].
    Seed,
}
/// The largest magnitude at which an integer limit and an `f64` compare
/// exactly.
const EXACT_IN_F64: i64 = 1 << 53;

#[derive(Debug, Default)]
struct Checks {
    /// Allowed types (0: any).
    types: u8,
    /// `properties`; the flag says whether it is required.
    properties: Vec<(String, Rule, bool)>,
    /// How many of `required` name a property in `properties`.
    required_known: usize,
    /// `required` names that are not in `properties`.
    required_other: Vec<String>,
    /// `additionalProperties` (`None`: anything).
    additional: Option<Rule>,
    /// `items` (`None`: anything).
    items: Option<Rule>,
    /// `anyOf`: the types its alternatives that check only a type allow,
    /// and the other alternatives.
    any_of: Option<(u8, Vec<Rule>)>,
    /// `enum` of strings, booleans and nulls.
    one_of_values: Option<Vec<Value>>,
    /// `minimum`, an integer of at most 2^53 in magnitude.
    minimum: Option<i64>,
    /// `pattern`, one of those the fast path knows.
    pattern: Option<Pattern>,
    /// `minItems`.
    min_items: Option<u64>,
    /// `maxItems`.
    max_items: Option<u64>,
}

fn rule(schema: &Value) -> Option<Rule> {
    let map = match schema {
        Value::Bool(b) => return Some(Rule::Always(*b)),
        Value::Object(map) => map,
        _ => return None,
    };
    let mut c = Checks::default();
    let mut required: Vec<&str> = Vec::new();
    for (key, value) in map {
        match key.as_str() {
            "type" => {
                c.types = match value {
                    Value::String(t) => type_bit(t)?,
                    Value::Array(ts) if !ts.is_empty() => ts
                        .iter()
                        .map(|t| t.as_str().and_then(type_bit))
                        .try_fold(0, |acc, bit| Some(acc | bit?))?,
                    _ => return None,
                }
            }
            "properties" => {
                c.properties = value
                    .as_object()?
                    .iter()
                    .map(|(name, s)| Some((name.clone(), rule(s)?, false)))
                    .collect::<Option<Vec<_>>>()?;
            }
            "required" => {
                for name in value.as_array()? {
                    required.push(name.as_str()?);
                }
            }
            "additionalProperties" => c.additional = Some(rule(value)?),
            "items" => c.items = Some(rule(value)?),
            "anyOf" => {
                let list = value.as_array().filter(|l| !l.is_empty())?;
                let mut types = 0;
                let mut others = Vec::new();
                for alternative in list {
                    match rule(alternative)? {
                        Rule::Checks(c) if c.only_types() => types |= c.types,
                        other => others.push(other),
                    }
                }
                c.any_of = Some((types, others));
            }
            "enum" => {
                let list = value.as_array()?;
                if !list
                    .iter()
                    .all(|v| v.is_string() || v.is_boolean() || v.is_null())
                {
                    return None;
                }
                c.one_of_values = Some(list.clone());
            }
            "minimum" => {
                let limit = value.as_i64()?;
                if limit.abs() > EXACT_IN_F64 {
                    return None;
                }
                c.minimum = Some(limit);
            }
            "pattern" if value.as_str() == Some(SHA256_PATTERN) => {
                c.pattern = Some(Pattern::Sha256);
            }
            "pattern" if value.as_str() == Some(SEED_PATTERN) => c.pattern = Some(Pattern::Seed),
            "minItems" => c.min_items = Some(value.as_u64()?),
            "maxItems" => c.max_items = Some(value.as_u64()?),
            // Annotations: no effect on validity.
            "title" | "description" | "$comment" | "default" | "examples" => {}
            _ => return None,
        }
    }
    required.sort_unstable();
    required.dedup();
    for name in required {
        match c.property(name) {
            Some(i) => {
                c.properties[i].2 = true;
                c.required_known += 1;
            }
            None => c.required_other.push(name.to_string()),
        }
    }
    if c.properties.len() > 64 {
        return None;
    }
    Some(Rule::Checks(Box::new(c)))
}

fn type_bit(name: &str) -> Option<u8> {
    Some(match name {
        "null" => NULL,
        "boolean" => BOOLEAN,
        "object" => OBJECT,
        "array" => ARRAY,
        "number" => NUMBER,
        "string" => STRING,
        "integer" => INTEGER,
        _ => return None,
    })
}

impl Rule {
    fn is_valid(&self, item: Item<'_>) -> bool {
        match self {
            Rule::Always(b) => *b,
            Rule::Checks(c) => c.is_valid(item),
        }
    }
}

impl Checks {
    /// Whether the only keyword is a `type`.
    fn only_types(&self) -> bool {
        let Checks {
            types,
            properties,
            required_known,
            required_other,
            additional,
            items,
            any_of,
            one_of_values,
            minimum,
            pattern,
            min_items,
            max_items,
        } = self;
        *types != 0
            && properties.is_empty()
            && *required_known == 0
            && required_other.is_empty()
            && additional.is_none()
            && items.is_none()
            && any_of.is_none()
            && one_of_values.is_none()
            && minimum.is_none()
            && pattern.is_none()
            && min_items.is_none()
            && max_items.is_none()
    }

    /// The index of property `name`. A linear scan: `==` compares lengths
    /// first, and few of a payload's names share a length.
    fn property(&self, name: &str) -> Option<usize> {
        self.properties.iter().position(|p| p.0 == name)
    }

    fn is_valid(&self, item: Item<'_>) -> bool {
        let node = item.node();
        if self.types != 0 && !has_type(self.types, node) {
            return false;
        }
        let fine = match node {
            Node::Object { .. } => self.object(item),
            Node::Array { len, .. } => {
                self.min_items.is_none_or(|m| len as u64 >= m)
                    && self.max_items.is_none_or(|m| len as u64 <= m)
                    && self
                        .items
                        .as_ref()
                        .is_none_or(|rule| item.elements().all(|e| rule.is_valid(e)))
            }
            Node::Str { .. } => match self.pattern {
                None => true,
                Some(Pattern::Sha256) => item.as_str().is_some_and(is_sha256),
                Some(Pattern::Seed) => item.as_str().is_some_and(crate::seed::is_written_seed),
            },
            Node::U64(u) => self.minimum.is_none_or(|m| i128::from(u) >= i128::from(m)),
            Node::I64(i) => self.minimum.is_none_or(|m| i >= m),
            Node::F64(f) => self.minimum.is_none_or(|m| f >= m as f64),
            Node::Null | Node::Bool(_) => true,
        };
        fine && self.any_of.as_ref().is_none_or(|(types, others)| {
            has_type(*types, node) || others.iter().any(|rule| rule.is_valid(item))
        }) && self
            .one_of_values
            .as_ref()
            .is_none_or(|values| values.iter().any(|v| same(v, item)))
    }

    fn object(&self, item: Item<'_>) -> bool {
        let mut seen: u64 = 0;
        let mut required_seen = 0;
        for (key, value) in item.entries() {
            match self.property(key) {
                Some(i) => {
                    let (_, rule, required) = &self.properties[i];
                    if !rule.is_valid(value) {
                        return false;
                    }
                    if *required && seen & (1 << i) == 0 {
                        required_seen += 1;
                    }
                    seen |= 1 << i;
                }
                None => {
                    if let Some(rule) = &self.additional
                        && !rule.is_valid(value)
                    {
                        return false;
                    }
                }
            }
        }
        required_seen == self.required_known
            && self
                .required_other
                .iter()
                .all(|name| item.entries().any(|(k, _)| k == name))
    }
}

fn has_type(types: u8, node: Node) -> bool {
    let bits = match node {
        Node::Null => NULL,
        Node::Bool(_) => BOOLEAN,
        Node::Object { .. } => OBJECT,
        Node::Array { .. } => ARRAY,
        Node::Str { .. } => STRING,
        Node::U64(_) | Node::I64(_) => NUMBER | INTEGER,
        Node::F64(f) if f.fract() == 0.0 => NUMBER | INTEGER,
        Node::F64(_) => NUMBER,
    };
    types & bits != 0
}

fn same(value: &Value, item: Item<'_>) -> bool {
    match (value, item.node()) {
        (Value::Null, Node::Null) => true,
        (Value::Bool(a), Node::Bool(b)) => *a == b,
        (Value::String(a), Node::Str { .. }) => item.as_str() == Some(a.as_str()),
        _ => false,
    }
}

fn is_sha256(s: &str) -> bool {
    // Without early exits the loop compiles to vector code.
    s.len() == 71
        && s.starts_with("sha256:")
        && s.as_bytes()[7..].iter().fold(true, |ok, &b| {
            ok & ((b.wrapping_sub(b'0') < 10) | (b.wrapping_sub(b'a') < 6))
        })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::ops::line::tape::Tape;

    fn data_load_schema() -> Value {
        json!({"additionalProperties":false,"properties":{"column_count":{"minimum":0,"type":"integer"},"columns":{"items":{"type":"string"},"type":"array"},"dtype":{"anyOf":[{"type":"string"},{"type":"null"}]},"input_name":{"anyOf":[{"type":"string"},{"type":"null"}]},"n_nans":{"anyOf":[{"minimum":0,"type":"integer"},{"type":"null"}]},"row_count":{"minimum":0,"type":"integer"},"sha256_hash":{"pattern":"^sha256:[0-9a-f]{64}$","type":"string"},"shape":{"anyOf":[{"items":{"minimum":0,"type":"integer"},"type":"array"},{"type":"null"}]},"source_path":{"type":"string"},"value_range":{"anyOf":[{"items":{"anyOf":[{"type":["number","boolean"]},{"enum":["NaN","Infinity","-Infinity"]}]},"maxItems":2,"minItems":2,"type":"array"},{"type":"null"}]}},"required":["source_path","sha256_hash","row_count","column_count","columns","value_range","input_name","dtype","shape","n_nans"],"type":"object"})
    }

    /// Version 2's forms: floats that may be null, hex seeds.
    fn v2_schema() -> Value {
        json!({"type":"object","properties":{"random_seed":{"anyOf":[{"type":"string","pattern":"^0x[0-9a-f]{16}$"},{"type":"null"}]},"seed":{"type":"string","pattern":"^0x[0-9a-f]{16}$"},"x":{"type":["number","null"]},"r":{"anyOf":[{"items":{"type":["number","boolean","null"]},"maxItems":2,"minItems":2,"type":"array"},{"type":"null"}]}},"required":["seed","x"]})
    }

    /// Schemas of the subset: the derive's, and ones built from each
    /// keyword alone.
    fn schemas() -> Vec<Value> {
        vec![
            data_load_schema(),
            v2_schema(),
            json!({"type":"object","properties":{"a":{"type":"integer","minimum":-3},"b":{"enum":["x",null,true]}},"required":["a","z"]}),
            json!({"type":["array","null"],"items":{"type":"number","minimum":0},"minItems":1,"maxItems":3}),
            json!({"anyOf":[{"type":"string","pattern":"^sha256:[0-9a-f]{64}$"},{"type":"boolean"}]}),
            json!({"properties":{"a":false,"b":true},"additionalProperties":{"type":"string"}}),
            json!({"type":"string","pattern":"^0x[0-9a-f]{16}$"}),
            json!(true),
            json!(false),
        ]
    }

    fn sha() -> impl Strategy<Value = String> {
        prop_oneof![
            "sha256:[0-9a-f]{64}",
            "sha256:[0-9a-fA-F]{63,65}",
            "[a-z0-9:]{0,72}",
            "0x[0-9a-f]{16}",
            "0x[0-9a-fA-F]{15,17}",
            "0X[0-9a-f]{16}",
        ]
    }

    fn number() -> impl Strategy<Value = Value> {
        prop_oneof![
            any::<u64>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            (-5i64..5).prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            (-3i32..3).prop_map(|i| Value::from(f64::from(i) + 0.5)),
            (-3i32..3).prop_map(|i| Value::from(f64::from(i))),
        ]
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            number(),
            sha().prop_map(Value::String),
            prop_oneof![
                Just("NaN"),
                Just("Infinity"),
                Just("x"),
                Just("a"),
                Just("z")
            ]
            .prop_map(|s| Value::String(s.into())),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        leaf().prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop_oneof![
                            Just("a".to_string()),
                            Just("b".to_string()),
                            Just("z".to_string()),
                            Just("shape".to_string()),
                            Just("seed".to_string()),
                            Just("x".to_string()),
                            Just("random_seed".to_string()),
                            "[a-z_]{1,12}"
                        ],
                        inner
                    ),
                    0..5
                )
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// A data.load payload, then a few random edits.
    fn data_load() -> impl Strategy<Value = Value> {
        let base = (
            sha(),
            number(),
            number(),
            prop::collection::vec(leaf(), 0..4),
            prop::option::of(prop::collection::vec(leaf(), 0..4)),
            prop::option::of(prop::collection::vec(number(), 0..3)),
            prop::option::of(number()),
        )
            .prop_map(|(sha, rows, cols, columns, range, shape, nans)| {
                json!({"source_path":"argument","sha256_hash":sha,"row_count":rows,
                       "column_count":cols,"columns":columns,"value_range":range,
                       "input_name":"nav","dtype":"float64","shape":shape,"n_nans":nans})
            });
        (
            base,
            prop::collection::vec(("[a-z_]{1,12}", prop::option::of(value())), 0..3),
        )
            .prop_map(|(mut payload, edits)| {
                let map = payload.as_object_mut().expect("an object");
                for (key, edit) in edits {
                    let key = map
                        .keys()
                        .find(|k| k.starts_with(&key[..1]))
                        .cloned()
                        .unwrap_or(key);
                    match edit {
                        Some(v) => map.insert(key, v),
                        None => map.remove(&key),
                    };
                }
                payload
            })
    }

    fn agree(schema: &Value, instance: &Value) {
        let fast = FastSchema::compile(schema).expect("in the subset");
        let reference = jsonschema::validator_for(schema).unwrap();
        let text = instance.to_string();
        let mut tape = Tape::default();
        let doc = tape.parse(&text).unwrap();
        assert_eq!(
            fast.is_valid(doc.root()),
            reference.is_valid(instance),
            "schema {schema}\ninstance {text}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn agrees_with_jsonschema_on_data_load_payloads(payload in data_load()) {
            agree(&data_load_schema(), &payload);
        }

        #[test]
        fn agrees_with_jsonschema_on_any_value(instance in value(), which in 0usize..9) {
            agree(&schemas()[which], &instance);
        }
    }

    #[test]
    fn other_keywords_are_left_to_jsonschema() {
        for schema in [
            json!({"type":"string","format":"date-time"}),
            json!({"type":"string","minLength":1}),
            json!({"pattern":"^a$"}),
            json!({"pattern":"^0x[0-9a-f]{16}"}),
            json!({"minimum":1.5}),
            json!({"$schema":"http://json-schema.org/draft-07/schema#"}),
            json!({"enum":[1,2]}),
            json!({"items":[{"type":"string"}]}),
        ] {
            assert!(FastSchema::compile(&schema).is_none(), "{schema}");
        }
        assert!(FastSchema::compile(&data_load_schema()).is_some());
        assert!(FastSchema::compile(&v2_schema()).is_some());
    }
}
