"""Reads the metrics.parquet `provenance export parquet` wrote with pyarrow
and with DuckDB and compares every point with the logs' `metrics` lines
(provenance-cli/tests/export_parquet_metrics.rs drives it).

usage: read_metrics.py DIR
DIR holds logs/ (the logs exported) and tables/metrics.parquet.

Each row must be the next point of the logs' metrics lines, in file then
line order: session_id, run_id, name, step (an integer), value (a double;
a non-finite one, null in the line and named in its non_finite list, as
the IEEE NaN or ±infinity), ts (the line's ts, a UTC timestamp to the
microsecond). Prints `READER: N points agree` per reader; a reader not
installed is skipped, saying so, unless PROVENANCE_READERS_REQUIRED=1.
"""
import datetime
import glob
import json
import math
import os
import sys

root = sys.argv[1]
required = os.environ.get("PROVENANCE_READERS_REQUIRED") == "1"
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def micros_of_text(ts):
    when = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    return (when - EPOCH) // datetime.timedelta(microseconds=1)


expected = []
for path in sorted(glob.glob(os.path.join(root, "logs", "**", "*.ndjson"), recursive=True)):
    with open(path) as f:
        for line in f:
            if not line.startswith("{"):
                continue
            event = json.loads(line)
            if event.get("event_type") != "metrics":
                continue
            special = {e["pointer"]: SPECIAL[e["value"]] for e in event.get("non_finite", [])}
            for i, (step, value) in enumerate(zip(event["steps"], event["values"])):
                if value is None:
                    value = special[f"/values/{i}"]
                expected.append((event["session_id"], event.get("run_id"), event["name"], step,
                                 float(value), micros_of_text(event["ts"])))


def same(x, y):
    if isinstance(x, float) and isinstance(y, float):
        return (math.isnan(x) and math.isnan(y)) or x == y
    return x == y


def check(reader, rows):
    problems = []
    if len(rows) != len(expected):
        problems.append(f"{len(rows)} rows, the logs hold {len(expected)} points")
    for i, (got, want) in enumerate(zip(rows, expected)):
        if not all(same(g, w) for g, w in zip(got, want)):
            problems.append(f"row {i}: {got!r}, the log says {want!r}")
    if problems:
        print(f"{reader}: disagrees")
        for p in problems[:20]:
            print("  " + p)
        return False
    print(f"{reader}: {len(rows)} points agree")
    return True


table = os.path.join(root, "tables", "metrics.parquet")
ok = True
try:
    import pyarrow.parquet as pq
except ImportError:
    print("pyarrow: not installed")
    ok = ok and not required
else:
    t = pq.read_table(table)
    types = {f.name: str(f.type) for f in t.schema}
    want_types = {"session_id": "string", "run_id": "string", "name": "string", "step": "int64",
                  "value": "double", "ts": "timestamp[us, tz=UTC]"}
    if types != want_types:
        print(f"pyarrow: types {types}, expected {want_types}")
        ok = False
    cols = t.to_pydict()
    rows = []
    for i in range(t.num_rows):
        ts = cols["ts"][i]
        micros = None if ts is None else (ts - EPOCH) // datetime.timedelta(microseconds=1)
        rows.append((cols["session_id"][i], cols["run_id"][i], cols["name"][i], cols["step"][i],
                     cols["value"][i], micros))
    ok = check("pyarrow", rows) and ok
try:
    import duckdb
except ImportError:
    print("duckdb: not installed")
    ok = ok and not required
else:
    rows = duckdb.sql(
        f"SELECT session_id, run_id, name, step, value, epoch_us(ts) FROM read_parquet('{table}')"
    ).fetchall()
    rows = [tuple(r) for r in rows]
    ok = check("duckdb", rows) and ok
    # DuckDB's own aggregate over the table: the NaN counted, the infinities kept.
    [(n_nan, top)] = duckdb.sql(
        f"SELECT count(*) FILTER (WHERE isnan(value)), max(value) FILTER (WHERE NOT isnan(value)) "
        f"FROM read_parquet('{table}')"
    ).fetchall()
    if n_nan != sum(1 for r in expected if math.isnan(r[4])) or top != math.inf:
        print(f"duckdb: {n_nan} NaN and max {top}, not the logs'")
        ok = False
sys.exit(0 if ok else 1)
