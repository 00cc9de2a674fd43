//! `provenance export openlineage --url` against servers that answer
//! oddly: redirects (only 307/308 are followed, by the same POST), an
//! answer built to flood or drive a terminal, and a URL carrying
//! credentials, which never reach the output. They need the `http` feature
//! (`cargo test -p ith-provenance-cli --features http`, as `.ci/run` does).
#![cfg(feature = "http")]

mod support;

use std::path::Path;

use provenance_test_support::{Outcome, provenance};
use support::handmade::Session;
use support::openlineage::{Reply, server_replying};

/// One log with one finished run: two events (START, COMPLETE).
fn one_run_log(dir: &Path) {
    let s = Session::with_one_run("sess_u", |_| {});
    std::fs::write(dir.join("u.ndjson"), s.text()).unwrap();
}

fn export_to(dir: &Path, url: &str) -> Outcome {
    provenance(
        dir,
        &[
            "export",
            "openlineage",
            "--retries",
            "0",
            "--url",
            url,
            "u.ndjson",
        ],
    )
}

#[test]
fn a_301_302_or_303_fails_naming_the_status_and_location_and_is_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    one_run_log(dir.path());
    for (status, reason) in [
        (301, "Moved Permanently"),
        (302, "Found"),
        (303, "See Other"),
    ] {
        let (url, got) = server_replying(vec![
            Reply::redirect(status, "/api/v2/lineage"),
            Reply::status(200),
        ]);
        let out = export_to(dir.path(), &url);
        assert_eq!(out.code, 2, "{status}: {}{}", out.stdout, out.stderr);
        assert_eq!(out.stdout, "", "{status}: no success line");
        assert!(
            out.stderr.contains(&format!(
                "export openlineage: POST {url}: HTTP {status} {reason} to /api/v2/lineage: not \
                 followed, since a POST redirected by 301, 302 or 303 becomes a GET"
            )),
            "{status}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("0 event(s) sent before it"),
            "{}",
            out.stderr
        );
        let got = got.lock().unwrap();
        assert_eq!(got.len(), 1, "{status}: no GET, no second request");
    }
}

#[test]
fn a_307_or_308_is_followed_by_the_same_post_and_each_event_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    one_run_log(dir.path());
    for status in [307, 308] {
        let (url, got) = server_replying(vec![
            Reply::redirect(status, "/api/v2/lineage"),
            Reply::status(201),
        ]);
        let out = export_to(dir.path(), &url);
        assert_eq!(out.code, 0, "{status}: {}", out.stderr);
        assert!(
            out.stdout
                .contains("exported 2 OpenLineage event(s) for 1 run(s) from 1 log(s)"),
            "{status}: {}",
            out.stdout
        );
        let got = got.lock().unwrap();
        // START: redirected, then taken at v2; COMPLETE: taken at once
        // (the server's last answer repeats).
        assert_eq!(got.len(), 3, "{status}");
        assert_eq!(got[0].line, "POST /api/v1/lineage HTTP/1.1");
        assert_eq!(got[1].line, "POST /api/v2/lineage HTTP/1.1");
        assert_eq!(got[0].body, got[1].body, "{status}: the same body again");
        assert!(got[1].body.contains("\"eventType\":\"START\""));
        assert!(got[2].body.contains("\"eventType\":\"COMPLETE\""));
    }
    // Refused after a redirect: the line names where.
    let (url, _) = server_replying(vec![
        Reply::redirect(307, "/api/v2/lineage"),
        Reply::status(400),
    ]);
    let out = export_to(dir.path(), &url);
    assert_eq!(out.code, 2);
    let v2 = url.replace("/v1/", "/v2/");
    assert!(
        out.stderr
            .contains(&format!("POST {url}: HTTP 400 Bad Request from {v2}: {{")),
        "{}",
        out.stderr
    );
}

