//! `#[provenance]`'s generated code names only `::core`, `::std` and the
//! crate path, so it compiles beside user code that shadows prelude names
//! (`Result`, `Ok`, `Option`, `Vec`, …), declares modules named `core`,
//! `std`, `provenance`, `ith_provenance` and `ith_provenance_runtime`, and is itself nested in a
//! module named `provenance`. And it is lint-clean: this file denies every
//! warning and clippy's default lints (checked by `cargo clippy
//! --all-targets -- -D warnings`), with sync, async and method shapes.
#![deny(warnings, clippy::all)]

mod provenance {
    //! A user module named like our crate, holding annotated functions.

    pub mod ith_provenance {}
    pub mod ith_provenance_runtime {}
    pub mod core {}
    pub mod std {}
    pub mod __private {}

    // Prelude names, shadowed.
    #[allow(dead_code)]
    pub struct Ok;
    #[allow(dead_code)]
    pub struct Err;
    #[allow(dead_code)]
    pub struct Some;
    #[allow(dead_code)]
    pub struct None;
    #[allow(dead_code)]
    pub struct Option;
    #[allow(dead_code)]
    pub struct Vec;
    #[allow(dead_code)]
    pub struct Box;
    #[allow(dead_code)]
    pub struct String;
    #[allow(dead_code)]
    pub trait Fn {}
    #[allow(dead_code)]
    pub trait FnOnce {}
    #[allow(dead_code)]
    pub trait Future {}
    pub type Result<T> = ::core::result::Result<T, &'static str>;

    #[derive(::serde::Serialize)]
    pub struct Params {
        pub window: u32,
    }

    /// Sync, every marker and option.
    #[::ith_provenance::provenance(
        experiment = "hygiene",
        seed = 1,
        name = "sync",
        strict,
        fingerprint_output
    )]
    pub fn sync(
        #[fingerprint] prices: &[f64],
        #[config] params: Params,
        #[provenance(skip)] note: &str,
    ) -> Result<f64> {
        if params.window == 0 {
            return Result::Err("empty window");
        }
        let first = prices.first().ok_or("no prices")?;
        Result::Ok(*first + note.len() as f64)
    }

    /// A unit function.
    #[::ith_provenance::provenance]
    pub fn unit(#[config] n: u32) {
        let _ = n;
    }

    /// Async, with `?`.
    #[::ith_provenance::provenance(fingerprint_output)]
    pub async fn asynchronous(#[fingerprint] values: ::std::vec::Vec<u32>) -> Result<usize> {
        let n = values.len();
        if n == 0 {
            return Result::Err("no values");
        }
        Result::Ok(n)
    }

    /// A file input and an output file.
    #[::ith_provenance::provenance(output_file, strict)]
    pub fn files(
        #[fingerprint(file)] input: &::std::path::Path,
        #[provenance(skip)] out: ::std::path::PathBuf,
    ) -> Result<::std::path::PathBuf> {
        let bytes = ::std::fs::read(input).map_err(|_| "unreadable")?;
        ::std::fs::write(&out, bytes).map_err(|_| "unwritable")?;
        Result::Ok(out)
    }

    pub struct Model {
        pub depth: u32,
    }

    impl Model {
        /// `&self`.
        #[::ith_provenance::provenance]
        pub fn depth(&self) -> u32 {
            self.depth
        }

        /// `&mut self`, returning a borrow of it.
        #[::ith_provenance::provenance]
        pub fn deepen(&mut self, #[config] by: u32) -> &mut u32 {
            self.depth += by;
            &mut self.depth
        }

        /// `self`, async.
        #[::ith_provenance::provenance]
        pub async fn into_depth(self) -> u32 {
            self.depth
        }
    }
}

/// Polls a future that never waits to completion.
fn ready<F: ::std::future::Future>(future: F) -> F::Output {
    let mut future = ::std::pin::pin!(future);
    let mut cx = ::std::task::Context::from_waker(::std::task::Waker::noop());
    loop {
        if let ::std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

#[test]
fn shadowed_names_and_denied_lints_compile_and_run() {
    let ctx = ::ith_provenance::ProvenanceContext::builder(::ith_provenance::crate_info!())
        .build()
        .unwrap();
    let _log = ::ith_provenance::EventLog::builder()
        .target(::ith_provenance::log::LogTarget::Off)
        .open(&ctx)
        .unwrap()
        .install();

    let params = provenance::Params { window: 2 };
    assert_eq!(provenance::sync(&[1.0], params, "ab"), Ok(3.0));
    let empty = provenance::Params { window: 0 };
    assert_eq!(provenance::sync(&[], empty, ""), Err("empty window"));
    provenance::unit(1);
    assert_eq!(ready(provenance::asynchronous(vec![1, 2])), Ok(2));
    assert_eq!(ready(provenance::asynchronous(vec![])), Err("no values"));
    let dir = ::tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    ::std::fs::write(&input, "x").unwrap();
    let out = dir.path().join("out.txt");
    assert_eq!(provenance::files(&input, out.clone()), Ok(out));
    let mut model = provenance::Model { depth: 1 };
    *model.deepen(2) += 1;
    assert_eq!(model.depth(), 4);
    assert_eq!(ready(model.into_depth()), 4);
    let summary = ::ith_provenance::EventLog::current().unwrap().summary();
    assert!(summary.events > 10, "the runs were written: {summary:?}");
}
