//! The HTTP(S) well-known file: `GET {https,http}://<host>/.well-known/palisade-verify/<token>`
//! answers 200 with the token as its body. The host (a domain, or a single IP address) is
//! resolved by surface's resolver and passed through the SSRF guard; the client connects only
//! to the checked addresses, ignores proxy settings, follows at most three redirects and only
//! on the same host, and reads at most 1 KiB of the body.
//!
//! Certificates are not validated over HTTPS: the proof is the token in the body, and anyone
//! able to forge the certificate is on the path and could forge plain HTTP as well.

use super::{Outcome, Verifier, WELL_KNOWN_PATH};
use crate::dns::LookupError;
use std::error::Error as _;
use std::net::{IpAddr, SocketAddr};
use surface_engine::values::AssetValue;

const USER_AGENT: &str = concat!("Palisade-Verify/", env!("CARGO_PKG_VERSION"));
const MAX_BODY: usize = 1024;
const MAX_REDIRECTS: usize = 3;

/// Fetches the file over HTTPS, then HTTP, and judges what came back.
pub(super) async fn check(verifier: &Verifier, value: &AssetValue, token: &str) -> Outcome {
    let (host, addresses) = match value {
        AssetValue::Domain(domain) => {
            let name = domain.as_str();
            let addresses = match verifier.dns().addresses(name).await {
                Ok(addresses) => addresses,
                Err(LookupError::NotFound(reason)) => return Outcome::NotProven(reason),
                Err(LookupError::Failed(reason)) => return Outcome::Unreachable(reason),
            };
            if let Err(refused) = verifier.policy().check_resolved(name, &addresses) {
                return Outcome::NotProven(format!("refused by the outbound policy: {refused}"));
            }
            (name.to_string(), addresses)
        }
        AssetValue::Ip(ip) => {
            if let Err(refused) = verifier.policy().check_ip(*ip) {
                return Outcome::NotProven(format!("refused by the outbound policy: {refused}"));
            }
            (authority(*ip), vec![*ip])
        }
        AssetValue::Cidr(_) => {
            return Outcome::NotProven("a well-known file proves a domain or one address".into());
        }
    };
    let settings = verifier.settings();
    let mut outcomes = Vec::new();
    for (scheme, port) in
        [("https", settings.verify_https_port), ("http", settings.verify_http_port)]
    {
        let url = format!("{scheme}://{host}:{port}{WELL_KNOWN_PATH}{token}");
        let outcome = fetch(verifier, &host, &addresses, &url, token).await;
        if outcome == Outcome::Proven {
            return outcome;
        }
        outcomes.push(outcome);
    }
    let reasons: Vec<String> = outcomes
        .iter()
        .map(|outcome| match outcome {
            Outcome::NotProven(reason) | Outcome::Unreachable(reason) => reason.clone(),
            Outcome::Proven => String::new(),
        })
        .collect();
    let definite = outcomes.iter().any(|o| matches!(o, Outcome::NotProven(_)));
    match definite {
        true => Outcome::NotProven(reasons.join("; ")),
        false => Outcome::Unreachable(reasons.join("; ")),
    }
}

/// An address as a URL's host (IPv6 in brackets).
fn authority(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

async fn fetch(
    verifier: &Verifier,
    host: &str,
    addresses: &[IpAddr],
    url: &str,
    token: &str,
) -> Outcome {
    let same_host = host.to_string();
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        let target = attempt.url().host_str().map(str::to_ascii_lowercase);
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.stop()
        } else if target.as_deref() == Some(same_host.as_str()) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    let timeout = verifier.settings().verify_timeout;
    let sockets: Vec<SocketAddr> = addresses.iter().map(|ip| SocketAddr::new(*ip, 0)).collect();
    let client = reqwest::Client::builder()
        .redirect(redirects)
        .no_proxy()
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(USER_AGENT)
        .danger_accept_invalid_certs(true)
        .resolve_to_addrs(host, &sockets)
        .build();
    let Ok(client) = client else {
        return Outcome::Unreachable("could not build an HTTP client".into());
    };
    let mut response = match client.get(url).send().await {
        Ok(response) => response,
        Err(error) => return Outcome::Unreachable(describe(&error, url)),
    };
    let status = response.status();
    if status.is_redirection() {
        return Outcome::NotProven(format!(
            "{url} redirects to another host (HTTP {}); redirects are followed only on the same host",
            status.as_u16()
        ));
    }
    if status.is_server_error() {
        return Outcome::Unreachable(format!("HTTP {} from {url}", status.as_u16()));
    }
    if status != reqwest::StatusCode::OK {
        return Outcome::NotProven(format!("HTTP {} from {url}", status.as_u16()));
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk);
                if body.len() > MAX_BODY {
                    return Outcome::NotProven(format!("{url} answers more than {MAX_BODY} bytes"));
                }
            }
            Ok(None) => break,
            Err(error) => return Outcome::Unreachable(describe(&error, url)),
        }
    }
    match String::from_utf8_lossy(&body).trim() == token {
        true => Outcome::Proven,
        false => Outcome::NotProven(format!("{url} does not contain this asset's token")),
    }
}

/// A transport failure in words.
fn describe(error: &reqwest::Error, url: &str) -> String {
    let mut root: Option<&dyn std::error::Error> = error.source();
    while let Some(next) = root.and_then(|e| e.source()) {
        root = Some(next);
    }
    let cause = root.map(|e| format!(": {e}")).unwrap_or_default();
    if error.is_timeout() {
        format!("timed out fetching {url}")
    } else if error.is_connect() {
        format!("could not connect for {url}{cause}")
    } else {
        format!("fetching {url} failed{cause}")
    }
}
