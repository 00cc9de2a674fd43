#!/usr/bin/env bash
# Peak memory of `provenance validate` and `provenance summary` on a big log:
# both stream, so the maximum resident set size must stay flat (target: at
# most 64 MiB for a 4 GB log) whatever the log's size.
#
# usage: provenance-cli/benches/memory.sh [SIZE ...]   (default: 4G)
#   SIZE in bytes, or with a K, M or G suffix; several sizes show RSS is flat.
# The log is written to $TMPDIR (default /tmp) and deleted afterwards.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$root/target/release/provenance"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(4G)

(cd "$root" && cargo build -p ith-provenance-cli --release --quiet)
dir="$(mktemp -d "${TMPDIR:-/tmp}/provenance-memory.XXXXXX")"
trap 'rm -rf "$dir"' EXIT

printf '%-8s %-10s %-12s %-10s %s\n' size verb "max RSS" seconds "MB/s"
for size in "${sizes[@]}"; do
    log="$dir/log-$size.ndjson"
    python3 "$here/gen_log.py" "$log" "$size" 2>/dev/null
    bytes=$(stat -c %s "$log")
    for verb in validate summary; do
        report="$dir/time.txt"
        set +e
        /usr/bin/time -v -o "$report" "$bin" "$verb" "$log" >"$dir/out.txt" 2>&1
        code=$?
        set -e
        # validate must find the log valid, or the run measured nothing.
        if [ "$code" -ne 0 ]; then
            echo "provenance $verb exited $code on $log:" >&2
            head -20 "$dir/out.txt" >&2
            exit 1
        fi
        rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$report")
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$report")
        secs=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
        printf '%-8s %-10s %-12s %-10s %.0f\n' "$size" "$verb" \
            "$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f MiB", k / 1024 }')" "$secs" \
            "$(awk -v b="$bytes" -v s="$secs" 'BEGIN { print (s > 0 ? b / 1e6 / s : 0) }')"
    done
    rm -f "$log"
done
