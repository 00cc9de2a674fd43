"""Reads the tables `provenance export parquet` wrote with pyarrow and with
DuckDB and compares every cell with what the logs hold
(provenance-cli/tests/export_parquet.rs drives it).

usage: read_tables.py DIR
DIR holds logs/ (the logs exported), tables/ (runs.parquet and
events.parquet, exported from `logs` in DIR) and runs.json (`provenance runs
logs --json` over the same logs).

- events.parquet: a row per log line (a line whose first byte after spaces
  and tabs is `{`), in file then line order; every envelope value, `file`
  and `line`, `ts` as a UTC timestamp of the same microsecond, `payload`
  parsing to the line minus its envelope, `non_finite` to the line's own;
  a line that is not JSON has a null envelope, its text in `raw` and its
  problem named.
- runs.parquet: runs.json's columns first, in its order, then the extra
  columns; every cell equal to runs.json's (a timestamp to its text, a
  text column's non-string values as their JSON); the extras equal to what
  the logs record, seeds as exact u64 (above 2^63 too).

Prints one line per reader and exits 0 when every available one agrees. A
reader that is not installed is skipped, saying so, unless
PROVENANCE_READERS_REQUIRED=1 (CI), where both must be there.
"""
import datetime
import importlib
import json
import os
import sys

ENVELOPE = ("ts", "event_type", "session_id", "seq", "experiment_id", "run_id", "parent_run_id")
EXTRA = ["git_sha", "config_hash", "random_seed", "root_seed", "parent_run_id", "version", "error", "log"]
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

root = sys.argv[1]
required = os.environ.get("PROVENANCE_READERS_REQUIRED") == "1"
failures = []


def fail(message):
    if len(failures) < 30:
        failures.append(message)


def micros_of_text(ts):
    """A contract `ts` as microseconds since the epoch, computed here."""
    when = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    return (when - EPOCH) // datetime.timedelta(microseconds=1)


def micros(value):
    """A timestamp cell as microseconds: a timezone-aware datetime (pyarrow)
    or already an integer (DuckDB's epoch_us)."""
    if value is None or isinstance(value, int):
        return value
    if value.tzinfo is None or value.utcoffset() != datetime.timedelta(0):
        raise ValueError(f"{value!r} is not a UTC timestamp")
    return (value - EPOCH) // datetime.timedelta(microseconds=1)


def seed(value):
    if value is None:
        return None
    return value if isinstance(value, int) else int(value, 16)


# The logs, as the export reads them: files sorted by path, lines split on
# "\n" only.
files = []
for directory, _, names in os.walk(os.path.join(root, "logs")):
    for name in names:
        if name.endswith((".ndjson", ".jsonl")):
            files.append(os.path.relpath(os.path.join(directory, name), root))
files.sort(key=lambda p: p.split(os.sep))
lines = []  # (file, number, text, parsed or None)
for file in files:
    with open(os.path.join(root, file), encoding="utf-8") as f:
        for number, text in enumerate(f.read().split("\n"), start=1):
            if text.lstrip(" \t").startswith("{"):
                try:
                    parsed = json.loads(text)
                except ValueError:
                    parsed = None
                lines.append((file, number, text, parsed))

# What each run's lines record, for the extra columns: per (log, session,
# run) its algorithm.init and algorithm.result; per (log, session) its
# context.
inits, results, contexts = {}, {}, {}
for file, _, _, obj in lines:
    if obj is None:
        continue
    key = (file, obj["session_id"])
    if obj["event_type"] == "session.start":
        contexts[key] = obj["context"]
    elif obj["event_type"] == "algorithm.init":
        inits[key + (obj["run_id"],)] = obj
    elif obj["event_type"] == "algorithm.result":
        results[key + (obj["run_id"],)] = obj

with open(os.path.join(root, "runs.json"), encoding="utf-8") as f:
    runs_json = json.load(f)
run_columns = list(runs_json[0].keys())


