#!/usr/bin/env bash
# `provenance runs DIR --csv` against DuckDB building the same table
# (read_json_auto + SQL, benches/runs_duckdb.py) over the same files: wall
# seconds, max RSS, and the ratio DuckDB / provenance (above 1: provenance
# is faster).
#
# usage: provenance-cli/benches/runs_vs_duckdb.sh [N:SIZE ...]
#   N logs of about SIZE bytes each (K, M, G suffixes); default
#   10000:14K 1000:1M (10,000 small logs, then about 1 GB). REPEAT=N runs
#   each contender N times (default 3) and reports the median.
#
# The page cache cannot be dropped here: each contender runs once first (a
# warm-up, whose output is the one checked), so every timed run reads
# cached files. The two tables must agree (same columns, rows and cells,
# runs_duckdb.py compare) and every timed run must print the warm-up's
# bytes, else the script stops: it never times a wrong answer. The logs
# are written to $TMPDIR (default /tmp) and deleted afterwards.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${CARGO_TARGET_DIR:-$root/target}/release/provenance"
repeat="${REPEAT:-3}"
scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(10000:14K 1000:1M)

python3 -c 'import duckdb' 2>/dev/null || {
    echo "python3 cannot import duckdb (pip install duckdb==2.0.1)" >&2
    exit 1
}
(cd "$root" && cargo build -p ith-provenance-cli --release --quiet)
dir="$(mktemp -d "${TMPDIR:-/tmp}/provenance-runs-bench.XXXXXX")"
trap 'rm -rf "$dir"' EXIT

# shellcheck source=support/timing.sh
. "$here/support/timing.sh"

echo "$(nproc) cores; $(python3 -c 'import duckdb; print("duckdb", duckdb.__version__)'); $("$bin" --version 2>/dev/null || echo provenance); median of $repeat runs after a warm-up"
printf '%-12s %-9s %-10s %-26s %-9s %-11s %s\n' scenario logs "MB" contender seconds "max RSS" "duckdb/provenance"
for scenario in "${scenarios[@]}"; do
    n="${scenario%%:*}"
    size="${scenario#*:}"
    logs="$dir/logs"
    rm -rf "$logs" "$dir"/*.times
    python3 "$here/runs_gen.py" "$logs" "$n" "$size" 2>/dev/null
    mb=$(du -sb "$logs" | awk '{ printf "%.0f", $1 / 1e6 }')
    # One generated log must be valid, or the rows measured are not a real
    # log's.
    one=$(find "$logs" -name '*.ndjson' -print -quit)
    "$bin" validate "$one" >/dev/null || { echo "runs_gen.py wrote an invalid log: $one" >&2; exit 1; }

    # Warm-up, and the answers checked.
    timed warm "$dir/provenance.csv" "$bin" runs "$logs" --csv
    timed warm "$dir/duckdb.txt" python3 "$here/runs_duckdb.py" query "$logs" "$dir/duckdb.csv"
    agree=$(python3 "$here/runs_duckdb.py" compare "$dir/provenance.csv" "$dir/duckdb.csv") || {
        echo "$scenario: provenance runs and DuckDB disagree; nothing timed" >&2
        exit 1
    }
    rm -f "$dir"/warm.times
    for _ in $(seq "$repeat"); do
        timed provenance "$dir/again.csv" "$bin" runs "$logs" --csv
        cmp -s "$dir/again.csv" "$dir/provenance.csv" || { echo "provenance runs printed another table" >&2; exit 1; }
        timed duckdb "$dir/query.txt" python3 "$here/runs_duckdb.py" query "$logs" "$dir/duckdb-again.csv"
        cat "$dir/query.txt" >>"$dir/query.times"
        python3 "$here/runs_duckdb.py" compare "$dir/provenance.csv" "$dir/duckdb-again.csv" >/dev/null || exit 1
    done
    p=$(awk '{ print $1 }' "$dir/provenance.times" | median)
    d=$(awk '{ print $1 }' "$dir/duckdb.times" | median)
    q=$(median <"$dir/query.times")
    p_rss=$(awk '{ print $2 }' "$dir/provenance.times" | sort -n | tail -1)
    d_rss=$(awk '{ print $2 }' "$dir/duckdb.times" | sort -n | tail -1)
    mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
    printf '%-12s %-9s %-10s %-26s %-9s %-11s %s\n' "$scenario" "$n" "$mb" "provenance runs --csv" "$p" "$(mib "$p_rss")" ""
    printf '%-12s %-9s %-10s %-26s %-9s %-11s %s\n' "" "" "" "duckdb (process)" "$d" "$(mib "$d_rss")" "$(ratio "$d" "$p")"
    printf '%-12s %-9s %-10s %-26s %-9s %-11s %s\n' "" "" "" "duckdb (query only)" "$q" "" "$(ratio "$q" "$p")"
    echo "             ($agree)"
    rm -rf "$logs"
done
