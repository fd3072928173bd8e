//! The SSRF guard: the one function every outbound connection goes through (webhook, Slack and
//! email deliveries now; scans and connectors later).
//!
//! It owns the decision of which addresses Palisade may connect to:
//!
//! - the IANA IPv4 and IPv6 special-purpose ranges, multicast, reserved space and the cloud
//!   metadata services are denied ([`classify`], [`Denial`]); IPv4 carried in IPv6 (mapped,
//!   compatible, NAT64, 6to4) is judged as that IPv4 address;
//! - host names are resolved at execution time, the target is refused when *any* resolved address
//!   is denied, and the checked socket addresses are returned, so the caller connects to exactly
//!   what was checked and never resolves the name a second time (no DNS-rebinding window);
//! - IPv4 literals must be canonical dotted decimal: octal, hex, dword, short and zero-padded forms
//!   are refused as errors, never resolved;
//! - the operator's allowlist ([`OutboundPolicy::parse_allowlist`], configured as
//!   `outbound.allow_cidrs` / `PALISADE_OUTBOUND_ALLOW_CIDRS`) is the only way around a denial, and
//!   it never reaches a metadata address, whatever it contains (even `0.0.0.0/0`).
//!
//! It must not connect, speak HTTP, read configuration or the environment, nor follow redirects.
//! Callers therefore must: connect only to the returned addresses (for example through a
//! resolver override keyed by [`ResolvedTarget::host`]); turn redirects off in their HTTP client
//! (a redirect is a new, unchecked target; treat it as a failure or run it through the guard
//! again); ignore proxy settings from the environment; and bound the whole call with their own
//! timeout, since name resolution can be slow.

mod cidr;
mod classify;
mod literal;
mod target;

#[cfg(test)]
mod tests;

pub use cidr::{Cidr, CidrParseError};
pub use classify::{Denial, classify};
pub use target::{ResolvedTarget, Scheme};

use literal::Host;
use std::io;
use std::net::{IpAddr, SocketAddr};

/// Why the guard refuses an outbound target. Messages name the host, never a whole URL (webhook
/// URLs often carry secrets in their path or query).
#[derive(Debug, thiserror::Error)]
pub enum SsrfError {
    /// The message names the reason only for an address given as such: for a name it says
    /// that it resolves to a non-public address and not which one, so that the refusal does not
    /// map internal names for whoever sends them (the address and reason are logged).
    #[error("{}", denied_message(host, *by_name, reason))]
    Denied { host: String, ip: IpAddr, reason: Denial, by_name: bool },
    #[error("`{host}` is a cloud metadata service name")]
    MetadataName { host: String },
    #[error("`{host}` is a non-canonical IPv4 address; write IPv4 as four decimal numbers a.b.c.d")]
    NonCanonicalIpv4 { host: String },
    #[error("`{host}` is not a valid host name or IP address")]
    InvalidHost { host: String },
    #[error("the URL is not accepted for outbound connections: {reason}")]
    InvalidUrl { reason: &'static str },
    #[error("could not resolve `{host}`")]
    Resolve {
        host: String,
        #[source]
        source: io::Error,
    },
    #[error("`{host}` resolved to no addresses")]
    NoAddresses { host: String },
}

fn denied_message(host: &str, by_name: bool, reason: &Denial) -> String {
    match by_name {
        true => format!("`{host}` resolves to a non-public address"),
        false => format!("`{host}` is not a public address: it is {} {reason}", article(reason)),
    }
}

fn article(reason: &Denial) -> &'static str {
    match reason.to_string().starts_with(['a', 'e', 'i', 'o', 'u', 'I', 'O']) {
        true => "an",
        false => "a",
    }
}

/// Which outbound addresses are allowed: everything public, plus the operator's allowlist. The
/// default allowlists nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutboundPolicy {
    allow: Vec<Cidr>,
}

impl OutboundPolicy {
    /// Public addresses only; the production default.
    pub fn deny_private() -> Self {
        Self::default()
    }

