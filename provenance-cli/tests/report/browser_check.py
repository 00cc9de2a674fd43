#!/usr/bin/env python3
"""Open a provenance report in Debian's headless Chromium and print, as one JSON
object on stdout, what a person sees in each view.

    python3 browser_check.py URL SCREENSHOT_DIR [--select KEY,KEY] [--filter TEXT]
                             [--sort COLUMN] [--wait-for-run RUN_NAME]

Needs `apt-get install -y chromium chromium-driver` and `pip install selenium`.
Exits 0 when it could drive the page, whatever it saw (problems met on the way
are listed under "errors"); non-zero, with a message on stderr, when it could not.
"""
import argparse
import json
import os
import pathlib
import shutil
import sys
import tempfile
import time
import urllib.parse

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1400,1000"]
SHOTS = ["runs", "compare", "metrics", "config", "lineage", "run"]


class CannotDrive(Exception):
    """The page could not be opened or is not a provenance report."""


def js_str(s):
    return json.dumps(s)


def css_attr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Page:
    def __init__(self, driver, out):
        self.d = driver
        self.out = out

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def wait(self, cond, timeout=10.0, what="condition"):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if cond():
                return True
            time.sleep(0.05)
        raise TimeoutError(f"waited {timeout:.0f} s for {what}")

    def tab(self, name):
        """Clicks a tab, as a person would, and waits until its view has drawn."""
        from selenium.webdriver.common.by import By
        self.click(self.d.find_element(By.CSS_SELECTOR, f'nav a[data-tab="{name}"]'))
        self.wait(lambda: self.js("return document.body.dataset.view") == name, what=f"the {name} view")

    def shot(self, name, shots):
        self.js("window.scrollTo(0, 0)")
        self.d.save_screenshot(str(shots / f"{name}.png"))

    def step(self, name, fn):
        try:
            return fn()
        except Exception as e:  # what it saw is for the caller to judge: note it and go on
            msg = getattr(e, "msg", None) or str(e) or type(e).__name__
            self.out["errors"].append(f"{name}: {type(e).__name__}: {msg.splitlines()[0] if msg else ''}")
            return None

    def click(self, el):
        """Clicks as a person would: first bringing the control to the middle of the window,
        clear of the sticky tab bar."""
        self.js("arguments[0].scrollIntoView({block: 'center'})", el)
        el.click()

    def table(self):
        return self.js("""
            const t = document.querySelector('#runs-table table');
            if (!t) return {columns: [], rows: []};
            const keep = c => !c.classList.contains('pick');
            const columns = [...t.tHead.rows[0].cells].filter(keep).map(c => {
              const b = c.querySelector('button.sort');
              return b ? b.firstChild.textContent.trim() : c.innerText.trim();
            });
            const rows = [...t.tBodies[0].rows].filter(r => !r.querySelector('td.empty'))
              .map(r => [...r.cells].filter(keep).map(c => c.innerText.trim()));
            return {columns, rows};
        """)

    def text(self, el_id):
        return self.js("const e = document.getElementById(arguments[0]); return e ? e.innerText.trim() : null;", el_id)


def run_column(table):
    cols = table["columns"]
    i = cols.index("run") if "run" in cols else 0
    return [r[i] if i < len(r) else "" for r in table["rows"]]


def type_filter(page, text):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    box = page.d.find_element(By.ID, "filter")
    page.click(box)
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    if text:
        box.send_keys(text)
    page.wait(lambda: page.js("return document.getElementById('filter').value") == text, what="the filter text")


def select_runs(page, keys):
    """Ticks each run's box, paging through the table until it shows up."""
    from selenium.webdriver.common.by import By
    missing = []
    for key in keys:
        for _ in range(1000):
            if page.js("return document.getElementById('prev').disabled"):
                break
            page.click(page.d.find_element(By.ID, "prev"))
        for _ in range(1000):
            boxes = page.d.find_elements(By.CSS_SELECTOR, f"#runs-table input[data-key={css_attr(key)}]")
            if boxes:
                if not boxes[0].is_selected():
                    page.click(boxes[0])
                break
            if page.js("return document.getElementById('next').disabled"):
                missing.append(key)
                break
            page.click(page.d.find_element(By.ID, "next"))
        else:
            missing.append(key)
    return missing


