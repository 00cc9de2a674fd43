//! `crate = "…"`: the runtime reached through another path, as a crate that
//! re-exports provenance would do.

mod reexport {
    pub use ith_provenance as prov;
}

#[ith_provenance::provenance(crate = "crate::reexport::prov", seed = 1)]
fn through_reexport(#[fingerprint] x: Vec<i32>) -> usize {
    x.len()
}

#[ith_provenance_runtime::provenance(crate = "ith_provenance_runtime")]
fn through_runtime(#[config] n: u32) -> u32 {
    n
}

fn main() {
    let ctx = ith_provenance::ProvenanceContext::builder(ith_provenance::crate_info!())
        .build()
        .unwrap();
    let _log = ith_provenance::EventLog::builder()
        .target(ith_provenance::log::LogTarget::Off)
        .open(&ctx)
        .unwrap()
        .install();
    assert_eq!(through_reexport(vec![1, 2]), 2);
    assert_eq!(through_runtime(3), 3);
}
