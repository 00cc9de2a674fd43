#!/usr/bin/env python3
"""Cross-check the config hash golden vectors against PyPI's `rfc8785`.

Reads testdata/golden/config_hash.json (a list of {name, input, canonical,
sha256}), parses each input with `json.loads`, and checks that
`rfc8785.dumps(value)` equals `canonical` and that SHA-256 of it equals
`sha256`, so the Rust implementation's expectations are confirmed by code
nobody on this project wrote.

Integers beyond +/-(2**53 - 1): RFC 8785 only knows doubles, and `rfc8785`
refuses them with IntegerDomainError, which is checked (it is why config hash
v1 deviates). Our rule writes their exact digits instead, so such a vector is
checked by canonicalizing the same structure with each big integer replaced
by a unique string placeholder and then substituting `str(n)` for the quoted
placeholder: rfc8785 still decides key order, escaping and every other number.

Usage: python3 .ci/crosscheck/config_hash.py [path/to/config_hash.json]
Needs: pip install rfc8785
"""

from __future__ import annotations

import hashlib
import json
import sys
import uuid
from pathlib import Path
from typing import Any

try:
    import rfc8785
except ImportError:
    sys.exit("config_hash: the rfc8785 package is missing; run `pip install rfc8785`")

MAX_SAFE = 2**53 - 1
DEFAULT_GOLDEN = Path(__file__).resolve().parents[2] / "testdata" / "golden" / "config_hash.json"


def is_big_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and abs(x) > MAX_SAFE


def replace_big_ints(value: Any, marker: str, found: list[int]) -> Any:
    """`value` with each big integer replaced by the string f"{marker}{i}"."""
    if is_big_int(value):
        found.append(value)
        return f"{marker}{len(found) - 1}"
    if isinstance(value, list):
        return [replace_big_ints(v, marker, found) for v in value]
    if isinstance(value, dict):
        return {k: replace_big_ints(v, marker, found) for k, v in value.items()}
    return value


def canonical_with_exact_ints(value: Any, input_text: str) -> tuple[str, int]:
    """rfc8785's canonical text, big integers written with their exact digits.

    Returns the text and how many big integers it holds.
    """
    marker = f"bigint-{uuid.uuid4().hex}-"
    if marker in input_text:
        raise RuntimeError("placeholder collides with the input")  # practically impossible
    found: list[int] = []
    stand_in = replace_big_ints(value, marker, found)
    text = rfc8785.dumps(stand_in).decode("utf-8")
    # Substitute the highest index first so "…-1" never matches inside "…-10".
    for i in reversed(range(len(found))):
        quoted = f'"{marker}{i}"'
        if text.count(quoted) != 1:
            raise RuntimeError(f"placeholder {i} appears {text.count(quoted)} times")
        text = text.replace(quoted, str(found[i]))
    return text, len(found)


def check(vector: dict[str, Any]) -> tuple[list[str], bool]:
    """The mismatches of one vector, and whether it holds big integers."""
    name = vector.get("name", "<unnamed>")
    missing = [k for k in ("name", "input", "canonical", "sha256") if not isinstance(vector.get(k), str)]
    if missing:
        return [f"{name}: missing or non-string field(s) {', '.join(missing)}"], False

    try:
        value = json.loads(vector["input"])
    except json.JSONDecodeError as e:
        return [f"{name}: input is not JSON ({e})"], False
    problems = []
    try:
        expected = rfc8785.dumps(value).decode("utf-8")
        has_big = False
    except rfc8785.IntegerDomainError:
        # Refused by RFC 8785 proper; check our exact-digit extension.
        expected, count = canonical_with_exact_ints(value, vector["input"])
        has_big = count > 0
        if not has_big:
            problems.append(f"{name}: rfc8785 raised IntegerDomainError but no integer beyond 2**53-1 was found")
    except rfc8785.CanonicalizationError as e:
        return [f"{name}: rfc8785 cannot canonicalize the input ({e})"], False
    else:
        found: list[int] = []
        replace_big_ints(value, "x", found)
        if found:
            problems.append(f"{name}: holds {found} yet rfc8785 did not raise IntegerDomainError")

    if vector["canonical"] != expected:
        problems.append(
            f"{name}: canonical text differs\n    golden:  {vector['canonical']!r}\n    rfc8785: {expected!r}"
        )
    digest = "sha256:" + hashlib.sha256(vector["canonical"].encode("utf-8")).hexdigest()
    if vector["sha256"] != digest:
        problems.append(f"{name}: sha256 differs\n    golden:  {vector['sha256']}\n    hashlib: {digest}")
    return problems, has_big


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_GOLDEN
    vectors = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(vectors, list) or not vectors or not all(isinstance(v, dict) for v in vectors):
        print(f"config_hash: {path} is not a non-empty JSON array of objects", file=sys.stderr)
        return 1

    problems: list[str] = []
    names = [v.get("name") for v in vectors]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(f"duplicate vector names: {duplicates}")
    big = 0
    for vector in vectors:
        vector_problems, has_big = check(vector)
        problems.extend(vector_problems)
        big += has_big

    if problems:
        print(f"config_hash: {len(problems)} mismatch(es) against rfc8785 in {path}:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(
        f"config_hash: {len(vectors)} vectors match rfc8785 "
        f"({big} with integers beyond 2**53-1, refused by rfc8785 and checked with exact digits)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
