"""Computes `provenance runs --group-by config.lr,config.window` with DuckDB
over the same logs and compares it with the CSV the tool printed
(provenance-cli/tests/cli_runs_series.rs drives it).

usage: duckdb_group_by.py DIR
DIR holds logs/ (one session per file) and groups.csv.

DuckDB reads the logs with read_json, joins each run's algorithm.init
(config) with its algorithm.result (final_metrics.sharpe, the summary of
its series `loss`), and groups by the two configuration values: count,
avg, stddev_samp, min and max of each metric. Every group and cell must
match (numbers within 1e-12 relative). Prints `duckdb: N groups agree`, or
`duckdb: not installed` (exit 0) unless PROVENANCE_READERS_REQUIRED=1.
"""
import csv
import math
import os
import sys

root = sys.argv[1]
try:
    import duckdb
except ImportError:
    print("duckdb: not installed")
    sys.exit(1 if os.environ.get("PROVENANCE_READERS_REQUIRED") == "1" else 0)

METRICS = {
    "metric.sharpe": "r.final_metrics.sharpe",
    "metric.loss": "r.metrics.loss.last",
    "metric.loss.min": "r.metrics.loss.min",
    "metric.loss.max": "r.metrics.loss.max",
    "metric.loss.count": "r.metrics.loss.count",
}
aggregates = []
for name, expr in METRICS.items():
    for stat, fn in [("mean", "avg"), ("std", "stddev_samp"), ("min", "min"), ("max", "max")]:
        aggregates.append(f'{fn}(CAST({expr} AS DOUBLE)) AS "{name}.{stat}"')
logs = os.path.join(root, "logs", "*.ndjson")
query = f"""
WITH lines AS (
  SELECT * FROM read_json('{logs}', format = 'newline_delimited', union_by_name = true,
                          maximum_object_size = 1048576)
),
i AS (SELECT session_id, run_id, config FROM lines WHERE event_type = 'algorithm.init'),
r AS (SELECT session_id, run_id, final_metrics, metrics FROM lines WHERE event_type = 'algorithm.result')
SELECT CAST(i.config.lr AS DOUBLE) AS "config.lr", CAST(i.config.window AS DOUBLE) AS "config.window",
       count(*) AS n, {", ".join(aggregates)}
FROM i JOIN r USING (session_id, run_id)
GROUP BY 1, 2
"""
cursor = duckdb.sql(query)
columns = [c[0] for c in cursor.description]
expected = {(row[0], row[1]): dict(zip(columns, row)) for row in cursor.fetchall()}

with open(os.path.join(root, "groups.csv"), newline="") as f:
    got = list(csv.DictReader(f))

failures = []
if sorted(got[0].keys()) != sorted(columns) if got else True:
    failures.append(f"columns: provenance {list(got[0].keys()) if got else []}, duckdb {columns}")
if len(got) != len(expected):
    failures.append(f"{len(got)} groups, duckdb {len(expected)}")
for row in got:
    key = (float(row["config.lr"]), float(row["config.window"]))
    want = expected.get(key)
    if want is None:
        failures.append(f"group {key} not in duckdb's")
        continue
    for column, value in want.items():
        cell = row.get(column)
        if value is None:
            if cell not in ("", None):
                failures.append(f"{key} {column}: {cell!r}, duckdb NULL")
        elif cell in ("", None) or not math.isclose(float(cell), float(value), rel_tol=1e-12, abs_tol=1e-15):
            failures.append(f"{key} {column}: {cell!r}, duckdb {value!r}")

if failures:
    print("duckdb: disagrees")
    for failure in failures[:30]:
        print("  " + failure)
    sys.exit(1)
print(f"duckdb: {len(got)} groups agree")
