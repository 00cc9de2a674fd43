//! What `#[provenance]` writes for `async fn`s, methods, generics and
//! `impl Trait`, read back from the log file; each scenario runs in a child
//! process, as in `provenance_attr.rs`.

mod provenance_support;

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use ith_provenance::{Fingerprint, current_run, provenance};
use provenance_support::*;
use serde::Serialize;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// async

/// Pending once, then ready: an `.await` that gives the thread back.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[provenance(experiment = "async", fingerprint_output)]
async fn async_steps(#[fingerprint] values: Vec<f64>, steps: usize) -> Result<usize, String> {
    let id = current_run().unwrap().id().to_string();
    let mut threads = BTreeSet::new();
    for step in 0..steps {
        YieldOnce(false).await;
        tokio::task::yield_now().await;
        assert_eq!(current_run().unwrap().id(), id, "current on every poll");
        threads.insert(format!("{:?}", std::thread::current().id()));
        body_event(&format!("step {step}"));
    }
    let nested = async_child().await?;
    Ok(values.len() + nested)
}

#[provenance]
async fn async_child() -> Result<usize, String> {
    tokio::task::yield_now().await;
    let n: usize = "x".parse().map_err(|_| "not a number".to_string())?;
    Ok(n)
}

#[provenance]
async fn async_ok(n: u32) -> u32 {
    YieldOnce(false).await;
    body_event("async ok");
    n + 1
}

#[provenance]
async fn async_panics() -> u32 {
    tokio::task::yield_now().await;
    panic!("async boom")
}

#[provenance]
async fn sleeps_forever() {
    tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
}

#[test]
#[ignore = "a child process of `async_runs_follow_their_future`"]
fn child_async() {
    if !is_child() {
        return;
    }
    // Deterministic thread hops: one poll here, the rest on another thread.
    let mut future = Box::pin(async_ok(1));
    let mut cx = Context::from_waker(Waker::noop());
    assert!(future.as_mut().poll(&mut cx).is_pending());
    assert!(
        current_run().is_none(),
        "the run is current only while polled"
    );
    let hopped = std::thread::spawn(move || {
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(n) = future.as_mut().poll(&mut cx) {
                return n;
            }
        }
    });
    assert_eq!(hopped.join().unwrap(), 2);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let handle = tokio::spawn(async_steps(vec![1.0, 2.0], 20));
        assert_eq!(handle.await.unwrap(), Err("not a number".to_string()));
        let panicked = tokio::spawn(async_panics()).await;
        assert!(panicked.unwrap_err().is_panic());
        let timed_out =
            tokio::time::timeout(std::time::Duration::from_millis(20), sleeps_forever()).await;
        assert!(timed_out.is_err());
    });
}

#[test]
fn async_runs_follow_their_future() {
    let Child { lines, .. } = run_child("async", &[]);
    let hopped = run(&lines, "async_ok#1");
    assert_eq!(
        types(&hopped.into_iter().cloned().collect::<Vec<_>>()),
        ["algorithm.init", "hypothesis_result", "algorithm.result"]
    );
    let result_of = |id: &str| {
        let result = run(&lines, id)
            .into_iter()
            .find(|l| l["event_type"] == "algorithm.result")
            .unwrap()
            .clone();
        (
            result["status"].as_str().unwrap().to_string(),
            result["error"].as_str().map(str::to_string),
        )
    };
    assert_eq!(result_of("async_ok#1"), ("ok".into(), None));

    // The tokio task: 20 steps on whichever workers, each line carrying the run.
    let steps: Vec<&Value> = of_type(&lines, "hypothesis_result")
        .into_iter()
        .filter(|l| l["hypothesis_id"].as_str().unwrap().starts_with("step "))
        .collect();
    assert_eq!(steps.len(), 20);
    assert!(steps.iter().all(|l| l["run_id"] == "async_steps#1"));
    let child_init = run(&lines, "async_steps#1/async_child#1")[0];
    assert_eq!(
        child_init["parent_run_id"], "async_steps#1",
        "the awaited child is nested"
    );
    assert_eq!(
        result_of("async_steps#1/async_child#1"),
        ("error".into(), Some("not a number".into()))
    );
    assert_eq!(
        result_of("async_steps#1"),
        ("error".into(), Some("not a number".into()))
    );
    assert_eq!(run(&lines, "async_steps#1")[1]["input_name"], "values");

    let (status, error) = result_of("async_panics#1");
    assert_eq!(status, "panic");
    assert!(error.unwrap().starts_with("async boom at "));
    let (status, error) = result_of("sleeps_forever#1");
    assert_eq!(status, "error");
    assert!(error.unwrap().starts_with("cancelled"), "a dropped future");
}

// ---------------------------------------------------------------------------
// Methods, generics, impl Trait

#[derive(Clone, Serialize)]
struct Portfolio {
    weights: Vec<f64>,
}

impl Fingerprint for Portfolio {
    fn write_fingerprint(&self, f: &mut ith_provenance::fingerprint::Fingerprinter) {
        self.weights.write_fingerprint(f);
    }
}

