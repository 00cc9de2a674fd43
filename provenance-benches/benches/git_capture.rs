//! What capturing git state costs on a 20,000-file repository, next to what a
//! user would otherwise run: `git status --porcelain`, and libgit2's
//! `statuses()` with its default options (what a user of the `git2` crate
//! would write).
//!
//! Run with `cargo bench -p provenance-benches --bench git_capture`. The repository is built once
//! per run in a temporary directory with the git CLI and committed; its index
//! is refreshed first so every contender sees a steady-state checkout.

use std::hint::black_box;
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use provenance_test_support::git;

const DIRS: usize = 200;
const FILES_PER_DIR: usize = 100;

/// 20,000 small committed files in 200 directories.
fn build_repository() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    git(root, &["init", "-q"]);
    for d in 0..DIRS {
        let dir = root.join(format!("module_{d:03}"));
        std::fs::create_dir(&dir).expect("mkdir");
        for f in 0..FILES_PER_DIR {
            let body = format!(
                "// module {d}, file {f}\npub const VALUE: usize = {};\n",
                d * f
            );
            std::fs::write(dir.join(format!("file_{f:03}.rs")), body).expect("write");
        }
    }
    std::fs::write(root.join(".gitignore"), "target/\n").expect("write");
    git(root, &["add", "."]);
    git(root, &["commit", "-qm", "twenty thousand files"]);
    git(root, &["update-index", "-q", "--refresh"]);
    tmp
}

fn bench_git_capture(c: &mut Criterion) {
    let repo = build_repository();
    let dir = repo.path();
    let info = ith_provenance::git::capture_git(Some(dir));
    assert_eq!(
        info.dirty,
        Some(false),
        "the benchmark repository must start clean: {info:?}"
    );

    let mut group = c.benchmark_group("git_capture_20000_files");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));

    group.bench_function("provenance_capture_git", |b| {
        b.iter(|| black_box(ith_provenance::git::capture_git(Some(black_box(dir)))));
    });

    group.bench_function("git_status_porcelain_cli", |b| {
        b.iter(|| {
            let out = Command::new("git")
                .args(["status", "--porcelain"])
                .current_dir(dir)
                .output()
                .expect("git status runs");
            assert!(out.status.success() && out.stdout.is_empty());
            black_box(out)
        });
    });

    group.bench_function("git2_statuses_default_options", |b| {
        b.iter(|| {
            let repo = git2::Repository::discover(black_box(dir)).expect("open");
            let statuses = repo.statuses(None).expect("statuses");
            assert!(statuses.is_empty());
            black_box(statuses.len())
        });
    });

    group.finish();
}

criterion_group!(benches, bench_git_capture);
criterion_main!(benches);
