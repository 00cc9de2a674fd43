#!/usr/bin/env python3
"""DuckDB's side of benches/export_vs_duckdb.sh: the events table of a
folder of logs written as Parquet by DuckDB, and the check that it holds
what `provenance export parquet`'s events.parquet holds.

usage:
  export_duckdb.py query MODE LOGDIR OUT.parquet
      MODE auto: COPY (SELECT * FROM read_json_auto(..., union_by_name))
        TO OUT: what a DuckDB user writes first; every payload field its
        own (inferred, struct-typed) column.
      MODE same: read_ndjson_objects and SQL building the columns
        provenance writes: the envelope typed (ts TIMESTAMPTZ, seq
        UBIGINT), payload = the line minus its envelope as JSON text
        (json_merge_patch with nulls), non_finite, file.
      Prints the query's own seconds (without Python's start-up).
  export_duckdb.py compare MODE OURS.parquet THEIRS.parquet
      Same row count, and a sample of rows (every session's lines whose
      seq is a multiple of 997) equal: ts, event_type, run ids, and (MODE
      same) the payload as parsed JSON. Prints what agreed; exits 1 if not.
"""
import json
import sys
import time

import duckdb

ENVELOPE = ("ts", "event_type", "session_id", "seq", "experiment_id", "run_id", "parent_run_id", "non_finite")
REMOVE = "'" + json.dumps({k: None for k in ENVELOPE}, separators=(",", ":")) + "'"


def query(mode, logs, out):
    files = f"'{logs}/*.ndjson'"
    if mode == "auto":
        select = f"SELECT * FROM read_json_auto({files}, format='newline_delimited', union_by_name=true, filename=true)"
    else:
        select = f"""SELECT (json->>'ts')::TIMESTAMPTZ AS ts, json->>'event_type' AS event_type,
            json->>'session_id' AS session_id, (json->>'seq')::UBIGINT AS seq,
            json->>'experiment_id' AS experiment_id, json->>'run_id' AS run_id,
            json->>'parent_run_id' AS parent_run_id,
            json_merge_patch(json, {REMOVE})::VARCHAR AS payload,
            (json->'non_finite')::VARCHAR AS non_finite, filename AS file
            FROM read_ndjson_objects({files}, filename=true)"""
    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute(f"COPY ({select}) TO '{out}' (FORMAT parquet, COMPRESSION snappy)")
    print(f"{time.perf_counter() - t0:.3f}")


def compare(mode, ours, theirs):
    con = duckdb.connect()
    n_ours = con.execute(f"SELECT count(*) FROM read_parquet('{ours}')").fetchone()[0]
    n_theirs = con.execute(f"SELECT count(*) FROM read_parquet('{theirs}')").fetchone()[0]
    if n_ours != n_theirs:
        print(f"provenance wrote {n_ours} rows, DuckDB {n_theirs}")
        sys.exit(1)
    payload = "payload" if mode == "same" else "NULL"
    sample = f"""SELECT session_id, seq::UBIGINT, epoch_us(ts::TIMESTAMPTZ), event_type, run_id,
        parent_run_id, {{payload}} FROM read_parquet('{{path}}') WHERE seq % 997 = 0 ORDER BY 1, 2"""
    a = con.execute(sample.format(payload="payload", path=ours)).fetchall()
    b = con.execute(sample.format(payload=payload, path=theirs)).fetchall()
    if len(a) != len(b) or not a:
        print(f"sampled {len(a)} rows of provenance's, {len(b)} of DuckDB's")
        sys.exit(1)
    for x, y in zip(a, b):
        same = x[:6] == y[:6] and (mode != "same" or json.loads(x[6]) == json.loads(y[6]))
        if not same:
            print(f"provenance {x[:6]} vs DuckDB {y[:6]}")
            sys.exit(1)
    what = "envelope and payload" if mode == "same" else "envelope"
    print(f"{n_ours} rows each; {len(a)} sampled rows' {what} equal")


if __name__ == "__main__":
    if sys.argv[1] == "query":
        query(*sys.argv[2:5])
    else:
        compare(*sys.argv[2:5])
