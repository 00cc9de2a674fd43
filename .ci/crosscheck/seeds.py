#!/usr/bin/env python3
"""Re-derives the seed golden vectors with hashlib and an independent ChaCha20.

    component seed = u64_le(sha256(b"provenance-seed-v1\\0" + u64_le(root) + utf8(name))[:8])
    in-run seed    = u64_le(sha256(b"provenance-seed-v2\\0" + u64_le(root)
                            + u64_le(len(utf8(run_id))) + utf8(run_id) + utf8(name))[:8])
    rng key        = sha256(b"provenance-rng-v1\\0" + u64_le(seed))
    stream         = ChaCha20 keystream (64-bit nonce 0, counter from 0),
                     read as little-endian u64 words

The ChaCha20 here is pycryptodome's (original 8-byte-nonce variant), which
nobody here wrote. Usage: seeds.py [--write]
"""
import hashlib
import json
import pathlib
import sys

from Crypto.Cipher import ChaCha20

GOLDEN = pathlib.Path(__file__).resolve().parents[2] / "testdata/golden/seeds.json"
RUN_GOLDEN = GOLDEN.with_name("run_seeds.json")

CASES = [
    (42, "bootstrap"),
    (42, "noise"),
    (0, ""),
    (2**64 - 1, "model"),
    (20260125, "sampler/épreuve ✓"),
]

# (root, run_id, name): sequential siblings, a nested run, a carried worker,
# an escaped name, the extremes, and a pair that only the length prefix
# tells apart.
RUN_CASES = [
    (42, "main#1/simulate_path#1", "paths"),
    (42, "main#1/simulate_path#2", "paths"),
    (7, "ith_experiment#1", "nav"),
    (7, "sweep#1/worker@3f9a0c2b#1", "bootstrap"),
    (0, "a%2Fb#1", ""),
    (2**64 - 1, "x#1", "model"),
    (1, "ab#1", "c"),
    (1, "ab#1c", ""),
    (20260125, "épreuve#1/✓#2", "sampler"),
]


def u64_le(x):
    return x.to_bytes(8, "little")


def derive(root, name):
    digest = hashlib.sha256(b"provenance-seed-v1\0" + u64_le(root) + name.encode()).digest()
    return int.from_bytes(digest[:8], "little")


def derive_in_run(root, run_id, name):
    run = run_id.encode()
    digest = hashlib.sha256(
        b"provenance-seed-v2\0" + u64_le(root) + u64_le(len(run)) + run + name.encode()
    ).digest()
    return int.from_bytes(digest[:8], "little")


def first_u64s(seed, n=4):
    key = hashlib.sha256(b"provenance-rng-v1\0" + u64_le(seed)).digest()
    stream = ChaCha20.new(key=key, nonce=bytes(8)).encrypt(bytes(8 * n))
    return key.hex(), [int.from_bytes(stream[8 * i : 8 * i + 8], "little") for i in range(n)]


def vectors():
    out = []
    for root, name in CASES:
        seed = derive(root, name)
        key, words = first_u64s(seed)
        out.append({"root": root, "name": name, "seed": seed, "key": key, "first_u64": words})
    return out


def run_vectors():
    out = []
    for root, run_id, name in RUN_CASES:
        seed = derive_in_run(root, run_id, name)
        _, words = first_u64s(seed)
        out.append({"root": root, "run_id": run_id, "name": name, "seed": seed, "first_u64": words})
    return out


def check(path, want, label):
    if "--write" in sys.argv:
        path.write_text(json.dumps(want, indent=1, ensure_ascii=False) + "\n")
        print(f"{label}: wrote {len(want)} vectors")
        return 0
    got = json.loads(path.read_text())
    if got != want:
        print(f"{label}: MISMATCH between {path} and hashlib/pycryptodome:\n  file:      {got}\n  reference: {want}")
        return 1
    print(f"{label}: {len(want)} vectors match hashlib + pycryptodome ChaCha20")
    return 0


def main():
    status = check(GOLDEN, vectors(), "seeds")
    return status | check(RUN_GOLDEN, run_vectors(), "run seeds")


if __name__ == "__main__":
    sys.exit(main())
