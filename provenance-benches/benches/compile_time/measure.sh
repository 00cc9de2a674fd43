#!/usr/bin/env bash
# The compile time the macros add: a crate with 20 `#[provenance]`
# functions (each with a `#[fingerprint]` and a `#[config]` argument) against
# the same crate without the attributes, both built against this checkout.
# Dependencies are built first and shared, so the figures are the crate's
# own (re)build time after a one-line edit, the number a user waits for.
#
#   bash provenance-benches/benches/compile_time/measure.sh [runs]     (default 5 runs each)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$work/target" CARGO_TERM_COLOR=never

make_crate() { # name annotated(0|1)
    local dir="$work/$1"
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
ith-provenance = { path = "$root" }
serde = { version = "1", features = ["derive"] }

[workspace]
TOML
    {
        echo '#![allow(dead_code)]'
        echo '#[derive(serde::Serialize)] pub struct Cfg { pub scale: f64, pub window: usize }'
        for i in $(seq 1 20); do
            if [ "$2" = 1 ]; then
                echo "#[ith_provenance::provenance(experiment = \"exp$i\")]"
                echo "pub fn experiment_$i(#[fingerprint] data: &[f64], #[config] cfg: &Cfg) -> Result<f64, String> {"
            else
                echo "pub fn experiment_$i(data: &[f64], cfg: &Cfg) -> Result<f64, String> {"
            fi
            echo "    if data.len() < cfg.window { return Err(\"too short\".into()); }"
            echo "    Ok(data.iter().sum::<f64>() * cfg.scale + $i.0)"
            echo "}"
        done
    } >"$dir/src/lib.rs"
}

make_crate plain20 0
make_crate annotated20 1
for c in plain20 annotated20; do
    (cd "$work/$c" && cargo build --quiet)   # dependencies, once
done

measure() { # crate
    local total=0 t0 t1
    for _ in $(seq 1 "$runs"); do
        echo "// edit $RANDOM" >>"$work/$1/src/lib.rs"
        t0=$(date +%s%N)
        (cd "$work/$1" && cargo build --quiet)
        t1=$(date +%s%N)
        total=$((total + (t1 - t0) / 1000000))
    done
    echo $((total / runs))
}
plain=$(measure plain20)
annotated=$(measure annotated20)
echo "debug rebuild of a crate with 20 functions, mean of $runs:"
echo "  without #[provenance]: ${plain} ms"
echo "  with    #[provenance]: ${annotated} ms  (+$((annotated - plain)) ms, +$(( (annotated - plain) / 20 )) ms per function)"
