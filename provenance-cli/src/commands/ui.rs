//! `ui`: the report's page served on 127.0.0.1 and kept current. The logs
//! are read incrementally (only the bytes appended since the last look;
//! new logs in the folders given are picked up), never written; the page
//! fetches the data again every two seconds and redraws in place.

mod live;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use clap::Args;

use crate::commands::report::{data, page};
use crate::commands::runs::SelectArgs;
use crate::error::CliError;
use crate::ops::log_source::LogSource;
use crate::output::out;
use live::Live;

/// How often the logs are looked at for new bytes.
const LOOK_EVERY: Duration = Duration::from_secs(1);

/// `ui`.
#[derive(Debug, Args)]
pub struct UiArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// The port (0: any free one; the URL printed says which).
    #[arg(long, default_value_t = 8765)]
    pub port: u16,
    /// The address to listen on. Anything but a loopback address serves
    /// these logs to whoever can reach it.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: IpAddr,
}

/// Runs `ui` until the process is stopped; returns only on an error.
pub(crate) fn run(
    args: &UiArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, CliError> {
    if !args.bind.is_loopback() {
        crate::output::out!(
            err,
            "provenance: warning: serving on {}: anyone who can reach this address can read \
             these logs",
            args.bind
        );
    }
    let mut live = Live::new(&args.select.paths);
    live.look()?;
    if live.files().is_empty() {
        // A folder or a pattern with no log yet: the experiment has not
        // started. Its logs appear in the page as they are written.
        crate::output::out!(
            err,
            "provenance: no log yet in {}: runs appear in the page as they are logged",
            args.select
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut run_keys = data::RunKeys::default();
    let first = data::gather(&args.select, &live, &mut run_keys, err)?;
    // The data and its version, which the page's polls name (`ETag`) so
    // that an unchanged answer is a 304 without the data.
    let current = Arc::new(Mutex::new((1u64, Arc::new(first.json))));
    let server = tiny_http::Server::http(SocketAddr::new(args.bind, args.port)).map_err(|e| {
        CliError::Usage(format!("cannot listen on {}:{}: {e}", args.bind, args.port))
    })?;
    let address = server
        .server_addr()
        .to_ip()
        .map_or_else(|| format!("{}:{}", args.bind, args.port), |a| a.to_string());
    out!(
        out,
        "serving http://{address}/ ({} run(s); Ctrl-C stops)",
        first.runs
    );
    out.flush().map_err(CliError::Output)?;

    // Tags name this server too: a tab left open across a restart (other
    // logs, same port) must not be told its old data is current.
    let server_tag = format!(
        "{:x}{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    );
    let watched = Arc::clone(&current);
    let select = args.select.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(LOOK_EVERY);
            // A log that cannot be read now is tried again next time.
            if !live.look().unwrap_or(false) {
                continue;
            }
            if let Ok(next) = data::gather(&select, &live, &mut run_keys, &mut std::io::sink()) {
                let mut current = watched.lock().unwrap_or_else(PoisonError::into_inner);
                *current = (current.0 + 1, Arc::new(next.json));
            }
        }
    });

    for request in server.incoming_requests() {
        let (version, data) = {
            let current = current.lock().unwrap_or_else(PoisonError::into_inner);
            (current.0, Arc::clone(&current.1))
        };
        let etag = format!("\"{server_tag}-v{version}\"");
        let unchanged = request
            .headers()
            .iter()
            .any(|h| h.field.equiv("If-None-Match") && h.value.as_str() == etag);
        let path = request.url().split('?').next().unwrap_or("");
        let host = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str().to_owned());
        let (status, body, kind) = match (request.method(), path) {
            _ if !host_allowed(args.bind, host.as_deref()) => (
                403,
                format!(
                    "forbidden: Host {:?} is not this server's address; a page elsewhere may \
                     not read these logs\n",
                    host.unwrap_or_default()
                ),
                "text/plain; charset=utf-8",
            ),
            (tiny_http::Method::Get, "/" | "/index.html") => (
                200,
                page::render(&data, Some("/data.json")),
                "text/html; charset=utf-8",
            ),
            (tiny_http::Method::Get, "/data.json") if unchanged => {
                (304, String::new(), "application/json")
            }
            (tiny_http::Method::Get, "/data.json") => {
                (200, data.as_str().to_owned(), "application/json")
            }
            _ => (404, "not found\n".to_owned(), "text/plain; charset=utf-8"),
        };
        let header = tiny_http::Header::from_bytes("Content-Type", kind).expect("a valid header");
        let no_cache =
            tiny_http::Header::from_bytes("Cache-Control", "no-store").expect("a valid header");
        let tag = tiny_http::Header::from_bytes("ETag", etag.as_bytes()).expect("a valid header");
        let response = tiny_http::Response::from_string(body)
            .with_status_code(status)
            .with_header(header)
            .with_header(no_cache)
            .with_header(tag);
        // A browser that went away is not an error of ours.
        let _ = request.respond(response);
    }
    Ok(0)
}

/// Whether a request naming `host` (its `Host` header) may be answered by
/// a server bound to `bind`. On loopback only loopback names are: a page
/// on another site whose name was made to resolve to 127.0.0.1 (DNS
/// rebinding) sends its own name and is refused. A server bound elsewhere
/// was asked to serve whoever reaches it (with a warning), by any name.
fn host_allowed(bind: IpAddr, host: Option<&str>) -> bool {
    let Some(host) = host else {
        // HTTP/1.0 without a Host: not a browser, which always sends one.
        return true;
    };
    if !bind.is_loopback() {
        return true;
    }
    let name = match host.strip_prefix('[') {
        // `[::1]:8765`
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _port)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    #[test]
    fn on_loopback_only_loopback_names_are_answered() {
        let local = "127.0.0.1".parse().unwrap();
        for ok in [
            "127.0.0.1:8765",
            "localhost:8765",
            "LocalHost",
            "[::1]:8765",
            "127.0.0.2",
        ] {
            assert!(host_allowed(local, Some(ok)), "{ok}");
        }
        assert!(host_allowed(local, None));
        for refused in [
            "evil.example:8765",
            "localhost.evil.example",
            "127.0.0.1.evil.example:8765",
            "[::2]:8765",
            "",
        ] {
            assert!(!host_allowed(local, Some(refused)), "{refused}");
        }
        let anywhere = "0.0.0.0".parse().unwrap();
        assert!(host_allowed(anywhere, Some("gpu-node-3:8765")));
    }
}
