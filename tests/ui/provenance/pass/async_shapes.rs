//! `async fn` shapes: `?` and early `return` in the body, references
//! returned from arguments, generics, `impl Trait` arguments, methods, and a
//! future that stays `Send` (so it can be spawned on a multi-thread runtime).

use ith_provenance::provenance;
use serde::Serialize;

#[derive(Serialize)]
struct Params {
    retries: u32,
}

/// Doc comment kept.
#[provenance(experiment = "async", seed = 3, fingerprint_output)]
pub async fn fetch(#[fingerprint] ids: Vec<u64>, #[config] params: Params) -> Result<u64, String> {
    if params.retries == 0 {
        return Err("no retries".into());
    }
    let n: u64 = "2"
        .parse()
        .map_err(|e: std::num::ParseIntError| e.to_string())?;
    Ok(ids.iter().sum::<u64>() * n)
}

#[provenance]
async fn borrowed<'a>(#[fingerprint] values: &'a [f64], #[config] index: usize) -> &'a f64 {
    &values[index]
}

#[provenance]
async fn generic<T>(#[fingerprint] value: T, extra: impl Into<u64> + Send) -> u64
where
    T: ith_provenance::Fingerprint + Send,
{
    let _ = value;
    extra.into()
}

#[provenance]
async fn unit() {}

struct Client {
    calls: u32,
}

impl Client {
    #[provenance]
    async fn by_ref(&self) -> u32 {
        self.calls
    }

    #[provenance]
    async fn by_mut(&mut self) -> &mut u32 {
        self.calls += 1;
        &mut self.calls
    }

    #[provenance]
    async fn by_value(self) -> u32 {
        self.calls
    }
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

fn main() {
    let ctx = ith_provenance::ProvenanceContext::builder(ith_provenance::crate_info!())
        .build()
        .unwrap();
    let sink = ith_provenance::log::MemorySink::new();
    let _log = ith_provenance::EventLog::builder()
        .memory(&sink)
        .open(&ctx)
        .unwrap()
        .install();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let fetched = tokio::spawn(assert_send(fetch(vec![1, 2], Params { retries: 1 })));
        assert_eq!(fetched.await.unwrap(), Ok(6));
        assert!(fetch(vec![], Params { retries: 0 }).await.is_err());
        assert_eq!(*borrowed(&[1.0, 2.0], 1).await, 2.0);
        assert_eq!(assert_send(generic(5_u8, 7_u32)).await, 7);
        unit().await;
        let mut client = Client { calls: 0 };
        *client.by_mut().await += 10;
        assert_eq!(client.by_ref().await, 11);
        assert_eq!(client.by_value().await, 11);
    });
}
