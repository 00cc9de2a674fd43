//! The `tracing` layer as a user adds it: `tracing-subscriber`'s registry
//! with an ordinary `fmt` layer beside ours. Both see every event; ours
//! writes those raised inside a run into the run's log, and turns
//! `metric.<name>` fields into series.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use ith_provenance::log::MemorySink;
use ith_provenance::tracing::ProvenanceLayer;
use ith_provenance::{EventLog, ProvenanceContext, crate_info, provenance};
use serde_json::Value;
use tracing_subscriber::prelude::*;

/// What the `fmt` layer printed.
#[derive(Clone, Default)]
struct Printed(Arc<Mutex<Vec<u8>>>);

impl Write for Printed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Printed {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

#[provenance(seed = 7)]
fn fit(window: u32) -> f64 {
    let span = tracing::info_span!("epoch", n = 1);
    let _entered = span.enter();
    tracing::info!(window, ratio = f64::NAN, label = ?("a", 1), "fitting");
    let mut loss = 1.0;
    for step in 0..2_500_i64 {
        loss *= 0.999;
        tracing::trace!(metric.loss = loss, step);
    }
    for _ in 0..3 {
        tracing::debug!(metric.grad_norm = 0.5_f64);
    }
    tracing::warn!(done = true, "fitted");
    loss
}

/// The installed log is the process's: one test at a time installs one,
/// or an event outside any run lands in the other test's log.
static INSTALLED: Mutex<()> = Mutex::new(());

fn lines_of(sink: &MemorySink, event_type: &str) -> Vec<Value> {
    sink.lines()
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .filter(|v| v["event_type"] == event_type)
        .collect()
}

#[test]
fn events_inside_a_run_reach_its_log_and_the_fmt_layer_alike() {
    let _one = INSTALLED.lock().unwrap_or_else(PoisonError::into_inner);
    // No run and no log installed: events pass by, metric ones too.
    let bare = tracing_subscriber::registry().with(ProvenanceLayer::new());
    tracing::subscriber::with_default(bare, || {
        tracing::info!(metric.loss = 1.0, "no log anywhere");
        tracing::error!("still fine");
    });

    let ctx = ProvenanceContext::builder(crate_info!()).build().unwrap();
    let sink = MemorySink::new();
    let log = EventLog::builder().memory(&sink).open(&ctx).unwrap();
    let _installed = log.install();
    let printed = Printed::default();
    let writer = printed.clone();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(move || writer.clone()))
        .with(ProvenanceLayer::new());
    tracing::subscriber::with_default(subscriber, || {
        fit(20);
        tracing::info!("between runs");
    });
    log.flush().unwrap();

    // The fmt layer printed what it always prints.
    let text = printed.text();
    assert!(
        text.contains("fitting") && text.contains("fitted"),
        "{text}"
    );

    let said = lines_of(&sink, "tracing.event");
    assert_eq!(said.len(), 3, "fitting, fitted, between runs: {said:?}");
    let fitting = &said[0];
    assert_eq!(fitting["run_id"], "fit#1");
    assert_eq!(fitting["level"], "INFO");
    assert_eq!(fitting["message"], "fitting");
    assert_eq!(fitting["target"], module_path!());
    assert_eq!(fitting["fields"]["window"], 20);
    assert_eq!(fitting["fields"]["label"], r#"("a", 1)"#);
    assert_eq!(fitting["spans"], serde_json::json!(["epoch"]));
    // The NaN is kept as every non-finite float is.
    assert_eq!(fitting["fields"]["ratio"], Value::Null);
    assert_eq!(fitting["non_finite"][0]["pointer"], "/fields/ratio");
    assert_eq!(fitting["non_finite"][0]["value"], "NaN");
    assert_eq!(said[1]["level"], "WARN");
    assert_eq!(said[1]["fields"]["done"], true);
    // Outside any run: a session-level line.
    assert_eq!(said[2]["message"], "between runs");
    assert!(said[2].get("run_id").is_none(), "{}", said[2]);

    // Metric events became series, not lines.
    let series = lines_of(&sink, "metrics");
    let points = |name: &str| -> Vec<(i64, f64)> {
        series
            .iter()
            .filter(|l| l["name"] == name)
            .flat_map(|l| {
                assert_eq!(l["run_id"], "fit#1");
                let steps = l["steps"].as_array().unwrap().clone();
                let values = l["values"].as_array().unwrap().clone();
                steps
                    .into_iter()
                    .zip(values)
                    .map(|(s, v)| (s.as_i64().unwrap(), v.as_f64().unwrap()))
            })
            .collect()
    };
    let loss = points("loss");
    assert_eq!(loss.len(), 2_500);
    assert!(loss.iter().enumerate().all(|(i, (s, _))| *s == i as i64));
    let mut expected = 1.0;
    for (_, v) in &loss {
        expected *= 0.999;
        assert_eq!(*v, expected);
    }
    assert_eq!(points("grad_norm"), vec![(0, 0.5), (1, 0.5), (2, 0.5)]);

    let result = &lines_of(&sink, "algorithm.result")[0];
    assert_eq!(result["metrics"]["loss"]["count"], 2_500);
    assert_eq!(result["metrics"]["grad_norm"]["last"], 0.5);
}

#[provenance(seed = 7)]
fn connect() {
    tracing::warn!(
        password = "hunter2-pw",
        token = ?"tok-SECRETXYZ",
        api_key = "sk-FIELDKEY123",
        customer = "ana-customer-42",
        token_count = 3_u64,
        url = "https://u:SPANPASS@h.example/x?access_token=QTOK88&page=2",
        user = "ana",
        "logging in to postgres://admin:DBPASS@db/prices"
    );
    tracing::info!("api_key=sk-MESSAGEKEY");
}

/// Secrets never reach the log in clear: text fields named like secrets
/// (built-in parts and the layer's own names), URL credentials in fields
/// and the message, a message assigning a secret. Counts stay numbers.
#[test]
fn secrets_in_events_are_redacted_before_they_are_written() {
    let _one = INSTALLED.lock().unwrap_or_else(PoisonError::into_inner);
    let ctx = ProvenanceContext::builder(crate_info!()).build().unwrap();
    let sink = MemorySink::new();
    let log = EventLog::builder().memory(&sink).open(&ctx).unwrap();
    let _installed = log.install();
    let layer = ProvenanceLayer::new().with_secret_names(["customer"]);
    let subscriber = tracing_subscriber::registry().with(layer);
    tracing::subscriber::with_default(subscriber, connect);
    log.flush().unwrap();
    let text = sink.lines().join("\n");
    for secret in [
        "hunter2",
        "tok-SECRETXYZ",
        "sk-FIELDKEY123",
        "ana-customer-42",
        "SPANPASS",
        "QTOK88",
        "DBPASS",
        "sk-MESSAGEKEY",
    ] {
        assert!(!text.contains(secret), "{secret} in clear:\n{text}");
    }
    let events = lines_of(&sink, "tracing.event");
    assert_eq!(events.len(), 2, "{events:?}");
    let fields = &events[0]["fields"];
    for name in ["password", "token", "api_key", "customer"] {
        assert_eq!(fields[name], "<redacted>", "{name}: {fields}");
    }
    assert_eq!(fields["token_count"], 3, "a count is kept");
    assert_eq!(fields["user"], "ana");
    assert_eq!(
        fields["url"],
        "https://<redacted>@h.example/x?access_token=<redacted>&page=2"
    );
    assert_eq!(
        events[0]["message"],
        "logging in to postgres://<redacted>@db/prices"
    );
    assert_eq!(events[1]["message"], "api_key=<redacted>");
}
