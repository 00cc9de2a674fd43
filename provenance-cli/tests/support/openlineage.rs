//! OpenLineage checks the export tests share: `validate.py` (the spec's
//! schemas and `openlineage-python`), and an HTTP server on loopback that
//! stands in for Marquez.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use provenance_test_support::readers::readers_required;
use serde_json::Value;

/// Runs `validate.py` on `file`; `None` when Python or its packages are
/// missing outside CI. Returns its exit status, stdout and stderr.
pub fn validate(file: &Path) -> Option<(i32, String, String)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/openlineage/validate.py");
    let required = readers_required();
    let out = match Command::new("python3").arg(&script).arg(file).output() {
        Ok(out) => out,
        Err(e) if !required => {
            eprintln!("openlineage: validate.py skipped, python3 cannot run ({e})");
            return None;
        }
        Err(e) => panic!("python3 cannot run: {e}"),
    };
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let missing =
        stderr.contains("ModuleNotFoundError") || stderr.contains("cannot check the formats");
    if missing && !required {
        eprintln!(
            "openlineage: validate.py skipped ({})",
            stderr.lines().last().unwrap_or("")
        );
        return None;
    }
    Some((
        out.status.code().expect("python3 exited"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    ))
}

/// Asserts every event of `events` passes `validate.py`; returns its
/// summary (`None`: skipped).
pub fn assert_valid(dir: &Path, events: &[Value]) -> Option<Value> {
    let file = dir.join("events-under-check.ndjson");
    let text: String = events.iter().map(|e| format!("{e}\n")).collect();
    std::fs::write(&file, text).unwrap();
    let (code, stdout, stderr) = validate(&file)?;
    assert_eq!(code, 0, "validate.py found problems:\n{stderr}");
    Some(serde_json::from_str(&stdout).expect("validate.py prints a JSON summary"))
}

/// A request the test server received.
#[derive(Debug, Clone)]
pub struct Request {
    /// The request line.
    pub line: String,
    /// Headers by lower-case name.
    pub headers: HashMap<String, String>,
    /// The body.
    pub body: String,
}

/// What the test server answers one request with.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status.
    pub status: u16,
    /// Headers besides Content-Length and Connection.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// `status` with the body the default server sends: none for a 2xx,
    /// a short JSON error otherwise.
    pub fn status(status: u16) -> Reply {
        let body = if status < 300 {
            Vec::new()
        } else {
            b"{\"error\":\"no such namespace\"}".to_vec()
        };
        Reply {
            status,
            headers: Vec::new(),
            body,
        }
    }

    /// A redirect: `status` with `Location: location`.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }
}

/// An HTTP server on loopback answering each request with the next status
/// of `statuses` (the last one repeating); returns its URL and what it got.
pub fn server(statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<Request>>>) {
    server_replying(statuses.into_iter().map(Reply::status).collect())
}

/// An HTTP server on loopback answering each request with the next of
/// `replies` (the last one repeating); returns its URL (on 127.0.0.1) and
/// what it got.
pub fn server_replying(replies: Vec<Reply>) -> (String, Arc<Mutex<Vec<Request>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/v1/lineage", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&got);
    std::thread::spawn(move || {
        for (i, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                continue;
            }
            let mut headers = HashMap::new();
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (k, v) = h.split_once(':').unwrap();
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
            let length: usize = headers
                .get("content-length")
                .map_or(0, |l| l.parse().unwrap());
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            seen.lock().unwrap().push(Request {
                line: line.trim_end().to_string(),
                headers,
                body: String::from_utf8(body).unwrap(),
            });
            let reply = &replies[i.min(replies.len() - 1)];
            let mut head = format!(
                "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                reply.status,
                reply.body.len()
            );
            for (name, value) in &reply.headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&reply.body);
        }
    });
    (url, got)
}
