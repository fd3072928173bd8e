//! Asset values: what a tenant registers for monitoring (a domain, an IP address or a CIDR block),
//! parsed into one canonical form so that `Example.COM.`, `example.com` and `example.com` are one
//! asset and `2001:DB8::1` is stored as `2001:db8::1`.
//!
//! It must not resolve domains nor judge whether an address may be scanned (the SSRF guard does).

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::cidr::{Cidr, CidrError};
use super::domain::{DomainError, DomainName};

/// The three kinds of asset the Surface module monitors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    Domain,
    Ip,
    Cidr,
}

/// A parsed asset value; its [`fmt::Display`] is the canonical text to store.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum AssetValue {
    Domain(DomainName),
    Ip(IpAddr),
    Cidr(Cidr),
}

/// Why a text is not an asset value of the kind asked for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssetError {
    #[error("unknown asset kind `{0}`; use domain, ip or cidr")]
    UnknownKind(String),
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("`{input}` is not an IP address such as 192.0.2.10 or 2001:db8::10")]
    Ip { input: String },
    #[error(transparent)]
    Cidr(#[from] CidrError),
}

impl AssetKind {
    pub fn parse(text: &str) -> Result<AssetKind, AssetError> {
        match text {
            "domain" => Ok(AssetKind::Domain),
            "ip" => Ok(AssetKind::Ip),
            "cidr" => Ok(AssetKind::Cidr),
            other => Err(AssetError::UnknownKind(other.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AssetKind::Domain => "domain",
            AssetKind::Ip => "ip",
            AssetKind::Cidr => "cidr",
        }
    }
}

impl AssetValue {
    /// Parses `text` as an asset of `kind`. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is
    /// stored as the IPv4 address it names, so one host is never two assets.
    pub fn parse(kind: AssetKind, text: &str) -> Result<AssetValue, AssetError> {
        match kind {
            AssetKind::Domain => Ok(AssetValue::Domain(DomainName::parse(text)?)),
            AssetKind::Ip => parse_ip(text).map(AssetValue::Ip),
            AssetKind::Cidr => Ok(AssetValue::Cidr(Cidr::parse(text)?)),
        }
    }

    /// Parses a value whose kind the user did not say (a CLI argument): a text with `/` is a
    /// block, one that parses as an address is an address, anything else must be a domain.
    pub fn parse_any(text: &str) -> Result<AssetValue, AssetError> {
        if text.contains('/') {
            AssetValue::parse(AssetKind::Cidr, text)
        } else if let Ok(ip) = parse_ip(text) {
            Ok(AssetValue::Ip(ip))
        } else {
            AssetValue::parse(AssetKind::Domain, text)
        }
    }

    pub fn kind(&self) -> AssetKind {
        match self {
            AssetValue::Domain(_) => AssetKind::Domain,
            AssetValue::Ip(_) => AssetKind::Ip,
            AssetValue::Cidr(_) => AssetKind::Cidr,
        }
    }

    /// The domain, for SNI and the certificate hostname check; `None` for addresses and blocks.
    pub fn domain(&self) -> Option<&DomainName> {
        match self {
            AssetValue::Domain(domain) => Some(domain),
            AssetValue::Ip(_) | AssetValue::Cidr(_) => None,
        }
    }
}

fn parse_ip(text: &str) -> Result<IpAddr, AssetError> {
    let ip: IpAddr = text.parse().map_err(|_| AssetError::Ip { input: text.to_owned() })?;
    Ok(ip.to_canonical())
}

impl FromStr for AssetKind {
    type Err = AssetError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for AssetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for AssetValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssetValue::Domain(domain) => domain.fmt(f),
            AssetValue::Ip(ip) => ip.fmt(f),
            AssetValue::Cidr(cidr) => cidr.fmt(f),
        }
    }
}