def metrics_interaction(page):
    """Hovers the first chart, drags across its middle half, then double-clicks it."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    charts = page.d.find_elements(By.CSS_SELECTOR, "#metrics-body .chart")
    if not charts:
        return None
    name = charts[0].get_attribute("data-name")
    sel = f"#metrics-body .chart[data-name={css_attr(name)}]"
    over = page.d.find_element(By.CSS_SELECTOR, sel + " rect.over")
    w = over.size["width"]
    ActionChains(page.d).move_to_element(over).perform()
    hover = page.js(f"const t = document.querySelector({js_str(sel + ' .tip')}); return t && !t.hidden ? t.innerText : null;")
    ActionChains(page.d).move_to_element_with_offset(over, int(-w / 4), 0).click_and_hold() \
        .move_by_offset(int(w / 2), 0).release().perform()
    hint = f"return document.querySelector({js_str(sel + ' .hint')}).innerText"
    zoomed = page.js(hint)
    over = page.d.find_element(By.CSS_SELECTOR, sel + " rect.over")
    ActionChains(page.d).double_click(over).perform()
    return {"chart": name, "hover": hover, "zoomed": zoomed, "reset": page.js(hint)}


def chart_geometry(page):
    """For each chart, as drawn: each line's x coordinates (in drawing order, its path's
    M and L points) and bounding box, each lone-point dot's bounding box, and the step axis's
    labels with their left and right ends."""
    return page.js("""
        const box = e => { const b = e.getBBox(); return {x: b.x, width: b.width, height: b.height}; };
        const charts = {};
        for (const c of document.querySelectorAll('#metrics-body .chart')) {
          const lines = [...c.querySelectorAll('path.series')].map(p => ({
            run: p.dataset.run, box: box(p),
            xs: [...(p.getAttribute('d') || '').matchAll(/[ML](-?[0-9.]+) /g)].map(m => +m[1]),
          }));
          const dots = [...c.querySelectorAll('path.dots')].map(p => ({run: p.dataset.run, box: box(p)}));
          const labels = [...c.querySelectorAll('text.tick-x')].map(t => {
            const b = t.getBBox(); return {text: t.textContent, left: b.x, right: b.x + b.width};
          });
          charts[c.dataset.name] = {lines, dots, labels};
        }
        return charts;
    """)


def drive(driver, url, args, shots):
    from selenium.webdriver.common.by import By
    out = {"url": url, "errors": []}
    page = Page(driver, out)
    driver.set_page_load_timeout(30)
    # Leave the browser's own start page first, so its requests are not counted as the report's.
    driver.get("about:blank")
    driver.get_log("performance")
    driver.get_log("browser")
    driver.get(url)
    if not page.js("return !!document.getElementById('provenance-data')"):
        raise CannotDrive(f"{url} is not a provenance report (no #provenance-data); its title: {driver.title!r}")
    page.step("first render", lambda: page.wait(lambda: page.js("return document.documentElement.dataset.ready") == "1",
                                                what="the first render"))
    keys = [k for k in (args.select or "").split(",") if k]

    out["header"] = page.step("header", lambda: {k: page.text(k) for k in ("generated", "logs", "options", "notice")})
    page.step("runs", lambda: page.tab("runs"))
    out["table"] = page.step("table", page.table)
    out["count_line"] = page.text("count-line")
    out["paging"] = page.text("paging")
    if args.filter is not None:
        def filtered():
            type_filter(page, args.filter)
            rows = page.table()["rows"]
            out["filtered_paging"] = page.text("paging")
            type_filter(page, "")
            return rows
        out["filtered"] = page.step("filter", filtered)
    if args.sort:
        def sort():
            page.click(driver.find_element(By.CSS_SELECTOR, f"#runs-table button.sort[data-col={css_attr(args.sort)}]"))
            return run_column(page.table())
        out["sorted"] = page.step("sort", sort)
    if keys:
        out["select_missing"] = page.step("select", lambda: select_runs(page, keys))
    page.step("runs.png", lambda: page.shot("runs", shots))

    def compare():
        page.tab("compare")
        rows = "return [...document.querySelectorAll(arguments[0])].map(r => r.cells[0].innerText.trim())"
        has_table = page.js("return !!document.querySelector('#compare-body table')")
        res = {"differs": page.js(rows, "#compare-body tr.differs"), "message": None if has_table else page.text("compare-body")}
        page.shot("compare", shots)
        page.click(driver.find_element(By.ID, "compare-all"))
        res["all"] = page.js(rows, "#compare-body tr[data-field]")
        page.click(driver.find_element(By.ID, "compare-all"))
        return res
    out["compare"] = page.step("compare", compare)

    def metrics():
        page.tab("metrics")
        res = page.js("""
            const charts = {};
            for (const c of document.querySelectorAll('#metrics-body .chart'))
              charts[c.dataset.name] = c.querySelectorAll('path.series').length;
            return {charts, notes: [...document.querySelectorAll('#metrics-body .ds-note')].map(p => p.innerText.trim()),
                    message: (document.querySelector('#metrics-body .empty') || {}).innerText || null};
        """)
        out["downsample_notes"] = res["notes"]
        out["chart_geometry"] = page.step("chart geometry", lambda: chart_geometry(page))
        out["metrics_message"] = res["message"]
        page.shot("metrics", shots)
        out["metrics_interaction"] = page.step("metrics interaction", lambda: metrics_interaction(page))
        return res["charts"]
    out["metrics"] = page.step("metrics", metrics)

    def parallel():
        page.tab("config")
        page.shot("config", shots)
        out["parallel_metric"] = page.js("return document.getElementById('pc-metric').value")
        return page.js("return document.querySelectorAll('#config-body .pc-line').length")
    out["parallel"] = page.step("config vs metric", parallel)

    def lineage():
        page.tab("lineage")
        res = page.js("""
            const labels = kind => [...document.querySelectorAll('#lineage-body g.node[data-kind=' + kind + ']')]
              .map(g => g.querySelector('text').textContent);
            return {files: labels('file'), runs: labels('run'),
                    edges: document.querySelectorAll('#lineage-body .edge').length,
                    message: (document.querySelector('#lineage-body .empty') || {}).innerText || null};
        """)
        page.shot("lineage", shots)
        nodes = driver.find_elements(By.CSS_SELECTOR, "#lineage-body g.node[data-kind=run]")
        if nodes:
            page.click(nodes[0])
            page.wait(lambda: page.js("return document.body.dataset.view") == "run", what="a run node to open its run")
            res["click_opens"] = page.js("return location.hash")
        return res
    out["lineage"] = page.step("lineage", lineage)

    def run_view():
        key = keys[0] if keys else page.js("""const t = JSON.parse(document.getElementById('provenance-data').textContent);
            const r = ((t.table || {}).rows || []).find(r => r.key != null); return r ? r.key : Object.keys(t.runs || {})[0] || null;""")
        page.js("location.hash = arguments[0]", "#run=" + urllib.parse.quote(str(key or ""), safe=""))
        page.wait(lambda: page.js("return document.body.dataset.view") == "run", what="the run view")
        res = {"key": key, "header": page.text("run-header"), "rerun": page.text("rerun")}
        if res["header"] is None:
            res["message"] = page.text("run-body")
        buttons = driver.find_elements(By.CSS_SELECTOR, "#run-body .rerun button")
        if buttons:
            page.click(buttons[0])
            time.sleep(0.3)
            res["copy"] = page.js("return document.querySelector('#run-body .rerun span').innerText")
        page.shot("run", shots)
        return res
    out["run"] = page.step("run", run_view)

    if args.wait_for_run:
        def wait_for_run():
            page.js("window.__provenanceCheck = 1")
            page.tab("runs")
            type_filter(page, args.wait_for_run)
            t0 = time.monotonic()
            seen = False
            while time.monotonic() - t0 < 20:
                if args.wait_for_run in run_column(page.table()):
                    seen = True
                    break
                time.sleep(0.25)
            res = {"appeared": seen, "seconds": round(time.monotonic() - t0, 1),
                   "reloaded": not page.js("return window.__provenanceCheck === 1"),
                   "live": page.text("live"), "paging": page.text("paging")}
            type_filter(page, "")
            res["count_line"] = page.text("count-line")
            return res
        res = page.step("wait for run", wait_for_run) or {"appeared": False}
        out["appeared"] = res.pop("appeared")
        out["after_wait"] = res
    if args.wait_for_rows:
        def wait_for_rows():
            page.js("window.__provenanceCheck = 1")
            page.tab("runs")
            type_filter(page, "")
            # The caller changes the logs once it reads this line.
            print("provenance-browser-check: waiting", file=sys.stderr, flush=True)
            t0 = time.monotonic()
            seen = False
            while time.monotonic() - t0 < 30:
                if len(page.table()["rows"]) >= args.wait_for_rows:
                    seen = True
                    break
                time.sleep(0.25)
            return {"appeared": seen, "seconds": round(time.monotonic() - t0, 1),
                    "reloaded": not page.js("return window.__provenanceCheck === 1"),
                    "rows": len(page.table()["rows"]), "live": page.text("live")}
        res = page.step("wait for rows", wait_for_rows) or {"appeared": False}
        out["appeared"] = res.pop("appeared") and not res.get("reloaded", True)
        out["after_wait"] = res
    out["live"] = page.text("live") if page.js("return !document.getElementById('live').hidden") else None

    out["console"] = [f"{e.get('level')}: {e.get('message')}" for e in driver.get_log("browser")
                      if e.get("level") in ("WARNING", "SEVERE")]
    page_url = url.split("#")[0]
    requests = []
    for entry in driver.get_log("performance"):
        try:
            msg = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        if msg.get("method") != "Network.requestWillBeSent":
            continue
        params = msg.get("params", {})
        req = params.get("request", {}).get("url", "")
        if params.get("documentURL", "").startswith("chrome://"):
            continue  # a page of the browser's own, not the report
        if req.split("#")[0] == page_url or req.startswith(("data:", "about:")) or req in requests:
            continue
        requests.append(req)
    out["requests"] = requests
    out["screenshots"] = sorted(p.name for p in shots.glob("*.png") if p.stem in SHOTS)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url", help="the page: a file:// or http:// URL, or a path")
    ap.add_argument("screenshot_dir")
    ap.add_argument("--select", help="run keys to tick, comma-separated")
    ap.add_argument("--filter", help="text to type in the Runs filter box")
    ap.add_argument("--sort", help="column header to click once")
    ap.add_argument("--wait-for-run", help="after the views, wait up to 20 s for a row with this run name")
    ap.add_argument("--wait-for-rows", type=int, help="after the views, print 'provenance-browser-check: waiting' on stderr, then wait up to 30 s (no reload) until the Runs table shows this many rows")
    args = ap.parse_args()

    url = args.url
    if "://" not in url:
        url = pathlib.Path(url).resolve().as_uri()
    if url.startswith("file://"):
        path = urllib.parse.unquote(urllib.parse.urlparse(url).path)
        if not os.path.isfile(path):
            sys.exit(f"browser_check.py: page not found: {path}")
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not os.access(binary, os.X_OK):
            sys.exit(f"browser_check.py: {binary} is missing: apt-get install -y chromium chromium-driver")
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        sys.exit("browser_check.py: selenium is missing: pip install selenium")
    os.environ["SE_OFFLINE"] = "true"  # never let selenium-manager download anything

    shots = pathlib.Path(args.screenshot_dir)
    shots.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="provenance-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ARGS + [f"--user-data-dir={profile}"]:
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = None
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        out = drive(driver, url, args, shots)
    except CannotDrive as e:
        sys.exit(f"browser_check.py: {e}")
    except WebDriverException as e:
        sys.exit(f"browser_check.py: could not drive chromium: {(e.msg or str(e)).splitlines()[0]}")
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
