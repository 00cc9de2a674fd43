# Shared by runs_vs_duckdb.sh and export_vs_duckdb.sh, sourced once $dir
# is set: timing one command, and the median of a column of numbers.

# timed NAME OUT CMD...: runs CMD, stdout to OUT; appends "seconds
# rss_kib" to $dir/NAME.times. A non-zero exit stops the script.
timed() {
    local name="$1" out="$2"
    shift 2
    local t0 t1 code
    t0=$(date +%s%N)
    set +e
    /usr/bin/time -f '%M' -o "$dir/rss.txt" "$@" >"$out" 2>"$dir/err.txt"
    code=$?
    set -e
    t1=$(date +%s%N)
    if [ "$code" -ne 0 ]; then
        echo "$name exited $code:" >&2
        head -20 "$dir/err.txt" >&2
        exit 1
    fi
    echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') $(tail -1 "$dir/rss.txt")" \
        >>"$dir/$name.times"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
