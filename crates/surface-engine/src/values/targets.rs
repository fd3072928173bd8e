//! Scan targets: the addresses a scan connects to, each optionally tagged with the domain it was
//! resolved from (sent as SNI and checked against certificates), and the expansion of the IP and
//! CIDR values a user names into that list, deduplicated and bounded.
//!
//! It must not resolve names: a domain reaches the scanner only as addresses the caller resolved
//! through the SSRF guard, via [`ScanTarget::named`].

use std::collections::BTreeSet;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::asset::{AssetError, AssetValue};
use super::cidr::{Cidr, MAX_BLOCK_ADDRESSES};
use super::domain::DomainName;

/// The most addresses one scan may connect to, whatever the number of blocks named.
pub const MAX_SCAN_ADDRESSES: usize = MAX_BLOCK_ADDRESSES as usize;

/// An address or a block, as named on the command line or by an `ip`/`cidr` asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Target {
    Address(IpAddr),
    Block(Cidr),
}

/// One address to scan, with the domain it stands for when there is one. The address is never an
/// IPv4-mapped IPv6 address (it is stored as the IPv4 address it names), also when deserialized.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "ScanTargetParts")]
pub struct ScanTarget {
    address: IpAddr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    server_name: Option<DomainName>,
}

#[derive(Deserialize)]
struct ScanTargetParts {
    address: IpAddr,
    #[serde(default)]
    server_name: Option<DomainName>,
}

/// Why a list of targets cannot be scanned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("`{input}` is a domain; resolve it first and scan its addresses")]
    DomainNotResolved { input: String },
    #[error(transparent)]
    Asset(#[from] AssetError),
    #[error("no targets to scan")]
    NoTargets,
    #[error("the targets add up to more than 65,536 addresses, the most one scan covers")]
    TooMany,
}

impl Target {
    /// Parses an IP address or a CIDR block; a domain is refused, since expanding a target never
    /// resolves names.
    pub fn parse(text: &str) -> Result<Target, TargetError> {
        match AssetValue::parse_any(text)? {
            AssetValue::Ip(ip) => Ok(Target::Address(ip)),
            AssetValue::Cidr(cidr) => Ok(Target::Block(cidr)),
            AssetValue::Domain(_) => Err(TargetError::DomainNotResolved { input: text.to_owned() }),
        }
    }

    /// Whether scanning this target connects to `ip`.
    pub fn covers(&self, ip: IpAddr) -> bool {
        match self {
            Target::Address(address) => *address == ip,
            Target::Block(cidr) => cidr.contains(ip),
        }
    }
}

impl ScanTarget {
    pub fn of_address(address: IpAddr) -> ScanTarget {
        ScanTarget { address: address.to_canonical(), server_name: None }
    }

    /// An address the caller resolved `server_name` to.
    pub fn named(address: IpAddr, server_name: DomainName) -> ScanTarget {
        ScanTarget { address: address.to_canonical(), server_name: Some(server_name) }
    }

    pub fn address(&self) -> IpAddr {
        self.address
    }

    /// The domain sent as SNI and checked against certificates.
    pub fn server_name(&self) -> Option<&DomainName> {
        self.server_name.as_ref()
    }
}

impl From<ScanTargetParts> for ScanTarget {
    fn from(parts: ScanTargetParts) -> ScanTarget {
        ScanTarget { address: parts.address.to_canonical(), server_name: parts.server_name }
    }
}

/// Expands addresses and blocks into the addresses to scan, in ascending order, each once.
pub fn expand(targets: &[Target]) -> Result<Vec<ScanTarget>, TargetError> {
    if targets.is_empty() {
        return Err(TargetError::NoTargets);
    }
    let mut addresses = BTreeSet::new();
    for target in targets {
        match target {
            Target::Address(ip) => {
                addresses.insert(*ip);
            }
            Target::Block(cidr) => addresses.extend(cidr.hosts()),
        }
        // Checked after each block (itself at most 65,536 addresses), so a long list of blocks
        // is refused before it is held in memory.
        if addresses.len() > MAX_SCAN_ADDRESSES {
            return Err(TargetError::TooMany);
        }
    }
    Ok(addresses.into_iter().map(ScanTarget::of_address).collect())
}

impl FromStr for Target {
    type Err = TargetError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Target {
    type Error = TargetError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Target> for String {
    fn from(value: Target) -> Self {
        value.to_string()
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Address(ip) => ip.fmt(f),
            Target::Block(cidr) => cidr.fmt(f),
        }
    }
}
