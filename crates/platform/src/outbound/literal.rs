//! Strict parsing of a host: an IPv6 literal (bare or in brackets), a canonical dotted-decimal
//! IPv4 address, or a DNS name. Anything that ends in a number but is not four decimal octets
//! (`0x7f000001`, `017700000001`, `2130706433`, `127.1`, `0177.0.0.1`, `127.000.0.1`,
//! `1.2.3.4.`) is refused as a non-canonical IPv4 address and never handed to the resolver, which
//! might read it as an address (the WHATWG URL and `inet_aton` readings differ from ours).

use super::SsrfError;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The longest host text an error repeats, so untrusted input cannot flood the logs.
const SHOWN_MAX: usize = 255;

/// A host, parsed: an address to check as it is, or a name to resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Host {
    Ip(IpAddr),
    /// A syntactically valid DNS name, ASCII-lowercased.
    Name(String),
}

pub(super) fn parse_host(text: &str) -> Result<Host, SsrfError> {
    let invalid = || SsrfError::InvalidHost { host: shown(text) };
    if let Some(inner) = text.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or_else(invalid)?;
        return inner.parse::<Ipv6Addr>().map(|ip| Host::Ip(ip.into())).map_err(|_| invalid());
    }
    if text.contains(':') {
        return text.parse::<Ipv6Addr>().map(|ip| Host::Ip(ip.into())).map_err(|_| invalid());
    }
    if !text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')) {
        return Err(invalid());
    }
    let name = text.to_ascii_lowercase();
    if ends_in_number(&name) {
        return match name.parse::<Ipv4Addr>() {
            Ok(ip) if ip.to_string() == name => Ok(Host::Ip(ip.into())),
            _ => Err(SsrfError::NonCanonicalIpv4 { host: shown(text) }),
        };
    }
    if !is_dns_name(&name) {
        return Err(invalid());
    }
    Ok(Host::Name(name))
}

/// The WHATWG URL test for an IPv4 host: the last label (ignoring one trailing dot) is decimal
/// digits or `0x` followed by hex digits. No top-level domain looks like that.
fn ends_in_number(name: &str) -> bool {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    let last = match trimmed.rsplit_once('.') {
        Some((_, last)) => last,
        None => trimmed,
    };
    let decimal = !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit());
    let hex = last.strip_prefix("0x").is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
    decimal || hex
}

/// Labels of 1 to 63 letters, digits, `-` (not first or last) and `_`; at most 253 characters
/// without the optional trailing dot.
fn is_dns_name(name: &str) -> bool {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    !trimmed.is_empty()
        && trimmed.len() <= 253
        && trimmed.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// `text` cut to at most [`SHOWN_MAX`] bytes (on a character boundary) for an error message.
pub(super) fn shown(text: &str) -> String {
    if text.len() <= SHOWN_MAX {
        return text.to_owned();
    }
    let mut end = SHOWN_MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
