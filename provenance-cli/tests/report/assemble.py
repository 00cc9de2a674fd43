#!/usr/bin/env python3
"""Build a report page from a data file the way `provenance report` does (a dev helper).

    python3 assemble.py data.json out.html [--live URL]

The template's three markers, each once and on its own line, are replaced by
<style>CSS</style>, the data script tag (the JSON with every `<` written as
\\u003c, so no `</script>` or `<!--` can end it early) and <script>JS</script>.
"""
import argparse
import html
import json
import pathlib
import sys

ASSETS = pathlib.Path(__file__).resolve().parents[2] / "assets" / "report"
STYLE, DATA, SCRIPT = "<!--PROVENANCE:STYLE-->", "<!--PROVENANCE:DATA-->", "<!--PROVENANCE:SCRIPT-->"


def reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def assemble(data, live=None):
    template = (ASSETS / "report.html").read_text("utf-8")
    css = (ASSETS / "report.css").read_text("utf-8")
    js = (ASSETS / "report.js").read_text("utf-8")
    lines = [line.strip() for line in template.splitlines()]
    for marker in (STYLE, DATA, SCRIPT):
        if template.count(marker) != 1 or lines.count(marker) != 1:
            raise ValueError(f"report.html must hold {marker} exactly once, on its own line")
    # These would end the inlined block early.
    if "</style" in css.lower():
        raise ValueError("report.css contains </style")
    if "</script" in js.lower() or "<!--" in js:
        raise ValueError("report.js contains </script or <!--")
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
    live_attr = f' data-live="{html.escape(live, quote=True)}"' if live else ""
    blocks = [
        (STYLE, "<style>" + css + "</style>"),
        (DATA, f'<script type="application/json" id="provenance-data"{live_attr}>' + payload + "</script>"),
        (SCRIPT, "<script>" + js + "</script>"),
    ]
    for marker, block in blocks:
        template = template.replace(marker, block, 1)
    return template


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", help="report data JSON (format provenance-report, version 1)")
    ap.add_argument("out", help="the HTML page to write")
    ap.add_argument("--live", metavar="URL", help="same-origin URL the page polls for new data, e.g. /data.json")
    args = ap.parse_args()
    try:
        data = json.loads(pathlib.Path(args.data).read_text("utf-8"), parse_constant=reject_constant)
        page = assemble(data, args.live)
    except (OSError, ValueError) as e:
        sys.exit(f"assemble.py: {e}")
    pathlib.Path(args.out).write_text(page, "utf-8")


if __name__ == "__main__":
    main()
