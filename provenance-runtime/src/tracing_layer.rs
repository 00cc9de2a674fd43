//! [`ProvenanceLayer`]: the `tracing` events a program already raises,
//! written into the provenance log of the run they are raised in, and its
//! metric fields turned into [metric series](crate::metric).
//!
//! A program instrumented with `tracing` gets provenance without rewriting
//! its logging: add the layer to its subscriber beside the layers it has
//! (`fmt`, a filter, OpenTelemetry). Behind the `tracing` cargo feature.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::{Event as TracingEvent, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

use crate::Event;
use crate::secret::{REDACTED, SecretNames};

/// The prefix of a field that is a metric point: `metric.loss = 0.41`
/// adds a point to the series `loss`.
pub const METRIC_FIELD_PREFIX: &str = "metric.";

/// The field that gives the step of an event's metric points.
pub const STEP_FIELD: &str = "step";

/// A `tracing` subscriber layer that writes each event raised inside a
/// provenance run (or, outside any run, while a log is
/// [installed](crate::EventLog::install)) into that log, as a
/// [`TracingRecord`] line.
///
/// **Metrics.** An event with a numeric field named `metric.<name>` is a
/// metric event: each such field becomes the next point of the series
/// `<name>` ([`metric`](crate::metric)), or the point at `step` when the
/// event has an integer `step` field ([`metric_at`](crate::metric_at)).
/// A metric event is written as points only, not as a `tracing` line (its
/// other fields are not kept), so it stays cheap in an inner loop:
///
/// ```
/// use ith_provenance::{crate_info, provenance, EventLog, ProvenanceContext, log::MemorySink};
/// use ith_provenance::tracing::ProvenanceLayer;
/// use tracing_subscriber::prelude::*;
///
/// #[provenance(seed = 1)]
/// fn fit() -> ith_provenance::Result<()> {
///     tracing::info!(window = 20, "fitting");
///     for step in 0..3_i64 {
///         tracing::debug!(metric.loss = 1.0 / (step + 1) as f64, step);
///     }
///     Ok(())
/// }
///
/// let ctx = ProvenanceContext::builder(crate_info!()).build()?;
/// let sink = MemorySink::new();
/// let log = EventLog::builder().memory(&sink).open(&ctx)?;
/// let _installed = log.install();
/// let subscriber = tracing_subscriber::registry().with(ProvenanceLayer::new());
/// tracing::subscriber::with_default(subscriber, fit)?;
/// log.flush()?;
/// let lines = sink.lines();
/// let said = lines.iter().find(|l| l.contains(r#""event_type":"tracing.event""#)).unwrap();
/// assert!(said.contains(r#""message":"fitting""#) && said.contains(r#""window":20"#));
/// assert!(said.contains(r#""run_id":"fit#1""#));
/// let loss = lines.iter().find(|l| l.contains(r#""event_type":"metrics""#)).unwrap();
/// assert!(loss.contains(r#""name":"loss""#) && loss.contains(r#""steps":[0,1,2]"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Which events reach the layer is the subscriber's business: give it a
/// filter as any layer (`ProvenanceLayer::new().with_filter(LevelFilter::INFO)`).
/// Events raised where no run is current and no log is installed are not
/// recorded (the other layers still see them).
///
/// **Secrets.** The rules the context uses for the command line
/// (`docs/CONTEXT.md`, *Secrets*) hold here too, before anything is
/// written: a text field named like a secret (`password`, `token`,
/// `api_key`, … and the names in `PROVENANCE_REDACT` or given to
/// [`with_secret_names`](Self::with_secret_names)) is written
/// `<redacted>`; every URL in the message and in text fields loses its
/// credentials (`https://<redacted>@host/…`, `?token=<redacted>`); a
/// message that starts by assigning a secret (`api_key=…`) loses the
/// value. Numbers and booleans are kept (`token_count = 3` is a count).
/// Words in free text are not guessed at: put secrets in named fields.
///
/// ```
/// use ith_provenance::{crate_info, provenance, EventLog, ProvenanceContext, log::MemorySink};
/// use ith_provenance::tracing::ProvenanceLayer;
/// use tracing_subscriber::prelude::*;
///
/// #[provenance(seed = 1)]
/// fn connect() {
///     tracing::info!(password = "hunter2", url = "https://ana:pw@db.example/x", "connecting");
/// }
///
/// let ctx = ProvenanceContext::builder(crate_info!()).build()?;
/// let sink = MemorySink::new();
/// let log = EventLog::builder().memory(&sink).open(&ctx)?;
/// let _installed = log.install();
/// let subscriber = tracing_subscriber::registry().with(ProvenanceLayer::new());
/// tracing::subscriber::with_default(subscriber, connect);
/// log.flush()?;
/// let said = sink.lines().into_iter().find(|l| l.contains("connecting")).unwrap();
/// assert!(said.contains(r#""password":"<redacted>""#));
/// assert!(said.contains(r#""url":"https://<redacted>@db.example/x""#));
/// assert!(!said.contains("hunter2") && !said.contains(":pw@"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ProvenanceLayer {
    secret_names: SecretNames,
}

impl Default for ProvenanceLayer {
    fn default() -> Self {
        ProvenanceLayer::new()
    }
}