def check_events(reader, rows, types):
    """rows: dicts in file, line order; types: column -> the reader's type name."""
    for column, expected in types["expected"].items():
        if types["got"].get(column) != expected:
            fail(f"{reader}: events column {column} is {types['got'].get(column)!r}, expected {expected!r}")
    if len(rows) != len(lines):
        fail(f"{reader}: events.parquet has {len(rows)} rows, the logs {len(lines)} log lines")
        return
    bad = 0
    for row, (file, number, text, obj) in zip(rows, lines):
        where = f"{reader}: {file}:{number}"
        if (row["file"], row["line"]) != (file, number):
            fail(f"{where}: row says {row['file']}:{row['line']}")
            bad += 1
            continue
        if obj is None:
            if any(row[k] is not None for k in ENVELOPE + ("payload",)):
                fail(f"{where}: a line that is not JSON has envelope values {row}")
            if row["raw"] != text or not row["problem"]:
                fail(f"{where}: raw {row['raw']!r} / problem {row['problem']!r}")
            bad += 1
            continue
        if micros(row["ts"]) != micros_of_text(obj["ts"]):
            fail(f"{where}: ts {row['ts']!r}, the line {obj['ts']}")
        for k in ENVELOPE[1:]:
            if row[k] != obj.get(k):
                fail(f"{where}: {k} {row[k]!r}, the line {obj.get(k)!r}")
        payload = {k: v for k, v in obj.items() if k not in ENVELOPE and k != "non_finite"}
        if json.loads(row["payload"]) != payload:
            fail(f"{where}: payload {row['payload']}, the line's {json.dumps(payload)}")
        non_finite = None if row["non_finite"] is None else json.loads(row["non_finite"])
        if non_finite != obj.get("non_finite"):
            fail(f"{where}: non_finite {row['non_finite']!r}")
        if row["problem"] is not None or row["raw"] is not None:
            fail(f"{where}: a good line with problem {row['problem']!r}")
    print(f"{reader}: events.parquet: {len(rows)} rows, every envelope value, ts and payload as the "
          f"logs say ({bad} lines that are not JSON, with their text)")


def check_runs(reader, columns, rows, types):
    if columns[: len(run_columns)] != run_columns or columns[len(run_columns):] != EXTRA:
        fail(f"{reader}: runs.parquet columns {columns}, expected runs --json's {run_columns} then {EXTRA}")
        return
    if len(rows) != len(runs_json):
        fail(f"{reader}: runs.parquet has {len(rows)} rows, runs --json {len(runs_json)}")
        return
    cells = 0
    for i, (row, want) in enumerate(zip(rows, runs_json)):
        for column in run_columns:
            got, expected, kind = row[column], want[column], types[column]
            where = f"{reader}: runs row {i} ({want['session']} {want['run']}) {column}"
            if expected is None:
                ok = got is None
            elif kind == "timestamp":
                ok = micros(got) == micros_of_text(expected)
            elif kind == "text":
                ok = got == expected if isinstance(expected, str) else json.loads(got) == expected
            elif kind == "bool":
                ok = got is expected
            elif kind == "int":
                ok = isinstance(got, int) and not isinstance(got, bool) and got == expected
            else:
                ok = isinstance(got, float) and got == expected
            if not ok:
                fail(f"{where}: {got!r} ({kind}), runs --json {expected!r}")
            cells += 1
        key = (row["log"], want["session"], want["run"])
        init, result, context = inits.get(key), results.get(key), contexts.get(key[:2])
        if init is None or context is None:
            fail(f"{reader}: runs row {i}: no algorithm.init / session.start for {key}")
            continue
        extra = {
            "git_sha": context["git_sha"],
            "config_hash": init["config_hash"],
            "random_seed": seed(init["random_seed"]),
            "root_seed": seed(context["root_seed"]["seed"]),
            "parent_run_id": init.get("parent_run_id"),
            "version": init["version"],
            "error": None if result is None else result["error"],
            "log": key[0],
        }
        for column, expected in extra.items():
            if row[column] != expected:
                fail(f"{reader}: runs row {i} {column}: {row[column]!r}, the logs {expected!r}")
            cells += 1
    seeds = sorted(s for s in (r["random_seed"] for r in rows) if s is not None)
    print(f"{reader}: runs.parquet: {len(rows)} runs, {cells} cells equal to runs --json and the logs "
          f"(seeds exact up to {seeds[-1]})")


