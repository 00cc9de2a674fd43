//! POSTing events to an OpenLineage HTTP endpoint, one request per event,
//! with retries for what may pass on a second try.

use std::time::Duration;

use serde_json::Value;

use crate::error::CliError;

/// A client of one endpoint.
pub(crate) struct Client {
    url: String,
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
                "export openlineage: bad --url {url:?}: expected an http:// or https:// URL, \
                 such as http://localhost:5000/api/v1/lineage"
            )));
        }
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build()
            .new_agent();
        Ok(Client {
            url: url.to_string(),
            agent,
            retries,
            api_key,
            sent: 0,
        })
    }

    /// The endpoint.
    pub(crate) fn url(&self) -> &str {
        &self.url
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
                    self.url,
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

    fn post(&self, body: &[u8]) -> Result<(), Failure> {
        let mut request = self
            .agent
            .post(&self.url)
            .header("Content-Type", "application/json");
        if let Some(key) = &self.api_key {
            request = request.header("Authorization", &format!("Bearer {key}"));
        }
        let mut response = request.send(body).map_err(|e| Failure {
            message: e.to_string(),
            retry: true,
        })?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let text = response
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_string()
            .unwrap_or_default();
        let text: String = text.trim().chars().take(300).collect();
        let mut message = format!("HTTP {status}");
        if !text.is_empty() {
            message.push_str(&format!(": {text}"));
        }
        Err(Failure {
            message,
            retry: status.as_u16() == 429 || status.is_server_error(),
        })
    }
}

/// Why a request did not succeed, and whether trying again may help.
struct Failure {
    message: String,
    retry: bool,
}
