//! `provenance report`, looked at in a real browser: Debian's headless
//! Chromium, driven by `tests/report/browser_check.py` (Selenium), opens
//! the page written for real logs (a sweep of the main example over seeds
//! and hurdles, and the two-stage pipeline) and reports what a person
//! sees; this test holds it to `runs --json`, the logs and the lineage.
//! The screenshots it takes are kept in `$CARGO_TARGET_TMPDIR/report`
//! (and copied to `docs/images/` with `PROVENANCE_UPDATE_SCREENSHOTS=1`).

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use provenance_test_support::experiment::{self, Git};
use provenance_test_support::provenance;
use provenance_test_support::readers::skip_unless_required;
use serde_json::Value;
use support::Workspace;

/// The page's data, read back from its script element.
fn page_data(page: &Path) -> Value {
    let html = std::fs::read_to_string(page).unwrap();
    let open = r#"<script type="application/json" id="provenance-data">"#;
    let start = html.find(open).expect("the data element") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("the data is JSON")
}

/// What the browser saw, or `None` where it may be skipped.
fn look(test: &str, url: &str, shots: &Path, args: &[&str]) -> Option<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/report/browser_check.py");
    let out = match std::process::Command::new("python3")
        .arg(&script)
        .arg(url)
        .arg(shots)
        .args(args)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            skip_unless_required(test, &format!("python3 cannot run ({e})"));
            return None;
        }
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stderr}");
    if !out.status.success() {
        skip_unless_required(test, &format!("the browser could not be driven: {stderr}"));
        return None;
    }
    Some(serde_json::from_slice(&out.stdout).expect("browser_check prints one JSON object"))
}

/// The sweep: `ith_epochs` over four seeds and two hurdles, plus one pair
/// of runs that differ only in their seed.
fn sweep(ws: &Workspace) {
    for hurdle in ["0.03", "0.05"] {
        for seed in ["1", "2", "3", "4"] {
            let label = format!("h{hurdle}-s{seed}");
            ws.run_example(&label, seed, &["--hurdle", hurdle, "--bars", "300"]);
        }
    }
}

fn screenshots(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("report")
        .join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_string))
        .collect()
}

