//! Nothing to use: this crate holds the workspace's criterion benchmarks
//! (`benches/`), run with `cargo bench -p provenance-benches --bench <name>`.
