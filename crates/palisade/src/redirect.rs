//! The plain-HTTP listener: answers every request with 308 to the same path over HTTPS. It serves
//! nothing else, so no credential is ever accepted over cleartext.
//!
//! The Location is built from configured names only: a Host that is one of the TLS host names or
//! `public_url`'s host keeps its name; any other goes to `public_url`, so that a forged Host
//! cannot turn the listener into an open redirect.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Where redirects may point.
#[derive(Clone, Debug)]
pub struct Targets {
    /// `public_url` without a trailing slash, e.g. `https://palisade.example.com`.
    pub public_url: String,
    /// Host names (lowercase) a request may keep.
    pub known_hosts: Vec<String>,
    pub https_port: u16,
}

impl Targets {
    fn location(&self, host: Option<&str>, path: &str) -> String {
        let host = host.map(strip_port).map(str::to_ascii_lowercase);
        match host.filter(|h| self.known_hosts.contains(h)) {
            Some(host) => {
                let port = match self.https_port {
                    443 => String::new(),
                    port => format!(":{port}"),
                };
                format!("https://{host}{port}{path}")
            }
            None => format!("{}{path}", self.public_url.trim_end_matches('/')),
        }
    }
}

pub fn router(targets: Targets) -> Router {
    let targets = Arc::new(targets);
    Router::new().fallback(move |request: Request| {
        let targets = targets.clone();
        async move { redirect(&targets, &request) }
    })
}

fn redirect(targets: &Targets, request: &Request) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    let path = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let location = targets.location(host, path);
    match HeaderValue::from_str(&location) {
        Ok(value) => (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, value)]).into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// `example.com:8080` → `example.com`; `[::1]:8080` → `[::1]`.
fn strip_port(host: &str) -> &str {
    match host.rfind(':') {
        Some(i) if !host[i..].contains(']') => &host[..i],
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Targets {
        Targets {
            public_url: "https://palisade.example.com/".into(),
            known_hosts: vec!["palisade.example.com".into(), "localhost".into()],
            https_port: 8443,
        }
    }

    #[test]
    fn a_known_host_keeps_its_name_and_the_https_port() {
        assert_eq!(
            targets().location(Some("LOCALHOST:8080"), "/x?y=1"),
            "https://localhost:8443/x?y=1"
        );
    }

    #[test]
    fn a_forged_or_missing_host_goes_to_the_public_url() {
        for host in [Some("evil.example"), Some("evil.example:80"), Some(""), None] {
            assert_eq!(
                targets().location(host, "/x"),
                "https://palisade.example.com/x",
                "{host:?}"
            );
        }
    }

    #[test]
    fn strip_port_keeps_ipv6_brackets() {
        assert_eq!(strip_port("example.com:8080"), "example.com");
        assert_eq!(strip_port("[::1]:8080"), "[::1]");
        assert_eq!(strip_port("[::1]"), "[::1]");
        assert_eq!(strip_port("localhost"), "localhost");
    }
}
