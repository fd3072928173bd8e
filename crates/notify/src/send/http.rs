//! One guarded HTTP POST: the URL goes through the SSRF guard now, the client connects only to
//! the checked addresses (a resolver override for the URL's host), follows no redirect, ignores
//! proxy settings, and gives up after the sender's timeout. Clients (and so connections) are
//! kept per host and checked addresses between attempts (see `clients`). 2xx is success; anything else
//! (a 3xx included) is a failure described without the URL.

use super::{SendError, Sender};
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use std::error::Error as _;

const USER_AGENT: &str = concat!("Palisade/", env!("CARGO_PKG_VERSION"));

/// POSTs `body` (JSON) to `url` with `headers`.
pub async fn post_json(
    sender: &Sender,
    url: &str,
    headers: &[(&'static str, String)],
    body: Vec<u8>,
) -> Result<(), SendError> {
    let target = sender
        .policy()
        .resolve_url(url)
        .await
        .map_err(|e| SendError::new(format!("refused: {e}")))?;
    let host = target.host().to_string();
    let client = sender
        .clients()
        .get_or_build(&host, target.addrs(), || {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .timeout(sender.timeout())
                .connect_timeout(sender.timeout())
                .pool_idle_timeout(std::time::Duration::from_secs(60))
                .user_agent(USER_AGENT)
                .resolve_to_addrs(&host, target.addrs())
                .build()
        })
        .map_err(|_| SendError::new("could not build an HTTP client"))?;
    let mut request =
        client.post(url).header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for (name, value) in headers {
        let value = HeaderValue::from_str(value)
            .map_err(|_| SendError::new(format!("invalid value for header {name}")))?;
        request = request.header(HeaderName::from_static(name), value);
    }
    match request.body(body).send().await {
        Ok(response) if response.status().is_success() => Ok(()),
        Ok(response) if response.status().is_redirection() => Err(SendError::new(format!(
            "HTTP {} from {host} (redirects are not followed)",
            response.status().as_u16()
        ))),
        Ok(response) => {
            Err(SendError::new(format!("HTTP {} from {host}", response.status().as_u16())))
        }
        Err(error) => Err(SendError::new(describe(&error, &host))),
    }
}

/// A transport failure in words, without the URL (reqwest's own message carries it).
fn describe(error: &reqwest::Error, host: &str) -> String {
    let mut root: Option<&dyn std::error::Error> = error.source();
    while let Some(next) = root.and_then(|e| e.source()) {
        root = Some(next);
    }
    let cause = root.map(|e| format!(": {e}")).unwrap_or_default();
    if error.is_timeout() {
        format!("timed out talking to {host}")
    } else if error.is_connect() {
        format!("could not connect to {host}{cause}")
    } else {
        format!("the request to {host} failed{cause}")
    }
}