#[test]
fn the_report_shows_the_runs_table_compare_charts_and_lineage_as_the_logs_say() {
    let ws = Workspace::new();
    sweep(&ws);
    // The two-stage pipeline, for the lineage.
    let exp = experiment::build(Git::Repository);
    let dir = exp.dir.path();
    std::fs::write(dir.join("raw.csv"), "1.0\n1.5\n2.5\n2.0\n3.5\n").unwrap();
    exp.run(&["stage1", "raw.csv", "2"], None);
    exp.run(&["stage2", "features.csv", "2.0"], None);
    let pipeline_logs = dir.join("logs/provenance");

    let page = ws.path().join("report.html");
    let logs = ws.path().display().to_string();
    let pipeline = pipeline_logs.display().to_string();
    let written = provenance(
        ws.path(),
        &["report", &logs, &pipeline, "-o", page.to_str().unwrap()],
    );
    assert_eq!(written.code, 0, "{}{}", written.stdout, written.stderr);
    let data = page_data(&page);
    let listed = provenance(ws.path(), &["runs", "--json", &logs, &pipeline]).json();
    let listed = listed.as_array().unwrap();

    // Two runs of one configuration, seeds 1 and 2: they differ in seeds only.
    let key_of = |file: &str| -> String {
        let runs = data["runs"].as_object().unwrap();
        runs.values()
            .find(|r| r["file"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("no run from {file}"))["key"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (a, b) = (key_of("h0.05-s1.ndjson"), key_of("h0.05-s2.ndjson"));
    let url = format!("file://{}", page.display());
    let shots = screenshots("static");
    let select = format!("{a},{b}");
    let Some(seen) = look(
        "report",
        &url,
        &shots,
        &[
            "--select",
            &select,
            "--filter",
            "FEATURES",
            "--sort",
            "metric.nav",
        ],
    ) else {
        return;
    };

    // The table: the rows `runs --json` lists, every one on the first page.
    let table = &seen["table"];
    let columns = strings(&table["columns"]);
    let run_col = columns
        .iter()
        .position(|c| c == "run")
        .expect("a run column");
    let session_col = columns.iter().position(|c| c == "session").unwrap();
    let shown: BTreeSet<(String, String)> = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let r = strings(r);
            (r[session_col].clone(), r[run_col].clone())
        })
        .collect();
    let expected: BTreeSet<(String, String)> = listed
        .iter()
        .map(|r| {
            (
                r["session"].as_str().unwrap().into(),
                r["run"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(shown, expected, "the table's rows are runs --json's");
    let json_columns: Vec<&str> = listed[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for c in &json_columns {
        assert!(
            columns.iter().any(|s| s == c),
            "column {c} missing from {columns:?}"
        );
    }

    // The filter keeps the rows holding its text, whatever its case: the
    // pipeline's first stage only.
    let filtered = seen["filtered"].as_array().expect("filtered rows");
    assert_eq!(filtered.len(), 1, "{filtered:?}");
    assert_eq!(strings(&filtered[0])[run_col], "features#1");

    // The sort orders the runs by metric.nav, ascending, empty cells last.
    let mut by_nav: Vec<(f64, String)> = listed
        .iter()
        .filter_map(|r| Some((r["metric.nav"].as_f64()?, r["run"].as_str()?.to_string())))
        .collect();
    by_nav.sort_by(|x, y| x.0.total_cmp(&y.0));
    let sorted = strings(&seen["sorted"]);
    let nav_runs: Vec<String> = by_nav.into_iter().map(|(_, r)| r).collect();
    assert_eq!(&sorted[..nav_runs.len()], &nav_runs[..]);

    // The compare of the two runs shows exactly the seeds as differing.
    let differs: BTreeSet<String> = strings(&seen["compare"]["differs"]).into_iter().collect();
    assert!(!differs.is_empty());
    assert!(
        differs.iter().all(|f| f.starts_with("seeds.")),
        "only seeds differ between seed 1 and seed 2: {differs:?}"
    );
    assert!(differs.contains("seeds.root"), "{differs:?}");
    let all: BTreeSet<String> = strings(&seen["compare"]["all"]).into_iter().collect();
    assert!(
        all.contains("config.hurdle") && all.contains("git.commit"),
        "{all:?}"
    );

    // The nav chart draws one line per selected run.
    assert_eq!(seen["metrics"]["nav"], 2, "{}", seen["metrics"]);
    assert!(seen["parallel"].as_u64().unwrap() >= 2);

    // The lineage: the pipeline's three files and two runs.
    let files: BTreeSet<String> = strings(&seen["lineage"]["files"]).into_iter().collect();
    let runs: BTreeSet<String> = strings(&seen["lineage"]["runs"]).into_iter().collect();
    for f in ["raw.csv", "features.csv", "result.csv"] {
        assert!(files.contains(f), "{f} not in {files:?}");
    }
    for r in ["features#1", "result#1"] {
        assert!(runs.contains(r), "{r} not in {runs:?}");
    }
    assert!(seen["lineage"]["edges"].as_u64().unwrap() >= 4);

    // One run's view, with the command that reruns it.
    let rerun = seen["run"]["rerun"].as_str().unwrap();
    assert!(
        rerun.starts_with("provenance rerun ") && rerun.contains("--run"),
        "{rerun}"
    );

    // Nothing left the machine, nothing went wrong in the page.
    assert_eq!(seen["requests"], serde_json::json!([]), "requests");
    assert_eq!(seen["console"], serde_json::json!([]), "console");
    for view in ["runs", "compare", "metrics", "config", "lineage", "run"] {
        let shot = shots.join(format!("{view}.png"));
        assert!(shot.exists(), "no screenshot {}", shot.display());
        if std::env::var("PROVENANCE_UPDATE_SCREENSHOTS").as_deref() == Ok("1") {
            let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/images");
            std::fs::create_dir_all(&docs).unwrap();
            std::fs::copy(&shot, docs.join(format!("report-{view}.png"))).unwrap();
        }
    }
}

/// Series whose steps the contract allows in any order: `metric_at` back
/// to earlier steps and to negative ones, two workers' batches interleaved
/// in the log, steps at the ends of `i64`; and points standing alone, a
/// one-point series and finite points between NaNs. The page draws each
/// line left to right, gives a lone point a dot a person can see, and its
/// step labels do not overlap.
#[test]
fn charts_draw_lines_in_step_order_lone_points_as_dots_and_labels_apart() {
    use support::handmade::Session;

    let dir = tempfile::tempdir().unwrap();
    let ts = |s: u32| format!("2026-12-01T10:00:{s:02}.000000Z");
    let mut s = Session::new("sess_order", Some("exp"), &ts(0), &"5".repeat(40), false);
    s.init(&ts(1), "back", "fit", serde_json::json!({"k": 1}));
    s.series(&ts(2), "loss", &[10, 3, 3], &[1.0, 2.0, 3.0]);
    s.series(&ts(2), "loss", &[4, -5, -10], &[4.0, 5.0, 6.0]);
    s.series(&ts(2), "single", &[7], &[0.5]);
    let nan = f64::NAN;
    s.series(
        &ts(2),
        "gapped",
        &[0, 1, 2, 3, 4],
        &[nan, 1.0, nan, 2.0, nan],
    );
    s.result(
        &ts(3),
        "ok",
        1.0,
        serde_json::json!({}),
        serde_json::json!([]),
    );
    s.init(&ts(4), "workers", "fit", serde_json::json!({"k": 2}));
    for batch in [0_i64, 2, 1] {
        let steps: Vec<i64> = (batch * 1024..(batch + 1) * 1024).collect();
        let values: Vec<f64> = steps.iter().map(|&x| (x as f64 / 200.0).sin()).collect();
        s.series(&ts(5), "loss", &steps, &values);
    }
    let huge = [i64::MIN, 0, 9_007_199_254_740_993, i64::MAX];
    s.series(&ts(5), "huge", &huge, &[1.0, 2.0, 3.0, 4.0]);
    s.result(
        &ts(6),
        "ok",
        1.0,
        serde_json::json!({}),
        serde_json::json!([]),
    );
    // The session's own series, recorded outside its runs.
    s.series(&ts(7), "loss", &[0, 1500, 3000], &[0.3, 0.2, 0.1]);
    std::fs::write(dir.path().join("order.ndjson"), s.text()).unwrap();

    let page = dir.path().join("report.html");
    let logs = dir.path().display().to_string();
    let written = provenance(dir.path(), &["report", &logs, "-o", page.to_str().unwrap()]);
    assert_eq!(written.code, 0, "{}{}", written.stdout, written.stderr);
    let data = page_data(&page);
    assert_eq!(
        data["session_series"],
        serde_json::json!({"s0": "sess_order"})
    );
    let owned: Vec<&Value> = data["series"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["run"] == "s0")
        .collect();
    assert_eq!(owned.len(), 1, "{owned:?}");
    assert_eq!(owned[0]["steps"], serde_json::json!([0, 1500, 3000]));
    let url = format!("file://{}", page.display());
    let Some(seen) = look("step order", &url, &screenshots("order"), &[]) else {
        return;
    };
    let charts = &seen["chart_geometry"];
    assert!(charts.is_object(), "{seen}");

    // Every line goes left to right: its x coordinates never fall back.
    for (name, chart) in charts.as_object().unwrap() {
        for line in chart["lines"].as_array().unwrap() {
            let xs: Vec<f64> = serde_json::from_value(line["xs"].clone()).unwrap();
            assert!(
                xs.windows(2).all(|w| w[0] <= w[1]),
                "{name}, run {}: x goes back: {xs:?}",
                line["run"]
            );
        }
    }
    let lines = |name: &str| charts[name]["lines"].as_array().unwrap().len();
    assert_eq!(
        lines("loss"),
        3,
        "two runs and the session: {}",
        charts["loss"]
    );
    assert!(
        charts["loss"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["run"] == "s0"),
        "{}",
        charts["loss"]
    );
    let drawn = |l: &Value| l["box"]["width"].as_f64().unwrap() > 1.0;
    assert!(
        charts["loss"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(drawn)
    );

    // A lone point is a dot with an area; two lone points, a dot each.
    for name in ["single", "gapped"] {
        let dots = charts[name]["dots"].as_array().unwrap();
        assert_eq!(dots.len(), 1, "{name}: {}", charts[name]);
        let b = &dots[0]["box"];
        assert!(
            b["width"].as_f64().unwrap() >= 3.0 && b["height"].as_f64().unwrap() >= 3.0,
            "{name}: {b}"
        );
    }
    let gapped = charts["gapped"]["dots"][0]["box"]["width"]
        .as_f64()
        .unwrap();
    assert!(gapped > 100.0, "two dots far apart: {gapped}");
    assert_eq!(
        charts["loss"]["dots"],
        serde_json::json!([]),
        "lines, no dots"
    );

    // The step labels of i64's ends stand apart, in order.
    let labels = charts["huge"]["labels"].as_array().unwrap();
    assert!(labels.len() >= 2, "{labels:?}");
    for w in labels.windows(2) {
        assert!(
            w[0]["right"].as_f64().unwrap() + 2.0 <= w[1]["left"].as_f64().unwrap(),
            "labels overlap: {} and {}",
            w[0],
            w[1]
        );
    }
    assert_eq!(seen["console"], serde_json::json!([]), "console");
    assert_eq!(seen["errors"], serde_json::json!([]), "errors");
}

/// A server process, stopped (killed and waited for) when dropped, also
/// when the test fails.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `provenance ui LOGS --port 0 EXTRA…`, started, and the address it
/// printed (`127.0.0.1:PORT`).
fn serve(logs: &str, extra: &[&str]) -> (Stopped, String) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let mut server = Stopped(
        Command::new(provenance_test_support::provenance_binary())
            .args(["ui", logs, "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("provenance ui starts"),
    );
    let mut first = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let address = first
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .trim_end_matches('/')
        .to_string();
    (server, address)
}

/// The live view: `provenance ui` serves the page on 127.0.0.1; a run
/// appended to a log while the page is open appears in its table without
/// a reload, and the page asks for nothing but its own server's data.
#[test]
fn the_live_view_shows_a_run_appended_to_a_log_without_reloading() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let ws = Workspace::new();
    let log = ws.run_example("live", "1", &["--bars", "300"]);
    let logs = ws.path().display().to_string();
    let before = provenance(ws.path(), &["runs", "--json", &logs]).json();
    let before = before.as_array().unwrap().len();

    let (server, address) = serve(&logs, &[]);
    let url = format!("http://{address}/");

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/report/browser_check.py");
    let shots = screenshots("live");
    let wanted = (before + 2).to_string();
    let browser = Command::new("python3")
        .arg(&script)
        .arg(&url)
        .arg(&shots)
        .args(["--wait-for-rows", &wanted])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut browser = match browser {
        Ok(b) => b,
        Err(e) => {
            skip_unless_required("live view", &format!("python3 cannot run ({e})"));
            return;
        }
    };
    // The page is open and drawn: append a run (the example writes two,
    // the experiment and its nested run) to the log it shows.
    let mut stderr = BufReader::new(browser.stderr.take().unwrap());
    let mut said = String::new();
    let mut ready = false;
    while stderr.read_line(&mut said).unwrap_or(0) > 0 {
        if said.contains("provenance-browser-check: waiting") {
            ready = true;
            break;
        }
    }
    if ready {
        let appended = Command::new(support::ith_epochs())
            .args(["--bars", "200"])
            .current_dir(ws.path())
            .env("PROVENANCE_SEED", "2")
            .env("PROVENANCE_LOG", &log)
            .output()
            .unwrap();
        assert!(appended.status.success());
    }
    let out = browser.wait_with_output().unwrap();
    drop(server);
    if !ready || !out.status.success() {
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut rest);
        skip_unless_required(
            "live view",
            &format!("the browser could not be driven: {said}{rest}"),
        );
        return;
    }
    let seen: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(
        seen["table"]["rows"].as_array().unwrap().len(),
        before,
        "before the append"
    );
    assert_eq!(seen["appeared"], true, "the appended runs appeared: {seen}");
    assert_eq!(seen["console"], serde_json::json!([]), "console");
    let own = |u: &str| u.starts_with(&url);
    assert!(
        strings(&seen["requests"]).iter().all(|u| own(u)),
        "only the page's own server: {}",
        seen["requests"]
    );
}

/// One HTTP/1.0 GET on `address` (`127.0.0.1:PORT`): the status line, the
/// headers and the body. `Host` is the address unless `headers` name one.
fn get(address: &str, path: &str, headers: &[&str]) -> (String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let mut request = format!("GET {path} HTTP/1.0\r\n");
    if !headers.iter().any(|h| h.starts_with("Host:")) {
        request.push_str(&format!("Host: {address}\r\n"));
    }
    for h in headers {
        request.push_str(h);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    (head.to_string(), body.to_string())
}

/// `ui` without a browser: the page carries the live data URL, the data
/// answers 304 while unchanged and names a new version once a log grows,
/// anything else is 404, the logs are never written, and another address
/// than loopback is served only with a warning.
#[test]
fn ui_serves_the_page_and_its_data_reads_the_logs_and_never_writes_them() {
    use std::io::{BufRead, BufReader};

    let ws = Workspace::new();
    let log = ws.run_example("served", "1", &["--bars", "200"]);
    let logs = ws.path().display().to_string();
    let (server, address) = serve(&logs, &[]);
    assert!(address.starts_with("127.0.0.1:"), "{address}");

    let (head, page) = get(&address, "/", &[]);
    assert!(head.starts_with("HTTP/1.0 200"), "{head}");
    assert!(page.contains(r#"id="provenance-data" data-live="/data.json">"#));
    let (head, data) = get(&address, "/data.json", &[]);
    let tag = head
        .lines()
        .find_map(|l| l.strip_prefix("ETag: "))
        .unwrap_or_else(|| panic!("no ETag in {head}"))
        .to_string();
    assert!(tag.ends_with("-v1\""), "{tag}");
    let unchanged = format!("If-None-Match: {tag}");
    let data: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(data["table"]["rows"].as_array().unwrap().len(), 2);
    let (head, body) = get(&address, "/data.json", &[&unchanged]);
    assert!(head.starts_with("HTTP/1.0 304"), "{head}");
    assert!(body.is_empty());
    let (head, _) = get(&address, "/logs/../etc/passwd", &[]);
    assert!(head.starts_with("HTTP/1.0 404"), "{head}");
    // A page elsewhere whose name was made to resolve to 127.0.0.1 (DNS
    // rebinding) names itself in Host: refused, page and data.
    for path in ["/", "/data.json"] {
        let (head, body) = get(&address, path, &["Host: evil.example"]);
        assert!(head.starts_with("HTTP/1.0 403"), "{head}");
        assert!(!body.contains("served"), "no data: {body}");
    }
    let port = address.rsplit_once(':').unwrap().1;
    let (head, _) = get(
        &address,
        "/data.json",
        &[&format!("Host: localhost:{port}")],
    );
    assert!(head.starts_with("HTTP/1.0 200"), "{head}");

    // The log grows: a new version, with the new runs.
    let before = std::fs::read(&log).unwrap();
    ws.run_example("served", "2", &["--bars", "200"]);
    let grown = std::fs::read(&log).unwrap();
    assert!(grown.starts_with(&before) && grown.len() > before.len());
    // `ui` looks every second: ask until it has (a bounded wait, not a
    // measure of speed).
    let changed = (0..100).find_map(|_| {
        let (head, body) = get(&address, "/data.json", &[&unchanged]);
        if head.starts_with("HTTP/1.0 304") {
            std::thread::sleep(std::time::Duration::from_millis(200));
            return None;
        }
        Some((head, body))
    });
    let (head, body) = changed.expect("the data changed once the log grew");
    assert!(
        head.starts_with("HTTP/1.0 200") && !head.contains(&tag),
        "{head}"
    );
    let data: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(data["table"]["rows"].as_array().unwrap().len(), 4);
    drop(server);
    assert_eq!(std::fs::read(&log).unwrap(), grown, "ui never writes a log");

    // Any address but loopback: served, with a warning.
    let (mut server, _) = serve(&logs, &["--bind", "0.0.0.0"]);
    let _ = server.0.kill();
    let mut warning = String::new();
    BufReader::new(server.0.stderr.take().unwrap())
        .read_line(&mut warning)
        .unwrap();
    assert!(
        warning.contains("warning: serving on 0.0.0.0") && warning.contains("can read these logs"),
        "{warning}"
    );
}

/// `ui` started before the experiment: a folder with no log yet is served
/// (saying so), and the runs of the first log written into it appear. A
/// folder that does not exist is still an error naming it.
#[test]
fn ui_on_a_folder_with_no_log_yet_shows_the_runs_of_the_first_log_written() {
    use std::io::{BufRead, BufReader};

    let ws = Workspace::new();
    let folder = ws.path().join("runs");
    std::fs::create_dir(&folder).unwrap();
    let (mut server, address) = serve(&folder.display().to_string(), &[]);
    let mut said = String::new();
    BufReader::new(server.0.stderr.take().unwrap())
        .read_line(&mut said)
        .unwrap();
    assert!(
        said.contains("no log yet in") && said.contains("runs"),
        "{said}"
    );
    let (head, data) = get(&address, "/data.json", &[]);
    assert!(head.starts_with("HTTP/1.0 200"), "{head}");
    let data: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(data["table"]["rows"], serde_json::json!([]));

    ws.run_example("runs/first", "1", &["--bars", "200"]);
    let rows = (0..100).find_map(|_| {
        let (_, body) = get(&address, "/data.json", &[]);
        let data: Value = serde_json::from_str(&body).unwrap();
        let rows = data["table"]["rows"].as_array().unwrap().len();
        if rows == 0 {
            std::thread::sleep(std::time::Duration::from_millis(200));
            return None;
        }
        Some(rows)
    });
    assert_eq!(rows, Some(2), "the example's two runs appeared");

    // A log that sorts first appears: the runs shown keep their names in
    // the page (its ticked runs and open run are kept by name).
    let names = |data: &Value| -> BTreeSet<(String, String)> {
        data["runs"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(key, run)| (key.clone(), format!("{}/{}", run["session"], run["run"])))
            .collect()
    };
    let (_, body) = get(&address, "/data.json", &[]);
    let before = names(&serde_json::from_str(&body).unwrap());
    ws.run_example("runs/a-second", "2", &["--bars", "200"]);
    let after = (0..100).find_map(|_| {
        let (_, body) = get(&address, "/data.json", &[]);
        let data: Value = serde_json::from_str(&body).unwrap();
        if data["table"]["rows"].as_array().unwrap().len() < 4 {
            std::thread::sleep(std::time::Duration::from_millis(200));
            return None;
        }
        Some(names(&data))
    });
    let after = after.expect("the second log's runs appeared");
    assert_eq!(after.len(), 4);
    assert!(before.is_subset(&after), "{before:?} kept in {after:?}");
    drop(server);

    let missing = ws.path().join("not-there");
    let out = std::process::Command::new(provenance_test_support::provenance_binary())
        .args(["ui", &missing.display().to_string(), "--port", "0"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("not-there"),
        "{stderr}"
    );
}

/// Lineage shows a run that only read a file (wrote none) too, its input
/// joined to it, and a report of that run's log alone is not empty.
#[test]
fn lineage_shows_a_run_that_only_reads() {
    use support::handmade::Session;

    let dir = tempfile::tempdir().unwrap();
    let ts = |s: u32| format!("2026-12-01T10:00:{s:02}.000000Z");
    let hash = format!("sha256:{}", "c".repeat(64));
    let nav = "/data/lin/nav.txt";
    let mut a = Session::new("sess_a", Some("exp"), &ts(0), &"5".repeat(40), false);
    a.init(&ts(1), "make#1", "make", serde_json::json!({}))
        .save(&ts(2), nav, &hash, "/data/lin")
        .result(
            &ts(3),
            "ok",
            1.0,
            serde_json::json!({}),
            serde_json::json!([{"target_path": nav, "sha256_hash": hash}]),
        );
    let mut b = Session::new("sess_b", Some("exp"), &ts(4), &"5".repeat(40), false);
    b.init(&ts(5), "fit#1", "fit", serde_json::json!({}))
        .load(&ts(6), "nav", nav, &hash, "/data/lin")
        .result(
            &ts(7),
            "ok",
            1.0,
            serde_json::json!({}),
            serde_json::json!([]),
        );
    std::fs::write(dir.path().join("a.ndjson"), a.text()).unwrap();
    std::fs::write(dir.path().join("b.ndjson"), b.text()).unwrap();

    let lineage = |logs: &str| {
        let page = dir.path().join("page.html");
        let out = provenance(dir.path(), &["report", logs, "-o", page.to_str().unwrap()]);
        assert_eq!(out.code, 0, "{out:?}");
        page_data(&page)["lineage"].clone()
    };
    let both = lineage(".");
    let file = format!("file:{hash}");
    let edges = both["edges"].as_array().unwrap();
    let reader = both["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["label"] == "fit#1")
        .unwrap_or_else(|| panic!("no node for the reader: {both}"));
    assert_eq!(reader["kind"], "run");
    assert!(
        edges.contains(&serde_json::json!({"from": file, "to": reader["id"]})),
        "{both}"
    );
    assert!(
        edges.iter().any(|e| e["to"] == file.as_str()),
        "the writer's edge too: {both}"
    );
    let alone = lineage("b.ndjson");
    assert_eq!(alone["nodes"].as_array().unwrap().len(), 2, "{alone}");
    assert_eq!(alone["edges"].as_array().unwrap().len(), 1, "{alone}");
}

/// Where the page cannot go, the error says why: a directory (with or
/// without its slash), a folder that does not exist. Nothing is written.
#[test]
fn an_output_that_cannot_be_a_page_is_named_with_why() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let logs = logs.display().to_string();
    for (target, said) in [
        (
            "out".to_string(),
            "provenance: cannot write out: a directory; give the page a file name (out/report.html)",
        ),
        (
            "out/".to_string(),
            "provenance: cannot write out/: a directory; give the page a file name (out/report.html)",
        ),
        (
            "nope/dir/r.html".to_string(),
            "provenance: cannot write nope/dir/r.html: its folder nope/dir does not exist (report \
             does not create folders)",
        ),
    ] {
        let run = provenance(dir.path(), &["report", &logs, "-o", &target]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stderr.contains(said), "{said}\nin: {}", run.stderr);
    }
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);
}