    /// Public addresses and those in `allow` (except metadata addresses, which stay denied).
    pub fn with_allowlist(allow: Vec<Cidr>) -> Self {
        Self { allow }
    }

    /// The policy for a comma-separated allowlist such as `127.0.0.0/8, ::1/128`; an empty text
    /// allowlists nothing.
    pub fn parse_allowlist(text: &str) -> Result<Self, CidrParseError> {
        Cidr::parse_list(text).map(Self::with_allowlist)
    }

    pub fn allowlist(&self) -> &[Cidr] {
        &self.allow
    }

    /// Whether a connection to `ip` is allowed.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), SsrfError> {
        self.check(&ip.to_string(), ip, false)
    }

    /// Parses `host` (a DNS name, a canonical IPv4 address, or an IPv6 address with or without
    /// brackets), resolves a name now, and returns the addresses to connect to, every one of
    /// them checked. Refuses the host when any resolved address is denied.
    pub async fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, SsrfError> {
        let parsed = literal::parse_host(host)?;
        self.resolve_parsed(host, parsed, port).await
    }

    /// Like [`OutboundPolicy::resolve`] for the host and port of an `http` or `https` URL (the
    /// scheme's default port when none is given). Redirects are the caller's to refuse.
    pub async fn resolve_url(&self, url: &str) -> Result<ResolvedTarget, SsrfError> {
        let parts = target::parse_url(url)?;
        let addrs = self.resolve_parsed(&parts.host_text, parts.host, parts.port).await?;
        Ok(ResolvedTarget { scheme: parts.scheme, host: parts.host_text, port: parts.port, addrs })
    }

    /// Checks the addresses `host` resolved to through a resolver of the caller's own (the
    /// Surface capability asks its configured nameservers): refuses a metadata service name, an
    /// empty answer, and the host when any address is denied, exactly as `resolve` would. The
    /// caller then connects to these addresses only.
    pub fn check_resolved(&self, host: &str, addrs: &[IpAddr]) -> Result<(), SsrfError> {
        let parsed = literal::parse_host(host)?;
        let by_name = match &parsed {
            Host::Name(name) if classify::is_metadata_name(name) => {
                return Err(SsrfError::MetadataName { host: literal::shown(host) });
            }
            Host::Name(_) => true,
            Host::Ip(_) => false,
        };
        if addrs.is_empty() {
            return Err(SsrfError::NoAddresses { host: literal::shown(host) });
        }
        addrs.iter().try_for_each(|ip| self.check(host, *ip, by_name))
    }

    async fn resolve_parsed(
        &self,
        text: &str,
        host: Host,
        port: u16,
    ) -> Result<Vec<SocketAddr>, SsrfError> {
        let by_name = matches!(host, Host::Name(_));
        let addrs = match host {
            Host::Ip(ip) => vec![SocketAddr::new(ip, port)],
            Host::Name(name) if classify::is_metadata_name(&name) => {
                return Err(SsrfError::MetadataName { host: literal::shown(text) });
            }
            Host::Name(name) => {
                let found = tokio::net::lookup_host((name.as_str(), port))
                    .await
                    .map_err(|source| SsrfError::Resolve { host: literal::shown(text), source })?;
                let mut addrs: Vec<SocketAddr> = Vec::new();
                for addr in found {
                    if !addrs.contains(&addr) {
                        addrs.push(addr);
                    }
                }
                addrs
            }
        };
        if addrs.is_empty() {
            return Err(SsrfError::NoAddresses { host: literal::shown(text) });
        }
        for addr in &addrs {
            self.check(text, addr.ip(), by_name)?;
        }
        Ok(addrs)
    }

    fn check(&self, host: &str, ip: IpAddr, by_name: bool) -> Result<(), SsrfError> {
        match classify::judge(ip, |ip| self.allow.iter().any(|cidr| cidr.contains(ip))) {
            None => Ok(()),
            Some(reason) => {
                let host = literal::shown(host);
                if by_name {
                    tracing::info!(%host, %ip, %reason, "outbound connection refused");
                }
                Err(SsrfError::Denied { host, ip, reason, by_name })
            }
        }
    }
}