impl ProvenanceLayer {
    /// The layer, redacting the built-in secret names and those of
    /// `PROVENANCE_REDACT` (read now).
    pub fn new() -> ProvenanceLayer {
        ProvenanceLayer {
            secret_names: crate::secret::secret_names(&[]),
        }
    }

    /// The layer, also redacting text fields whose names contain one of
    /// `names` (in any case), as `ProvenanceBuilder::redact_names` does for the
    /// context.
    pub fn with_secret_names<I, S>(self, names: I) -> ProvenanceLayer
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        ProvenanceLayer {
            secret_names: crate::secret::secret_names(&names),
        }
    }

    /// `fields` without their secrets, by the rules above.
    fn redact(&self, fields: &mut Fields) {
        let names = &self.secret_names;
        if let Some(message) = &mut fields.message
            && let Cow::Owned(clean) = names.redact_assignment(message)
        {
            *message = clean;
        }
        for (name, value) in &mut fields.other {
            let FieldValue::Text(text) = value else {
                continue;
            };
            if names.is_secret(name) {
                *text = REDACTED.to_string();
            } else if let Cow::Owned(clean) = names.redact_urls(text) {
                *text = clean;
            }
        }
    }
}

impl<S> Layer<S> for ProvenanceLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_event(&self, event: &TracingEvent<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        if !fields.metrics.is_empty() {
            for (name, value) in &fields.metrics {
                match fields.step {
                    Some(step) => crate::metric_at(name, step, *value),
                    None => crate::metric(name, *value),
                }
            }
            return;
        }
        self.redact(&mut fields);
        let meta = event.metadata();
        let spans = ctx
            .event_scope(event)
            .map(|scope| scope.from_root().map(|s| s.name().to_string()).collect())
            .unwrap_or_default();
        let record = TracingRecord {
            level: meta.level().as_str().to_string(),
            target: meta.target().to_string(),
            message: fields.message,
            fields: fields.other,
            spans,
            file: meta.file().map(str::to_string),
            line: meta.line(),
        };
        // No run and no installed log: not ours to keep. A failing log
        // reports itself once.
        let _ = crate::emit(&record);
    }
}

/// `tracing.event`: one `tracing` event raised inside a run, as
/// [`ProvenanceLayer`] writes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TracingRecord {
    /// `TRACE`, `DEBUG`, `INFO`, `WARN` or `ERROR`.
    pub level: String,
    /// The event's target (its module path unless given).
    pub target: String,
    /// The formatted message, when the event has one.
    pub message: Option<String>,
    /// The other fields, by name: numbers and booleans as they are (a
    /// non-finite float as the contract keeps every one), the rest as text
    /// (`Debug` for values recorded with `?`).
    pub fields: BTreeMap<String, FieldValue>,
    /// The names of the spans the event was raised in, outermost first.
    pub spans: Vec<String>,
    /// The source file, when known.
    pub file: Option<String>,
    /// The source line, when known.
    pub line: Option<u32>,
}

impl Event for TracingRecord {
    const EVENT_TYPE: &'static str = "tracing.event";
    const VERSION: u32 = 1;

    fn payload_schema() -> Value {
        let nullable = |t: &str| json!({"type": [t, "null"]});
        json!({
            "type": "object",
            "properties": {
                "level": {"enum": ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]},
                "target": {"type": "string"},
                "message": nullable("string"),
                "fields": {"type": "object"},
                "spans": {"type": "array", "items": {"type": "string"}},
                "file": nullable("string"),
                "line": {"type": ["integer", "null"], "minimum": 0}
            },
            "required": ["level", "target", "message", "fields", "spans", "file", "line"],
            "additionalProperties": false
        })
    }
}

/// One field of a [`TracingRecord`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// `true` or `false`.
    Bool(bool),
    /// A signed integer.
    I64(i64),
    /// An unsigned integer above `i64::MAX`'s range or recorded as one.
    U64(u64),
    /// A float, non-finite ones included.
    F64(f64),
    /// Text.
    Text(String),
}

/// An event's fields, sorted into the message, metric points, the step
/// and the rest.
#[derive(Default)]
struct Fields {
    message: Option<String>,
    metrics: Vec<(String, f64)>,
    step: Option<i64>,
    other: BTreeMap<String, FieldValue>,
}

impl Fields {
    fn number(&mut self, field: &Field, value: f64, kept: FieldValue) {
        if let Some(name) = field.name().strip_prefix(METRIC_FIELD_PREFIX) {
            self.metrics.push((name.to_string(), value));
        } else {
            self.other.insert(field.name().to_string(), kept);
        }
    }
}

impl Visit for Fields {
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.number(field, value, FieldValue::F64(value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if field.name() == STEP_FIELD {
            self.step = Some(value);
        }
        self.number(field, value as f64, FieldValue::I64(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == STEP_FIELD {
            self.step = i64::try_from(value).ok();
        }
        self.number(field, value as f64, FieldValue::U64(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.other
            .insert(field.name().to_string(), FieldValue::Bool(value));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = Some(value.to_string());
        } else {
            self.other.insert(
                field.name().to_string(),
                FieldValue::Text(value.to_string()),
            );
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = Some(text);
        } else {
            self.other
                .insert(field.name().to_string(), FieldValue::Text(text));
        }
    }
}