#[test]
fn redirect_loops_end_and_credentials_stay_on_their_own_host() {
    let dir = tempfile::tempdir().unwrap();
    one_run_log(dir.path());
    let (url, got) = server_replying(vec![Reply::redirect(307, "/again")]);
    let out = export_to(dir.path(), &url);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("more than 5 redirects (307/308): not delivered"),
        "{}",
        out.stderr
    );
    assert_eq!(got.lock().unwrap().len(), 6, "the first POST and 5 hops");

    // 127.0.0.1 sends on to localhost: the same server, another host, so
    // neither the bearer token nor the user information goes along.
    let (url, got) = server_replying(vec![Reply::status(201)]);
    let port = url.split(':').nth(2).unwrap().split('/').next().unwrap();
    let (first, _) = server_replying(vec![Reply::redirect(
        308,
        &format!("http://localhost:{port}/api/v1/lineage"),
    )]);
    let with_user = first.replace("http://", "http://ana:pw@");
    let out = std::process::Command::new(provenance_test_support::provenance_binary())
        .args(["export", "openlineage", "--url", &with_user, "u.ndjson"])
        .current_dir(dir.path())
        .env("OPENLINEAGE_API_KEY", "k-123")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let got = got.lock().unwrap();
    assert_eq!(got.len(), 2);
    for r in got.iter() {
        assert_eq!(r.headers.get("authorization"), None, "{r:?}");
    }
}

#[test]
fn a_flooding_answer_is_shown_as_one_short_escaped_line() {
    let dir = tempfile::tempdir().unwrap();
    one_run_log(dir.path());
    let mut body = b"\x1b]0;owned\x07\x1b[2J".to_vec();
    body.extend(b"line\r\nfake: provenance says all is well\n".repeat(250));
    assert!(body.len() > 10_000);
    let (url, _) = server_replying(vec![Reply {
        status: 400,
        headers: Vec::new(),
        body,
    }]);
    let out = export_to(dir.path(), &url);
    assert_eq!(out.code, 2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    let line = lines[0];
    assert!(
        line.contains(&format!(
            "POST {url}: HTTP 400 Bad Request: \\u{{1b}}]0;owned\\u{{7}}\\u{{1b}}[2Jline\\r\\nfake"
        )),
        "{line}"
    );
    assert!(line.contains(" …(cut) (the START event of run"), "{line}");
    assert!(!line.chars().any(char::is_control), "{line:?}");
    let answer = &line[line.find("HTTP 400 Bad Request: ").unwrap()..line.find(" …(cut)").unwrap()];
    assert!(answer.chars().count() <= 200 + 22, "{answer}");
}

#[test]
fn a_url_with_user_and_password_never_prints_them() {
    let dir = tempfile::tempdir().unwrap();
    one_run_log(dir.path());
    let check = |out: &Outcome| {
        for text in [&out.stdout, &out.stderr] {
            assert!(!text.contains("s3cr3t"), "{text}");
            assert!(!text.contains("ana:"), "{text}");
        }
    };
    // Taken: the summary names the endpoint without the user information,
    // which went out as HTTP Basic authentication.
    let (url, got) = server_replying(vec![Reply::status(201)]);
    let with_user = url.replace("http://", "http://ana:s3cr3t@");
    let out = export_to(dir.path(), &with_user);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(&format!(" to {url}")), "{}", out.stdout);
    check(&out);
    // base64("ana:s3cr3t")
    assert_eq!(
        got.lock().unwrap()[0].headers["authorization"],
        "Basic YW5hOnMzY3IzdA=="
    );
    // Refused, redirected elsewhere with credentials in the Location,
    // unreachable, and malformed: never printed either.
    let (url, _) = server_replying(vec![Reply::status(401)]);
    let out = export_to(dir.path(), &url.replace("http://", "http://ana:s3cr3t@"));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(&format!("POST {url}: HTTP 401")),
        "{}",
        out.stderr
    );
    check(&out);
    let (url, _) = server_replying(vec![Reply::redirect(302, "http://ana:s3cr3t@elsewhere/")]);
    let out = export_to(dir.path(), &url);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("to http://elsewhere/: not followed"),
        "{}",
        out.stderr
    );
    check(&out);
    let out = export_to(dir.path(), "http://ana:s3cr3t@127.0.0.1:1/api");
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("POST http://127.0.0.1:1/api: "),
        "{}",
        out.stderr
    );
    check(&out);
    let out = export_to(dir.path(), "ftp://ana:s3cr3t@host/x");
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("bad --url \"ftp://host/x\""),
        "{}",
        out.stderr
    );
    check(&out);
}
