//! `http` and `https` URLs reduced to what the guard needs (scheme, host, port), parsed more
//! strictly than a browser would: no user information, no backslashes, whitespace, control or
//! non-ASCII characters, an explicit port only as 1 to 65535. Whatever a lenient parser could read
//! differently from this one is refused, so the host checked here is the host connected to.

use super::SsrfError;
use super::literal::{self, Host};
use std::fmt;
use std::net::SocketAddr;

/// Longer URLs are refused before they are looked at.
const MAX_URL_LEN: usize = 8 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        })
    }
}

/// A URL's target after the guard resolved and checked it. Only the guard makes one, so holding
/// one proves that every address in it passed the check. Connect to [`ResolvedTarget::addrs`];
/// use [`ResolvedTarget::host`] only for TLS server name and the `Host` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedTarget {
    pub(super) scheme: Scheme,
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) addrs: Vec<SocketAddr>,
}

impl ResolvedTarget {
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host as the URL spells it, ASCII-lowercased (IPv6 in brackets), so that it can key a
    /// client's resolver override for exactly this URL.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The explicit port, or the scheme's default.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The checked addresses, in resolver order; never empty.
    pub fn addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }
}

/// A URL split into what is resolved and checked; the path, query and fragment are ignored.
#[derive(Debug)]
pub(super) struct UrlParts {
    pub(super) scheme: Scheme,
    pub(super) host_text: String,
    pub(super) host: Host,
    pub(super) port: u16,
}

pub(super) fn parse_url(url: &str) -> Result<UrlParts, SsrfError> {
    let bad = |reason: &'static str| SsrfError::InvalidUrl { reason };
    if url.len() > MAX_URL_LEN {
        return Err(bad("it is longer than 8 KiB"));
    }
    if !url.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') {
        return Err(bad("it contains whitespace, control, backslash or non-ASCII characters"));
    }
    let (scheme, rest) = url.split_once("://").ok_or(bad("it does not start with http(s)://"))?;
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        Scheme::Https
    } else if scheme.eq_ignore_ascii_case("http") {
        Scheme::Http
    } else {
        return Err(bad("only http and https URLs are allowed"));
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.contains('@') {
        return Err(bad("it carries a user name or password"));
    }
    let (host_text, port_text) = if authority.starts_with('[') {
        let close = authority.find(']').ok_or(bad("its IPv6 address lacks a closing `]`"))?;
        let after = &authority[close + 1..];
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or(bad("text follows its IPv6 address"))?),
        };
        (&authority[..=close], port)
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host_text.is_empty() {
        return Err(bad("it has no host"));
    }
    let port = match port_text {
        None => scheme.default_port(),
        Some(p) => match p.parse::<u16>() {
            Ok(port) if port != 0 && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => port,
            _ => return Err(bad("its port is not a number from 1 to 65535")),
        },
    };
    let host = literal::parse_host(host_text)?;
    Ok(UrlParts { scheme, host_text: host_text.to_ascii_lowercase(), host, port })
}
