#!/usr/bin/env python3
"""Writes a valid provenance log of about SIZE bytes to PATH: the
session.start and data.load schema lines of benches/support/ith_epochs.jsonl,
then data.load lines shaped like the example's (seq, ts and numbers vary),
as benches/support/log.rs does.

usage: gen_log.py PATH SIZE   (SIZE in bytes; suffixes K, M, G allowed)
"""

import json
import os
import random
import re
import sys


def parse_size(text):
    units = {"K": 10**3, "M": 10**6, "G": 10**9}
    text = text.strip().upper().rstrip("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def main():
    path, size = sys.argv[1], parse_size(sys.argv[2])
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "support", "ith_epochs.jsonl")) as f:
        real = f.read().splitlines()
    start = next(l for l in real if '"event_type":"session.start"' in l)
    schema = next(
        l for l in real if '"event_type":"event.schema"' in l and '"name":"data.load"' in l
    )
    schema = re.sub(r'"seq":\d+,', '"seq":1,', schema, count=1)
    session = json.loads(start)["session_id"]
    head = (
        '{"ts":"2026-11-30T%02d:%02d:%02d.%06dZ","event_type":"data.load",'
        f'"session_id":"{session}","seq":%d,"experiment_id":"ith-bull-demo",'
        '"run_id":"run-2","parent_run_id":"run-1","source_path":"argument",'
        '"sha256_hash":"sha256:6435a7baaab9d2706813537ffa36360c7f25a2a7ad1103ad33721feb01853212",'
        '"row_count":%d,"column_count":1,"columns":[],"value_range":[%r,%r],'
        '"input_name":"nav","dtype":"float64","shape":[%d],"n_nans":%d}\n'
    )
    rng = random.Random(7)
    written = 0
    with open(path, "w", buffering=1 << 22) as out:
        for line in (start, schema):
            out.write(line + "\n")
            written += len(line) + 1
        i = 0
        batch = []
        while written < size:
            secs = i // 1_000_000
            rows = rng.randrange(1, 5_000_000)
            low = rng.random()
            line = head % (
                (secs // 3600) % 24, (secs // 60) % 60, secs % 60, i % 1_000_000,
                i + 2, rows, low, low + rng.randrange(1000) * 0.731, rows, i % 3,
            )
            batch.append(line)
            written += len(line)
            i += 1
            if len(batch) == 10_000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))
    print(f"{path}: {written} bytes, {i + 2} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
