"""Reads an event log with the readers our users use -- pandas, DuckDB, jq,
Node's JSON.parse -- and checks that each reads every seed exactly and every
built-in field as one type (tests/readers.rs drives it; docs/CONTRACT.md,
"Reading with pandas, DuckDB and JavaScript", is what it holds us to).

usage: read_log.py LOG EXPECTED_JSON
EXPECTED_JSON: [{"session_id", "seq", "path": [keys...], "seed": "<decimal>"}]
Exit 0 when every available reader agrees; prints one line per reader.
A reader that is not installed is skipped, saying so, unless
PROVENANCE_READERS_REQUIRED=1 (CI), where pandas and DuckDB must be there.
"""
import importlib
import json
import math
import os
import shutil
import subprocess
import sys

log_path, expected_path = sys.argv[1], sys.argv[2]
expected = json.load(open(expected_path))
required = os.environ.get("PROVENANCE_READERS_REQUIRED") == "1"
failures = []
raw = [json.loads(l) for l in open(log_path, encoding="utf-8") if l.lstrip(" \t").startswith("{")]
by_key = {(r["session_id"], r["seq"]): r for r in raw}


def dig(value, path):
    for key in path:
        if value is None:
            return None
        value = value[key]
    return value


def check(reader, got_of):
    """got_of(session_id, seq, path) -> the seed text the reader read."""
    bad = 0
    for e in expected:
        got = got_of(e["session_id"], e["seq"], e["path"])
        if not isinstance(got, str) or int(got, 16) != int(e["seed"]):
            bad += 1
            if bad <= 3:
                failures.append(f"{reader}: seq {e['seq']} {'.'.join(e['path'])}: read {got!r}, the program used {e['seed']}")
    if bad == 0:
        print(f"{reader}: all {len(expected)} seeds exact")


# One JSON type per top-level field, across every line (null aside), but
# for the free-form payloads, which are whatever the program recorded.
FREE_FORM = {"config", "context"}
kinds = {}
for r in raw:
    for key, v in r.items():
        if v is None or key in FREE_FORM:
            continue
        kind = "bool" if isinstance(v, bool) else "number" if isinstance(v, (int, float)) else type(v).__name__
        kinds.setdefault(key, set()).add(kind)
mixed = {k: sorted(v) for k, v in kinds.items() if len(v) > 1}
if mixed:
    failures.append(f"fields with more than one JSON type: {mixed}")
else:
    print(f"json: {len(kinds)} top-level fields, one JSON type each")

def reader(module):
    """The module, or None after saying it is missing (a failure in CI)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        note = f"{module}: not installed (pip install -r .ci/requirements.txt)"
        if required:
            failures.append(note)
        else:
            print(note + "; skipped")
        return None


pd = reader("pandas")
if pd is not None:
    df = pd.read_json(log_path, lines=True)
    rows = {(s, q): i for i, (s, q) in enumerate(zip(df["session_id"], df["seq"]))}
    check(f"pandas {pd.__version__}", lambda s, q, p: dig(df.iloc[rows[(s, q)]][p[0]], p[1:]))
    for column in ["excess_gain", "excess_loss", "statistic", "p_value", "duration_ms"]:
        if column in df and str(df[column].dtype) != "float64":
            failures.append(f"pandas: {column} is {df[column].dtype}, not float64")
    for column in ["version", "random_seed", "seed", "root_seed", "payload_schema", "describes"]:
        if column not in df:
            failures.append(f"pandas: no column {column}")
            continue
        types = {type(v).__name__ for v in df[column] if isinstance(v, str) or not pd.isna(v)}
        if types - {"str"}:
            failures.append(f"pandas: {column} holds {sorted(types)}")
    # A NaN written as null + non_finite: pandas reads NaN, the pointer says which.
    for r in raw:
        for nf in r.get("non_finite", []):
            parts = nf["pointer"].split("/")[1:]
            if len(parts) == 1 and parts[0] in df:
                v = df.iloc[rows[(r["session_id"], r["seq"])]][parts[0]]
                if not (isinstance(v, float) and math.isnan(v)):
                    failures.append(f"pandas: {nf['pointer']} of seq {r['seq']} read as {v!r}")

duckdb = reader("duckdb")
if duckdb is not None:
    con = duckdb.connect()
    source = f"read_json_auto('{log_path}', union_by_name = true)"
    columns = con.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()
    failures_before = len(failures)
    for name, column_type, *_ in columns:
        if name not in FREE_FORM and ("JSON" in column_type or "UNION" in column_type):
            failures.append(f"duckdb: column {name} is {column_type}")
    types = {name: t for name, t, *_ in columns}
    for name in ["random_seed", "seed", "root_seed", "payload_schema", "version"]:
        if types.get(name) != "VARCHAR":
            failures.append(f"duckdb: {name} is {types.get(name)}, not VARCHAR")
    if types.get("excess_loss") != "DOUBLE":
        failures.append(f"duckdb: excess_loss is {types.get('excess_loss')}, not DOUBLE")
    seed_columns = ["random_seed", "seed", "root_seed", "context"]
    data = con.sql(f"SELECT session_id, seq, {', '.join(seed_columns)} FROM {source}").fetchall()
    table = {(row[0], row[1]): dict(zip(seed_columns, row[2:])) for row in data}
    check(f"duckdb {duckdb.__version__}", lambda s, q, p: dig(table[(s, q)], p))
    if len(failures) == failures_before:
        print(f"duckdb: DESCRIBE shows {len(columns)} columns, none a union or JSON beyond {sorted(FREE_FORM)}")

# jq: the version the machine has (1.6 rounds integers above 2^53).
if shutil.which("jq"):
    version = subprocess.run(["jq", "--version"], capture_output=True, text=True).stdout.strip()
    out = subprocess.run(["jq", "-c", "[.session_id, .seq, .]", log_path], capture_output=True, text=True, check=True).stdout
    jq_rows = {(s, q): v for s, q, v in (json.loads(l) for l in out.splitlines())}
    check(version, lambda s, q, p: dig(jq_rows[(s, q)], p))
else:
    print("jq: not on PATH; skipped")

if shutil.which("node"):
    script = ("const rows = require('fs').readFileSync(process.argv[1], 'utf8').split('\\n')"
              ".filter(l => /^[ \\t]*\\{/.test(l)).map(l => JSON.parse(l));"
              "process.stdout.write(JSON.stringify(rows));")
    out = subprocess.run(["node", "-e", script, log_path], capture_output=True, text=True, check=True).stdout
    node_rows = {(r["session_id"], r["seq"]): r for r in json.loads(out)}
    version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    check(f"node {version} JSON.parse", lambda s, q, p: dig(node_rows[(s, q)], p))
else:
    print("node: not on PATH; skipped")

for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
