#!/usr/bin/env bash
# `provenance export parquet` against DuckDB writing the events table of
# the same logs as Parquet (benches/export_duckdb.py): wall seconds, max
# RSS, output size, and the ratio DuckDB / provenance (above 1: provenance
# is faster). Two DuckDB queries: `auto` is what a DuckDB user writes
# first (COPY (SELECT * FROM read_json_auto(..., union_by_name=true)) TO
# ...: every payload field its own inferred column), `same` builds the
# columns provenance writes (typed envelope, payload as JSON text).
# provenance writes runs.parquet too, in the same time.
#
# usage: provenance-cli/benches/export_vs_duckdb.sh [N:SIZE ...]
#   N logs of about SIZE bytes each (K, M, G suffixes), written by
#   runs_gen.py; default 1000:1M (about 1 GB). REPEAT=N runs each
#   contender N times (default 3) and reports the median.
#
# Each contender runs once first (a warm-up, whose output is the one
# checked: same row count as provenance's events.parquet and a sample of
# rows equal, export_duckdb.py compare), so every timed run reads cached
# files. The logs are written to $TMPDIR (default /tmp) and deleted
# afterwards.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${CARGO_TARGET_DIR:-$root/target}/release/provenance"
repeat="${REPEAT:-3}"
scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(1000:1M)

python3 -c 'import duckdb' 2>/dev/null || {
    echo "python3 cannot import duckdb (pip install duckdb==2.0.1)" >&2
    exit 1
}
(cd "$root" && cargo build -p ith-provenance-cli --release --features parquet --quiet)
dir="$(mktemp -d "${TMPDIR:-/tmp}/provenance-export-bench.XXXXXX")"
trap 'rm -rf "$dir"' EXIT

# shellcheck source=support/timing.sh
. "$here/support/timing.sh"
mb() { du -sb "$@" | awk '{ s += $1 } END { printf "%.0f MB", s / 1e6 }'; }

echo "$(nproc) cores; $(python3 -c 'import duckdb; print("duckdb", duckdb.__version__)'); $("$bin" --version 2>/dev/null || echo provenance); median of $repeat runs after a warm-up"
printf '%-10s %-7s %-8s %-34s %-8s %-11s %-8s %s\n' scenario logs input contender seconds "max RSS" output "duckdb/provenance"
for scenario in "${scenarios[@]}"; do
    n="${scenario%%:*}"
    size="${scenario#*:}"
    logs="$dir/logs"
    rm -rf "$logs" "$dir"/*.times "$dir"/out-*
    python3 "$here/runs_gen.py" "$logs" "$n" "$size" 2>/dev/null
    input=$(mb "$logs")
    one=$(find "$logs" -name '*.ndjson' -print -quit)
    "$bin" validate "$one" >/dev/null || { echo "runs_gen.py wrote an invalid log: $one" >&2; exit 1; }

    # Warm-up, and the answers checked.
    timed warm "$dir/provenance.txt" "$bin" export parquet "$logs" --out "$dir/out-provenance"
    checks=()
    for mode in auto same; do
        timed warm "$dir/q.txt" python3 "$here/export_duckdb.py" query "$mode" "$logs" "$dir/out-$mode.parquet"
        checks+=("$mode: $(python3 "$here/export_duckdb.py" compare "$mode" \
            "$dir/out-provenance/events.parquet" "$dir/out-$mode.parquet")") || {
            echo "$scenario: DuckDB ($mode) and provenance disagree; nothing timed" >&2
            exit 1
        }
    done
    rows=$(grep -o 'wrote [0-9]* event' "$dir/provenance.txt" | grep -o '[0-9]*')
    out_p=$(mb "$dir/out-provenance/events.parquet" "$dir/out-provenance/runs.parquet")
    out_auto=$(mb "$dir/out-auto.parquet")
    out_same=$(mb "$dir/out-same.parquet")
    rm -f "$dir"/warm.times
    for _ in $(seq "$repeat"); do
        rm -rf "$dir/out-provenance"
        timed provenance "$dir/again.txt" "$bin" export parquet "$logs" --out "$dir/out-provenance"
        grep -q "wrote $rows event" "$dir/again.txt" || { echo "provenance wrote another count" >&2; exit 1; }
        for mode in auto same; do
            rm -f "$dir/out-$mode.parquet"
            timed "$mode" "$dir/q.txt" python3 "$here/export_duckdb.py" query "$mode" "$logs" "$dir/out-$mode.parquet"
            cat "$dir/q.txt" >>"$dir/$mode-query.times"
        done
    done
    p=$(awk '{ print $1 }' "$dir/provenance.times" | median)
    rss() { awk '{ print $2 }' "$dir/$1.times" | sort -n | tail -1 | awk '{ printf "%.1f MiB", $1 / 1024 }'; }
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
    printf '%-10s %-7s %-8s %-34s %-8s %-11s %-8s %s\n' "$scenario" "$n" "$input" \
        "provenance export parquet" "$p" "$(rss provenance)" "$out_p" ""
    for mode in auto same; do
        d=$(awk '{ print $1 }' "$dir/$mode.times" | median)
        q=$(median <"$dir/$mode-query.times")
        out_m="out_$mode"
        printf '%-10s %-7s %-8s %-34s %-8s %-11s %-8s %s\n' "" "" "" "duckdb $mode (process)" "$d" \
            "$(rss "$mode")" "${!out_m}" "$(ratio "$d" "$p")"
        printf '%-10s %-7s %-8s %-34s %-8s %-11s %-8s %s\n' "" "" "" "duckdb $mode (query only)" "$q" "" "" \
            "$(ratio "$q" "$p")"
    done
    echo "           ($rows events; ${checks[*]})"
    rm -rf "$logs"
done