impl Portfolio {
    #[provenance]
    fn by_ref(#[fingerprint] &self, #[config] scale: f64) -> f64 {
        self.weights.iter().sum::<f64>() * scale
    }

    #[provenance]
    fn by_mut(&mut self, #[fingerprint] extra: f64) -> &mut f64 {
        self.weights.push(extra);
        self.weights.last_mut().unwrap()
    }

    #[provenance(fingerprint_output)]
    fn by_value(#[config] self) -> Self {
        self
    }

    #[provenance]
    fn boxed(self: Box<Self>) -> usize {
        self.weights.len()
    }
}

#[provenance]
fn largest<'a, T>(#[fingerprint] items: &'a [T], #[config] min: T) -> Option<&'a T>
where
    T: PartialOrd + Fingerprint + Serialize,
{
    items
        .iter()
        .filter(|x| **x >= min)
        .reduce(|a, b| if b > a { b } else { a })
}

#[provenance]
fn doubled(
    #[fingerprint] values: impl Fingerprint + IntoIterator<Item = u32>,
) -> impl Iterator<Item = u32> {
    values.into_iter().map(|v| v * 2)
}

#[provenance]
fn destructured((a, b): (u32, u32), mut total: u32) -> u32 {
    total += a + b;
    total
}

#[test]
#[ignore = "a child process of `methods_generics_and_impl_trait_are_runs`"]
fn child_shapes() {
    if !is_child() {
        return;
    }
    let mut p = Portfolio {
        weights: vec![0.25, 0.75],
    };
    assert_eq!(p.by_ref(2.0), 2.0);
    *p.by_mut(0.5) = 0.0;
    assert_eq!(p.weights, [0.25, 0.75, 0.0]);
    assert_eq!(p.clone().by_value().weights.len(), 3);
    assert_eq!(Box::new(p).boxed(), 3);
    assert_eq!(largest(&[3_u32, 9, 4], 4), Some(&9));
    assert_eq!(doubled(vec![1, 2]).collect::<Vec<_>>(), [2, 4]);
    assert_eq!(destructured((1, 2), 3), 6);
}

#[test]
fn methods_generics_and_impl_trait_are_runs() {
    let Child { lines, .. } = run_child("shapes", &[]);
    let names: Vec<&str> = of_type(&lines, "algorithm.init")
        .iter()
        .map(|l| l["algorithm_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "by_ref",
            "by_mut",
            "by_value",
            "boxed",
            "largest",
            "doubled",
            "destructured"
        ]
    );
    let statuses: BTreeSet<&str> = of_type(&lines, "algorithm.result")
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, BTreeSet::from(["ok"]));

    let loads = of_type(&lines, "data.load");
    let portfolio = Portfolio {
        weights: vec![0.25, 0.75],
    };
    assert_eq!(loads[0]["input_name"], "self");
    assert_eq!(loads[0]["sha256_hash"], portfolio.fingerprint().to_string());
    assert_eq!(loads[1]["input_name"], "extra");
    // In a generic function the record is chosen on the declared bounds:
    // `T: Fingerprint` makes `[T]` a value, not an array.
    assert_eq!(loads[2]["input_name"], "items");
    assert_eq!(
        loads[2]["sha256_hash"],
        [3_u32, 9, 4][..].fingerprint().to_string()
    );
    assert_eq!(loads[2]["dtype"], Value::Null);
    assert_eq!(
        loads[3]["sha256_hash"],
        vec![1_u32, 2].fingerprint().to_string()
    );

    let inits = of_type(&lines, "algorithm.init");
    assert_eq!(inits[0]["config"], json!(2.0));
    assert_eq!(
        inits[2]["config"],
        json!({"weights": [0.25, 0.75, 0.0]}),
        "#[config] self"
    );
    assert_eq!(inits[4]["config"], json!(4));
    let by_value = run(&lines, "by_value#1");
    let result = by_value
        .iter()
        .find(|l| l["event_type"] == "algorithm.result")
        .unwrap();
    let expected = Portfolio {
        weights: vec![0.25, 0.75, 0.0],
    };
    assert_eq!(result["output_hash"], expected.fingerprint().to_string());
}

// ---------------------------------------------------------------------------
// The envelope names

#[test]
fn a_payload_may_not_use_the_run_envelope_names() {
    #[derive(Serialize)]
    struct Tagged {
        parent_run_id: String,
    }
    impl ith_provenance::Event for Tagged {
        const EVENT_TYPE: &'static str = "test.tagged";
        const VERSION: u32 = 1;
        fn payload_schema() -> Value {
            json!({"type": "object"})
        }
    }
    let ctx = ith_provenance::ProvenanceContext::builder(ith_provenance::crate_info!())
        .seed(1)
        .build()
        .unwrap();
    let sink = ith_provenance::log::MemorySink::new();
    let log = ith_provenance::EventLog::builder()
        .memory(&sink)
        .open(&ctx)
        .unwrap();
    let err = log
        .emit(&Tagged {
            parent_run_id: "run-1".into(),
        })
        .unwrap_err();
    assert!(
        matches!(
            err,
            ith_provenance::log::LogError::EnvelopeField {
                field: "parent_run_id",
                ..
            }
        ),
        "{err}"
    );
}