def module(name):
    try:
        return importlib.import_module(name)
    except ImportError as e:
        note = f"{name}: not installed ({e})"
        if required:
            failures.append(note + "; PROVENANCE_READERS_REQUIRED=1")
        else:
            print(note + "; skipped")
        return None


events_path = os.path.join(root, "tables", "events.parquet")
runs_path = os.path.join(root, "tables", "runs.parquet")

pa = module("pyarrow")
if pa is not None:
    import pyarrow.parquet as pq

    def kind(t):
        if pa.types.is_timestamp(t):
            return "timestamp"
        if pa.types.is_string(t):
            return "text"
        if pa.types.is_boolean(t):
            return "bool"
        if pa.types.is_integer(t):
            return "int"
        return "float" if pa.types.is_float64(t) else str(t)

    table = pq.read_table(events_path)
    got = {f.name: str(f.type) for f in table.schema}
    expected = {"ts": "timestamp[us, tz=UTC]", "seq": "uint64", "line": "uint64", "payload": "string",
                "event_type": "string", "file": "string"}
    check_events("pyarrow", table.to_pylist(), {"got": got, "expected": expected})
    table = pq.read_table(runs_path)
    types = {f.name: kind(f.type) for f in table.schema}
    for column, t in {"start": "timestamp[us, tz=UTC]", "random_seed": "uint64", "root_seed": "uint64",
                      "dirty": "bool", "duration_ms": "double"}.items():
        if str(table.schema.field(column).type) != t:
            fail(f"pyarrow: runs column {column} is {table.schema.field(column).type}, expected {t}")
    check_runs("pyarrow", table.column_names, table.to_pylist(), types)

duckdb = module("duckdb")
if duckdb is not None:
    con = duckdb.connect()

    def describe(path):
        return {r[0]: r[1] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()}

    def select(sql, path):
        cursor = con.execute(sql, [path])
        names = [d[0] for d in cursor.description]
        return names, [dict(zip(names, r)) for r in cursor.fetchall()]

    got = describe(events_path)
    expected = {"ts": "TIMESTAMP WITH TIME ZONE", "seq": "UBIGINT", "line": "UBIGINT", "payload": "VARCHAR",
                "event_type": "VARCHAR", "file": "VARCHAR"}
    # Timestamps as epoch microseconds: DuckDB's own reading of the
    # column, without a time zone library in Python.
    _, rows = select("SELECT * REPLACE (epoch_us(ts) AS ts) FROM read_parquet(?) ORDER BY file, line", events_path)
    check_events("duckdb", rows, {"got": got, "expected": expected})
    # The payload is JSON DuckDB queries as it is.
    names = con.execute(
        "SELECT payload->>'$.input_name' FROM read_parquet(?) WHERE event_type = 'data.load' ORDER BY file, line",
        [events_path]).fetchall()
    loads = [o["input_name"] for _, _, _, o in lines if o and o["event_type"] == "data.load"]
    if [n[0] for n in names] != loads:
        fail(f"duckdb: payload->>'$.input_name' of data.load rows {names}, the logs {loads}")
    described = describe(runs_path)
    dkind = {"TIMESTAMP WITH TIME ZONE": "timestamp", "VARCHAR": "text", "BOOLEAN": "bool", "BIGINT": "int",
             "UBIGINT": "int", "DOUBLE": "float"}
    types = {c: dkind.get(t, t) for c, t in described.items()}
    for column, t in {"start": "TIMESTAMP WITH TIME ZONE", "random_seed": "UBIGINT", "root_seed": "UBIGINT",
                      "dirty": "BOOLEAN", "duration_ms": "DOUBLE"}.items():
        if described.get(column) != t:
            fail(f"duckdb: runs column {column} is {described.get(column)}, expected {t}")
    names, rows = select("SELECT * REPLACE (epoch_us(start) AS start) FROM read_parquet(?)", runs_path)
    check_runs("duckdb", names, rows, types)

for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)
