#!/usr/bin/env python3
"""The DuckDB side of benches/runs_vs_duckdb.sh.

  runs_duckdb.py query DIR OUT.csv   the table `provenance runs DIR --csv`
                                     prints, built by DuckDB's
                                     read_json_auto + SQL, written to OUT.csv;
                                     prints the seconds the query took
                                     inside the process (no start-up)
  runs_duckdb.py compare A.csv B.csv exit 0 if the two tables agree: the
                                     same columns, the same number of rows,
                                     and the same cells row by row (matched
                                     by session and run; numbers compared as
                                     numbers); else say what differs, exit 1

The query is the one tests/pipeline.rs checks `runs` against, widened to
every column: algorithm.init rows joined to their algorithm.result rows on
(session_id, run_id) (a LEFT JOIN: a run cut before its result is
`unfinished`), and to their session.start row for the commit and dirty
flag. The files are read once (a materialized CTE of the three event
types), not once per join. Columns are named for the logs runs_gen.py
writes.
"""

import csv
import math
import sys
import time

QUERY = """
WITH t AS MATERIALIZED (
    SELECT ts, event_type, session_id, run_id, experiment_id, algorithm_name,
           context, config, status, duration_ms, final_metrics
    FROM read_json_auto('{dir}/*.ndjson', union_by_name = true)
    WHERE event_type IN ('session.start', 'algorithm.init', 'algorithm.result')
),
s AS (SELECT session_id, to_json(context) AS context FROM t
      WHERE event_type = 'session.start'),
i AS (SELECT *, to_json(config) AS cfg FROM t WHERE event_type = 'algorithm.init'),
r AS (SELECT *, to_json(final_metrics) AS m FROM t WHERE event_type = 'algorithm.result')
SELECT
    i.session_id AS "session",
    i.run_id AS "run",
    i.experiment_id AS "experiment",
    i.algorithm_name AS "algorithm",
    strftime(i.ts, '%Y-%m-%dT%H:%M:%S.%fZ') AS "start",
    s.context ->> '$.git.short_sha' AS "commit",
    s.context ->> '$.git.dirty' AS "dirty",
    coalesce(r.status, 'unfinished') AS "status",
    r.duration_ms AS "duration_ms",
    CASE WHEN json_type(i.cfg) NOT IN ('OBJECT', 'NULL') THEN i.cfg ->> '$' END AS "config",
    i.cfg ->> '$.bars' AS "config.bars",
    i.cfg ->> '$.drift' AS "config.drift",
    i.cfg ->> '$.hurdle' AS "config.hurdle",
    i.cfg ->> '$.label' AS "config.label",
    i.cfg ->> '$.volatility' AS "config.volatility",
    i.cfg ->> '$.window' AS "config.window",
    r.m ->> '$.epochs' AS "metric.epochs",
    r.m ->> '$.max_excess_gain' AS "metric.max_excess_gain"
FROM i
LEFT JOIN r ON i.session_id = r.session_id AND i.run_id = r.run_id
LEFT JOIN s ON i.session_id = s.session_id
ORDER BY "session", "run"
"""


def query(directory, out):
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect()
    # ts is read as a TIMESTAMP WITH TIME ZONE: print it in UTC, as written.
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        "COPY (%s) TO '%s' (HEADER, DELIMITER ',')"
        % (QUERY.format(dir=directory.replace("'", "''")), out.replace("'", "''"))
    )
    print("%.3f" % (time.perf_counter() - started))


def normal(cell):
    """A cell as a comparable value: a number as a float, true/false as
    themselves, anything else as its text ('' for empty)."""
    low = cell.strip().lower()
    if low in ("true", "false"):
        return low
    try:
        value = float(cell)
    except ValueError:
        return cell
    return value if math.isfinite(value) else cell


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        sys.exit(f"{path}: empty, not even a header")
    header, body = rows[0], rows[1:]
    table = {}
    for row in body:
        if len(row) != len(header):
            sys.exit(f"{path}: a row of {len(row)} cells under {len(header)} columns: {row}")
        key = (row[0], row[1])
        if key in table:
            sys.exit(f"{path}: (session, run) {key} twice")
        table[key] = [normal(c) for c in row]
    return header, len(body), table


def compare(a_path, b_path):
    a_header, a_rows, a = read(a_path)
    b_header, b_rows, b = read(b_path)
    problems = []
    if a_header != b_header:
        problems.append(f"columns differ:\n  {a_header}\n  {b_header}")
    if a_rows != b_rows:
        problems.append(f"{a_rows} rows vs {b_rows}")
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    if only_a:
        problems.append(f"{len(only_a)} (session, run) only in {a_path}, e.g. {only_a[0]}")
    if only_b:
        problems.append(f"{len(only_b)} (session, run) only in {b_path}, e.g. {only_b[0]}")
    differing = [k for k in sorted(set(a) & set(b)) if a[k] != b[k]]
    if differing and a_header == b_header:
        k = differing[0]
        cells = [
            f"{c}: {x!r} vs {y!r}" for c, x, y in zip(a_header, a[k], b[k]) if x != y
        ]
        problems.append(f"{len(differing)} rows differ, e.g. {k}: " + "; ".join(cells))
    if problems:
        print("the two tables differ:\n" + "\n".join(problems), file=sys.stderr)
        sys.exit(1)
    if a_rows == 0:
        sys.exit("both tables are empty: nothing was measured")
    print(f"agree: {a_rows} rows x {len(a_header)} columns")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "query":
        query(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
