#!/usr/bin/env python3
"""Re-derives the array golden vectors with numpy + hashlib.

The Rust test `tests/golden_array_fingerprint.rs` checks our
`fingerprint_array` against `testdata/golden/array_fingerprint.json`; this
script checks that the same file agrees with numpy, which nobody here wrote:
    sha256            = hashlib.sha256(arr.tobytes())
    checksum_first_10 = hashlib.sha256(arr[:10].tobytes())  (0-d: arr.tobytes())
    range             = [nanmin, nanmax] (None when empty or all NaN)

Usage: array_fingerprint.py [--write]   (--write regenerates the file)
"""
import hashlib
import json
import math
import pathlib
import sys

import numpy as np

GOLDEN = pathlib.Path(__file__).resolve().parents[2] / "testdata/golden/array_fingerprint.json"

NAN, INF = float("nan"), float("inf")

# Each case: how to build the array. "values" are listed in C order for
# `shape`; "view" then transposes ("T"), permutes axes, or takes a step, and
# the fingerprint is of the resulting view (numpy's tobytes is C order).
CASES = [
    dict(name="float64_specials", dtype="float64", shape=[7],
         values=[0.5, -1.25, NAN, INF, -0.0, 1e308, 5e-324]),
    dict(name="float32_values", dtype="float32", shape=[5], values=[0.1, -2.5, NAN, 3.4e38, -INF]),
    dict(name="int64_extremes", dtype="int64", shape=[4], values=[-(2**63), -1, 0, 2**63 - 1]),
    dict(name="int32", dtype="int32", shape=[3], values=[3, -1, 7]),
    dict(name="int16", dtype="int16", shape=[4], values=[-32768, 32767, 0, -1]),
    dict(name="int8", dtype="int8", shape=[4], values=[-128, 127, 5, -5]),
    dict(name="uint64_max", dtype="uint64", shape=[3], values=[2**64 - 1, 3, 2**63]),
    dict(name="uint32", dtype="uint32", shape=[3], values=[0, 4294967295, 12]),
    dict(name="uint16", dtype="uint16", shape=[3], values=[65535, 0, 7]),
    dict(name="uint8", dtype="uint8", shape=[4], values=[255, 0, 1, 128]),
    dict(name="bool", dtype="bool", shape=[5], values=[True, False, True, True, False]),
    dict(name="matrix_12x3_first_10_rows", dtype="float64", shape=[12, 3],
         values=[i * 0.25 for i in range(36)]),
    dict(name="transposed_int32", dtype="int32", shape=[3, 4], values=list(range(12)), view="T"),
    dict(name="permuted_3d", dtype="float64", shape=[2, 3, 4],
         values=[float(i) for i in range(24)], view={"axes": [2, 0, 1]}),
    dict(name="strided_every_third", dtype="float64", shape=[20],
         values=[float(i) for i in range(20)], view={"step": 3}),
    dict(name="empty_float64", dtype="float64", shape=[0], values=[]),
    dict(name="all_nan", dtype="float64", shape=[3], values=[NAN, NAN, NAN]),
    dict(name="zero_d", dtype="float64", shape=[], values=[3.5]),
    # Large enough for the bulk and parallel paths (8 MB).
    dict(name="large_generated", dtype="float64", shape=[1000003],
         generator="half_index_nan_every_1000"),
]


def build(case):
    if "generator" in case:
        n = case["shape"][0]
        arr = np.arange(n, dtype=np.float64) * 0.5
        arr[::1000] = np.nan
    else:
        arr = np.array(case["values"], dtype=case["dtype"]).reshape(case["shape"])
    view = case.get("view")
    if view == "T":
        arr = arr.T
    elif isinstance(view, dict) and "axes" in view:
        arr = arr.transpose(view["axes"])
    elif isinstance(view, dict) and "step" in view:
        arr = arr[:: view["step"]]
    return arr


def number(x, dtype):
    if dtype == "bool":
        return bool(x)
    if dtype.startswith(("int", "uint")):
        return int(x)
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def expected(case):
    arr = build(case)
    dtype = str(arr.dtype)
    if arr.size == 0 or (arr.dtype.kind == "f" and np.isnan(arr).all()):
        rng = None
    elif arr.dtype.kind == "f":
        rng = [number(np.nanmin(arr), dtype), number(np.nanmax(arr), dtype)]
    else:
        rng = [number(arr.min(), dtype), number(arr.max(), dtype)]
    first = arr.tobytes() if arr.ndim == 0 else arr[:10].tobytes()
    return {
        "sha256": "sha256:" + hashlib.sha256(arr.tobytes()).hexdigest(),
        "shape": list(arr.shape),
        "dtype": dtype,
        "range": rng,
        "n_nans": int(np.isnan(arr).sum()) if arr.dtype.kind == "f" else 0,
        "checksum_first_10": "sha256:" + hashlib.sha256(first).hexdigest(),
    }


def encode_values(case):
    out = dict(case)
    if "values" in out:
        out["values"] = [number(v, case["dtype"]) for v in case["values"]]
    return out


def main():
    vectors = [dict(input=encode_values(c), expected=expected(c)) for c in CASES]
    if "--write" in sys.argv:
        GOLDEN.write_text(json.dumps(vectors, indent=1) + "\n")
        print(f"array_fingerprint: wrote {len(vectors)} vectors to {GOLDEN}")
        return 0
    committed = json.loads(GOLDEN.read_text())
    if len(committed) != len(vectors):
        print(f"array_fingerprint: {GOLDEN} has {len(committed)} vectors, numpy derives {len(vectors)}")
        return 1
    bad = 0
    for want, got in zip(vectors, committed):
        if want != got:
            bad += 1
            print(f"array_fingerprint: MISMATCH in {want['input']['name']}:\n  numpy: {want}\n  file:  {got}")
    if bad:
        return 1
    print(f"array_fingerprint: {len(vectors)} vectors match numpy {np.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
