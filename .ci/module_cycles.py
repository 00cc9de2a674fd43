#!/usr/bin/env python3
"""Module import cycles of a Rust crate, by a rough static reading.

usage: module_cycles.py CRATE_SRC_DIR [ROOT_FILE] [--mutual]   (e.g. provenance-cli/src lib.rs)

.ci/run checks every crate with it: no module imports one that imports it
back (a parent and its child included), nor any longer cycle.

Each file (and inline `mod x { }` is ignored) is a module. An import is any
path `crate::a::b::Item`, `super::…`, `self::…`, or a `use` of a child
module's path, found anywhere in the file (use lines and inline paths).
The edge goes to the module where the item is *defined*, following
`pub use` re-exports (named and glob), so `use super::LogError` where the
parent re-exports `errors::LogError` is an edge to `errors`, not to the
parent. A module declaring `mod child;` is not by that an import of it.
Prints every cycle (strongly connected component of more than one module).
"""
import os
import re
import sys

src = sys.argv[1]
root_file = sys.argv[2] if len(sys.argv) > 2 else ("lib.rs" if os.path.exists(os.path.join(src, "lib.rs")) else "main.rs")

files = {}  # module path tuple -> text


def strip(src):
    """The source without comments, string and char literals."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c in "rb" and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")) and re.match(r"(?:br|r)#*\"", src[i:]):
            m = re.match(r"(?:br|r)(#*)\"", src[i:])
            end = src.find('"' + m.group(1), i + m.end())
            out.append('""')
            i = n if end < 0 else end + 1 + len(m.group(1))
        elif c == '"':
            i += 1
            while i < n and src[i] != '"':
                i += 2 if src[i] == "\\" else 1
            out.append('""')
            i += 1
        elif c == "'" and re.match(r"'(?:\\.|[^\\'])+'", src[i:]) and not re.match(r"'\w+[^'\w]", src[i:]):
            m = re.match(r"'(?:\\[^']*|[^\\'])'", src[i:]) or re.match(r"'(?:\\.|[^\\'])+'", src[i:])
            out.append("' '")
            i += m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def load(path, module):
    text = open(path, encoding="utf-8").read()
    text = strip(text)
    # Test modules are not part of the shape.
    text = re.sub(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*;", "", text)
    while True:
        m = re.search(r"#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*mod\s+\w+\s*\{", text)
        if not m:
            break
        end = match_brace(text, m.end() - 1)
        text = text[:m.start()] + text[end + 1:]
    files[module] = text
    base = os.path.dirname(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    child_dir = base if stem in ("lib", "main", "mod") else os.path.join(base, stem)
    for m in re.finditer(r"(?:#\[path\s*=\s*\"([^\"]+)\"\]\s*)?(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", text):
        name = m.group(2)
        for cand in (os.path.join(child_dir, name + ".rs"), os.path.join(child_dir, name, "mod.rs")):
            if os.path.exists(cand):
                load(cand, module + (name,))
                break



item_re = re.compile(r"\b(?:struct|enum|fn|trait|type|const|static|union|macro_rules!)\s+(\w+)")


def absolute(module, parts):
    parts = list(parts)
    if not parts:
        return None
    if parts[0] == "crate":
        return tuple(parts[1:])
    cur = list(module)
    if parts[0] == "self":
        return tuple(cur + parts[1:])
    while parts and parts[0] == "super":
        cur = cur[:-1]
        parts = parts[1:]
        if not parts or parts[0] != "super":
            return tuple(cur + parts)
    # A path starting with a child module's name.
    if tuple(cur + [parts[0]]) in files:
        return tuple(cur + parts)
    return None


def expand_use(body):
    """`a::{b, c::{d, e}}` -> [[a,b],[a,c,d],[a,c,e]] (with `*` and `self`)."""
    body = re.sub(r"\s+as\s+", "@AS@", body)
    body = re.sub(r"\s+", "", body)
    out = []

    def rec(prefix, s):
        i = s.find("{")
        if i < 0:
            for part in split_top(s):
                p = part.split("@AS@")[0]
                segs = [x for x in p.split("::") if x]
                out.append(prefix + segs)
            return
        head = s[:i]
        j = match_brace(s, i)
        inner = s[i + 1:j]
        segs = [x for x in head.split("::") if x]
        for part in split_top(inner):
            rec(prefix + segs, part)

    for part in split_top(body):
        rec([], part)
    return [[seg for seg in p if seg != "self"] or p for p in out]


def split_top(s):
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        parts.append(cur)
    return parts


def match_brace(s, i):
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(s) - 1


load(os.path.join(src, root_file), ())
defs = {m: set() for m in files}
reexports = {m: [] for m in files}
uses = {m: [] for m in files}
for module, text in files.items():
    defs[module] = set(item_re.findall(text))
    for m in re.finditer(r"\b(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", text):
        is_pub = bool(m.group(1))
        for path in expand_use(m.group(2)):
            absolute_path = absolute(module, path)
            if absolute_path is None:
                continue
            uses[module].append(absolute_path)
            if is_pub:
                reexports[module].append((path[-1] if path[-1] != "*" else "*", absolute_path))
    # Inline paths through a child module (`quick::parse(..)` in `tape`).
    for m in re.finditer(r"(?<![\w:])(\w+)((?:::\w+)+)", text):
        if module + (m.group(1),) in files:
            uses[module].append(module + tuple(m.group(0).split("::")))
    for m in re.finditer(r"\b((?:crate|super|self)(?:::\w+)+)", text):
        absolute_path = absolute(module, m.group(1).split("::"))
        if absolute_path is not None:
            uses[module].append(absolute_path)


def owner(path, depth=0):
    """The module defining the item at `path` (or the module itself)."""
    if depth > 20:
        return None
    path = tuple(path)
    if path in files:
        return path
    if path and path[-1] == "*":
        return path[:-1] if path[:-1] in files else None
    # Longest module prefix.
    for k in range(len(path) - 1, -1, -1):
        mod = path[:k]
        if mod in files:
            rest = path[k:]
            name = rest[0]
            if name in defs[mod]:
                return mod
            for (n, target) in reexports[mod]:
                if n == name:
                    return owner(target, depth + 1) or mod
            for (n, target) in reexports[mod]:
                if n == "*":
                    base = target[:-1]
                    o = owner(base + (name,), depth + 1)
                    if o is not None and o != base:
                        return o
                    if o == base and base in files and name in defs[base]:
                        return base
            return mod
    return None


edges = {m: set() for m in files}
for module, paths in uses.items():
    for p in paths:
        o = owner(p)
        if o is None or o == module:
            continue
        # A module using its own descendant's item by the path it declared
        # is still an import; a child naming its ancestor module is not by
        # itself (only the items it takes).
        if len(o) < len(module) and module[:len(o)] == o and p == o:
            continue
        edges[module].add(o)

# Tarjan's SCC.
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)


def strong(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges[v]:
        if w not in index:
            strong(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(comp)


for v in files:
    if v not in index:
        strong(v)

name = lambda m: "::".join(m) or "<root>"
mutual = sorted({tuple(sorted((a, b))) for a in edges for b in edges[a] if a in edges.get(b, ())})
for a, b in mutual:
    print(f"mutual: {name(a)} <-> {name(b)}")
if "--mutual" in sys.argv:
    sys.exit(1 if mutual else 0)
if not sccs:
    print(f"{src}: no module cycles ({len(files)} modules)")
for comp in sccs:
    members = set(comp)
    print("cycle:", ", ".join(sorted(name(m) for m in comp)))
    for m in sorted(comp):
        for w in sorted(edges[m] & members):
            print(f"    {name(m)} -> {name(w)}")
sys.exit(1 if sccs else 0)
