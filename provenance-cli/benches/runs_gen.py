#!/usr/bin/env python3
"""Writes N contract-version-2 logs of about SIZE bytes each into DIR, one
session per file (DIR/<session_id>.ndjson, as the runtime names them), for
benches/runs_vs_duckdb.sh.

Every line is a line of benches/support/ith_epochs_v2.jsonl (written by the
runtime: `PROVENANCE_SEED=7 cargo run --example ith_epochs`) with its values
changed, in the same order and with the same fields: session.start, the
event.schema lines, the outer run's algorithm.init (a config object:
bars, drift, hurdle, label, volatility, window, and three nulls), a
seed.derived, the inner run's algorithm.init (config: the hurdle), two
data.load lines, as many epoch_detected lines as make SIZE, and both
algorithm.result lines. One session in 25 ends `error` (inner and outer),
one in 50 is cut before its results (killed: `unfinished`). Deterministic:
the same arguments write the same bytes.

usage: runs_gen.py DIR N SIZE [JOBS]   (SIZE per log in bytes; K, M, G
suffixes allowed; JOBS processes, default 2)
"""

import hashlib
import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone
from multiprocessing import Pool

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_log import parse_size  # noqa: E402  the sizes memory.sh takes, read the same way

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "support", "ith_epochs_v2.jsonl")
ENVELOPE = ("ts", "event_type", "session_id", "seq", "experiment_id", "run_id", "parent_run_id")
BASE = datetime(2026, 11, 1, tzinfo=timezone.utc)
HURDLES = [0.03, 0.04, 0.05, 0.06, 0.07]
WINDOWS = [10, 20, 50, 100]
# One with a comma: CSV must quote it, and both contenders must agree.
LABELS = ["baseline", "tuned", "ablation-a", "ablation, no drift"]
EXPERIMENTS = ["ith-bull-demo", "ith-bear-demo"]


def dump(d):
    return json.dumps(d, separators=(",", ":"))


def hexdigits(rng, n):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def sha(rng):
    return "sha256:" + hexdigits(rng, 64)


def load_template():
    with open(TEMPLATE) as f:
        return [json.loads(line) for line in f]


