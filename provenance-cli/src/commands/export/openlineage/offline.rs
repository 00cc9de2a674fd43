//! `--url` in a build without the `http` feature: no client can exist, so
//! the verb refuses the flag before reading a log and names the feature.

use std::time::Duration;

use serde_json::Value;

use crate::error::CliError;

/// No client: a build without the `http` feature cannot make one, and the
/// type having no values proves that nothing is ever sent.
pub(crate) enum Client {}

impl Client {
    /// Refuses `--url`, naming the feature that brings it.
    pub(crate) fn new(
        _url: &str,
        _retries: u32,
        _timeout: Duration,
        _api_key: Option<String>,
    ) -> Result<Client, CliError> {
        Err(CliError::Usage(
            "export openlineage --url: this provenance was built without its HTTP client; \
             install it with `cargo install ith-provenance-cli --features http` (or run \
             `cargo run -p ith-provenance-cli --features http -- export openlineage --url …`), \
             or print the events without --url and pipe them to any OpenLineage client"
                .to_string(),
        ))
    }

    /// Never called: there is no client.
    pub(crate) fn shown_url(&self) -> &str {
        match *self {}
    }

    /// Never called: there is no client.
    pub(crate) fn send(&mut self, _body: &[u8], _event: &Value) -> Result<(), CliError> {
        match *self {}
    }
}
