//! POSTing events to an OpenLineage HTTP endpoint, one request per event,
//! with retries for what may pass on a second try. `redirect.rs` decides
//! which 3xx answers are followed; `shown.rs` what of a URL and of an
//! answer is printed.

mod redirect;
mod shown;

use std::io::Read;
use std::time::Duration;

use serde_json::Value;

use crate::error::CliError;
use shown::{one_line, without_userinfo};

/// The most bytes of an answer read to show it.
const ANSWER_BYTES: u64 = 4096;

/// A client of one endpoint.
pub(crate) struct Client {
    /// The URL as given: its user information, if any, goes out as HTTP
    /// Basic authentication (ureq does this).
    url: String,
    /// The URL as printed: without its user information.
    shown: String,
    agent: ureq::Agent,
    retries: u32,
    api_key: Option<String>,
    sent: usize,
}

/// The first wait between attempts; it doubles each time, up to 8 s.
const FIRST_WAIT: Duration = Duration::from_millis(250);

impl Client {
    /// A client of `url` (http or https).
    pub(crate) fn new(
        url: &str,
        retries: u32,
        timeout: Duration,
        api_key: Option<String>,
    ) -> Result<Client, CliError> {
        let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
        if !scheme_ok || url.parse::<ureq::http::Uri>().is_err() {
            return Err(CliError::Usage(format!(
                "export openlineage: bad --url {:?}: expected an http:// or https:// URL, \
                 such as http://localhost:5000/api/v1/lineage",
                without_userinfo(url)
            )));
        }
        // Redirects are ours to follow (`redirect.rs`): ureq would turn a
        // POST answered 301/302/303 into a GET and report success.
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .new_agent();
        Ok(Client {
            url: url.to_string(),
            shown: without_userinfo(url),
            agent,
            retries,
            api_key,
            sent: 0,
        })
    }

    /// The endpoint, as it may be printed (without user information).
    pub(crate) fn shown_url(&self) -> &str {
        &self.shown
    }

    /// POSTs one event (`body`, the JSON of `event`).
    pub(crate) fn send(&mut self, body: &[u8], event: &Value) -> Result<(), CliError> {
        let mut wait = FIRST_WAIT;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let failure = match self.post(body) {
                Ok(()) => {
                    self.sent += 1;
                    return Ok(());
                }
                Err(f) => f,
            };
            if !failure.retry || attempt > self.retries {
                let tries = if attempt > 1 {
                    format!(" after {attempt} attempts")
                } else {
                    String::new()
                };
                return Err(CliError::Export(format!(
                    "POST {}: {}{tries} (the {} event of run {} of job {}/{}; {} event(s) sent \
                     before it)",
                    self.shown,
                    failure.message,
                    event["eventType"].as_str().unwrap_or("?"),
                    event["run"]["runId"].as_str().unwrap_or("?"),
                    event["job"]["namespace"].as_str().unwrap_or("?"),
                    event["job"]["name"].as_str().unwrap_or("?"),
                    self.sent,
                )));
            }
            std::thread::sleep(wait);
            wait = (wait * 2).min(Duration::from_secs(8));
        }
    }

    /// POSTs `body` to the `--url`, following 307 and 308 answers (at most
    /// [`redirect::MAX_HOPS`]); `Ok` only for a 2xx answer.
    fn post(&self, body: &[u8]) -> Result<(), Failure> {
        let mut hop = redirect::Hop {
            url: self.url.clone(),
            credentials: true,
        };
        for _ in 0..=redirect::MAX_HOPS {
            let mut request = self
                .agent
                .post(&hop.url)
                .header("Content-Type", "application/json");
            if let (true, Some(key)) = (hop.credentials, &self.api_key) {
                request = request.header("Authorization", &format!("Bearer {key}"));
            }
            let mut response = request.send(body).map_err(|e| Failure {
                message: self.quiet(&e.to_string()),
                retry: true,
            })?;
            let status = response.status();
            if status.is_success() {
                return Ok(());
            }
            if status.is_redirection() {
                let location = response.headers().get("location").map(|l| l.as_bytes());
                hop = redirect::next(&self.url, &hop.url, status, location).map_err(|message| {
                    Failure {
                        message,
                        retry: false,
                    }
                })?;
                continue;
            }
            let mut answer = Vec::new();
            // An answer that cannot be read is shown as none: the status
            // is what the user needs.
            let _ = response
                .body_mut()
                .as_reader()
                .take(ANSWER_BYTES)
                .read_to_end(&mut answer);
            let mut message = format!("HTTP {status}");
            if hop.url != self.url {
                message.push_str(&format!(" from {}", without_userinfo(&hop.url)));
            }
            let text = one_line(&answer);
            if !text.is_empty() {
                message.push_str(&format!(": {text}"));
            }
            return Err(Failure {
                message,
                retry: status.as_u16() == 429 || status.is_server_error(),
            });
        }
        Err(Failure {
            message: format!(
                "more than {} redirects (307/308): not delivered",
                redirect::MAX_HOPS
            ),
            retry: false,
        })
    }

    /// A transport error's text as one line without the URL's user
    /// information.
    fn quiet(&self, text: &str) -> String {
        let line = one_line(text.as_bytes());
        match shown::userinfo(&self.url) {
            Some(info) => line.replace(&format!("{info}@"), ""),
            None => line,
        }
    }
}

/// Why a request did not succeed, and whether trying again may help.
struct Failure {
    message: String,
    retry: bool,
}