def write_log(job):
    directory, index, size, template, commits = job
    rng = random.Random(index * 7919 + 17)
    start = BASE + timedelta(seconds=index * 37)
    session = "sess_%s_%06d_%s" % (
        start.strftime("%Y%m%d_%H%M%S"),
        index % 1_000_000,
        hexdigits(rng, 12),
    )
    experiment = EXPERIMENTS[1 if index % 3 == 0 else 0]
    commit = commits[index % len(commits)]
    dirty = index % 4 == 1
    root_seed = "0x" + hexdigits(rng, 16)
    hurdle = HURDLES[index % len(HURDLES)]
    window = WINDOWS[(index // 5) % len(WINDOWS)]
    label = LABELS[(index // 3) % len(LABELS)]
    failed = index % 25 == 7
    cut = index % 50 == 49
    clock = [start]
    seq = [0]

    def envelope(line, run_id):
        clock[0] += timedelta(microseconds=rng.randrange(5, 400))
        out = {
            "ts": clock[0].strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "event_type": line["event_type"],
            "session_id": session,
            "seq": seq[0],
            "experiment_id": experiment,
        }
        seq[0] += 1
        if run_id is not None:
            out["run_id"] = run_id
        if line.get("parent_run_id") is not None:
            out["parent_run_id"] = line["parent_run_id"]
        return out

    def payload(line):
        return {k: v for k, v in line.items() if k not in ENVELOPE}

    lines = []
    written = 0

    def emit(d):
        nonlocal written
        text = dump(d) + "\n"
        lines.append(text)
        written += len(text)

    epoch_template = next(l for l in template if l["event_type"] == "epoch_detected")
    # What comes after the epochs: the result schema and two results.
    tail_guess = sum(
        len(dump(l)) + 1 for l in template[template.index(epoch_template) + 1 :]
    )
    epochs = 0
    max_gain = 0.0
    nav = 1.0
    for line in template:
        event = line["event_type"]
        run_id = line.get("run_id")
        if event == "epoch_detected":
            if epochs:
                continue  # all written at the first one
            bar = 0
            while epochs == 0 or written + tail_guess < size:
                epochs += 1
                bar += rng.randrange(1, 40)
                gain = hurdle + rng.random() * 0.1
                loss = rng.random() * gain
                crest = nav
                nav = nav * (1 + gain)
                max_gain = max(max_gain, gain)
                d = envelope(line, run_id)
                d.update(
                    epoch_index=epochs,
                    bar_index=bar,
                    timestamp=None,
                    excess_gain=gain,
                    excess_loss=loss,
                    endorsing_crest=crest,
                    candidate_nadir=crest * (1 - loss),
                    tmaeg_threshold=hurdle,
                    position_type="bull" if experiment == EXPERIMENTS[0] else "bear",
                    nav_at_epoch=nav,
                )
                emit(d)
            if cut:
                break  # killed mid-run: no algorithm.result
            continue
        if event == "data.load":
            for name, rows in (("nav", 2000), ("benchmark", 2000 + index % 11)):
                d = envelope(line, run_id)
                q = payload(line)
                low = 0.9 + rng.random() * 0.1
                q.update(
                    input_name=name,
                    columns=[name],
                    sha256_hash=sha(rng),
                    row_count=rows,
                    shape=[rows],
                    value_range=[low, low + rng.random() * 2],
                )
                d.update(q)
                emit(d)
            continue
        d = envelope(line, run_id)
        p = payload(line)
        if event == "session.start":
            ctx = p["context"]
            ctx.update(
                session_id=session,
                experiment_id=experiment,
                start_time=start.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                root_seed={"seed": root_seed, "source": "environment"},
                git_sha=commit,
            )
            ctx["git"].update(sha=commit, short_sha=commit[:7], dirty=dirty)
        elif event == "algorithm.init" and line.get("parent_run_id") is None:
            config = dict(p["config"])
            config.update(hurdle=hurdle, window=window, label=label, bars=2000 + index % 7 * 500)
            p["config"] = dict(sorted(config.items()))
            p["config_hash"] = "sha256:" + hashlib.sha256(dump(p["config"]).encode()).hexdigest()
            p.update(random_seed=root_seed, git_sha=commit, git_dirty=dirty)
        elif event == "algorithm.init":
            p["config"] = hurdle
            p["config_hash"] = "sha256:" + hashlib.sha256(dump(hurdle).encode()).hexdigest()
            p.update(random_seed=root_seed, input_hash=sha(rng), git_sha=commit, git_dirty=dirty)
        elif event == "seed.derived":
            p.update(seed="0x" + hexdigits(rng, 16), root_seed=root_seed, root_seed_source="environment")
        elif event == "algorithm.result":
            inner = line.get("parent_run_id") is not None
            p.update(
                status="error" if failed else "ok",
                duration_ms=rng.random() * (5 if inner else 8) + epochs * 0.004,
                output_hash=None if failed else sha(rng),
                error="nav series has a gap at bar %d" % (index % 2000) if failed else None,
            )
            p["final_metrics"] = (
                {"epochs": float(epochs), "max_excess_gain": max_gain} if inner and not failed else {}
            )
        d.update(p)
        emit(d)
    path = os.path.join(directory, session + ".ndjson")
    with open(path, "w") as f:
        f.write("".join(lines))
    return written


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    directory, count, size = sys.argv[1], int(sys.argv[2]), parse_size(sys.argv[3])
    jobs = int(sys.argv[4]) if len(sys.argv) == 5 else 2
    os.makedirs(directory, exist_ok=True)
    template = load_template()
    rng = random.Random(11)
    commits = [hexdigits(rng, 40) for _ in range(5)]
    work = ((directory, i, size, template, commits) for i in range(count))
    with Pool(jobs) as pool:
        total = sum(pool.imap_unordered(write_log, work, chunksize=16))
    print(f"{directory}: {count} logs, {total} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
