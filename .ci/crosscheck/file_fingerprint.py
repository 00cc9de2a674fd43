#!/usr/bin/env python3
"""Re-derives the file golden vectors with the `sha256sum` command.

Files are the committed ones in testdata/golden/files/, plus one generated
here (3 MiB + 12,345 bytes, byte i = (i * 31) % 251) so the streaming path
crosses several read buffers. Usage: file_fingerprint.py [--write]
"""
import json
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "testdata/golden/file_fingerprint.json"
FILES = ["empty.bin", "abc.txt", "prices.csv", "binary.bin"]
GENERATED_LEN = 3 * 2**20 + 12345


def sha256sum(path):
    out = subprocess.run(["sha256sum", str(path)], check=True, capture_output=True, text=True).stdout
    return "sha256:" + out.split()[0]


def vectors():
    out = []
    for name in FILES:
        path = ROOT / "testdata/golden/files" / name
        out.append({"file": name, "size_bytes": path.stat().st_size, "sha256": sha256sum(path)})
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "generated.bin"
        path.write_bytes(bytes((i * 31) % 251 for i in range(GENERATED_LEN)))
        out.append({"generator": "mod251", "size_bytes": GENERATED_LEN, "sha256": sha256sum(path)})
    return out


def main():
    want = vectors()
    if "--write" in sys.argv:
        GOLDEN.write_text(json.dumps(want, indent=1) + "\n")
        print(f"file_fingerprint: wrote {len(want)} vectors")
        return 0
    got = json.loads(GOLDEN.read_text())
    if got != want:
        print(f"file_fingerprint: MISMATCH between {GOLDEN} and sha256sum:\n  file:      {got}\n  sha256sum: {want}")
        return 1
    print(f"file_fingerprint: {len(want)} vectors match sha256sum")
    return 0


if __name__ == "__main__":
    sys.exit(main())
