//! CIDR blocks (`10.0.0.0/8`, `fd00::/8`) for the operator's outbound allowlist, parsed strictly:
//! canonical addresses only, and no bits set past the prefix, so a typo such as `10.0.0.1/8` is
//! reported rather than silently widened or narrowed.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// A block of IPv4 or IPv6 addresses. Only made by [`Cidr::parse`], so the network address never
/// has bits set past the prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cidr {
    network: IpAddr,
    prefix_len: u8,
}

/// Why a text is not a CIDR block. The message names the text and says what to write instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a CIDR block such as 10.0.0.0/8 or fd00::/8: {reason}")]
pub struct CidrParseError {
    pub input: String,
    pub reason: String,
}

impl Cidr {
    /// Parses `address/prefix-length`; a bare address is the block of that one address (`/32` or
    /// `/128`). IPv4 must be four decimal numbers without leading zeros.
    pub fn parse(text: &str) -> Result<Cidr, CidrParseError> {
        let fail = |reason: &str| CidrParseError { input: text.to_owned(), reason: reason.into() };
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr =
            address.parse().map_err(|_| fail("the address is not an IPv4 or IPv6 address"))?;
        let max = max_prefix_len(network);
        let prefix_len = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(len) if len <= max && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                    len
                }
                _ => {
                    return Err(fail(&format!(
                        "the prefix length must be a number from 0 to {max}"
                    )));
                }
            },
        };
        let masked = mask(network, prefix_len);
        if masked != network {
            return Err(fail(&format!(
                "bits are set past the prefix length; did you mean {masked}/{prefix_len}?"
            )));
        }
        Ok(Cidr { network, prefix_len })
    }

    /// The first address of the block.
    pub fn network(&self) -> IpAddr {
        self.network
    }

    pub fn prefix_len(&self) -> u8 {
        self.prefix_len
    }

    /// Whether `ip` lies in the block. An IPv4 block never contains an IPv6 address nor the other
    /// way round; the guard itself looks at IPv4 addresses embedded in IPv6 ones.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                in_v4(ip.to_bits(), net.to_bits(), self.prefix_len)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                in_v6(ip.to_bits(), net.to_bits(), self.prefix_len)
            }
            _ => false,
        }
    }

    /// Parses a comma-separated list such as `127.0.0.0/8, ::1/128`; empty items are skipped, so
    /// an empty text is an empty list.
    pub fn parse_list(text: &str) -> Result<Vec<Cidr>, CidrParseError> {
        text.split(',').map(str::trim).filter(|item| !item.is_empty()).map(Cidr::parse).collect()
    }
}

impl FromStr for Cidr {
    type Err = CidrParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix_len)
    }
}

fn max_prefix_len(ip: IpAddr) -> u8 {
    if ip.is_ipv4() { 32 } else { 128 }
}

fn mask(ip: IpAddr, prefix_len: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(Ipv4Addr::from_bits(v4.to_bits() & mask_v4(prefix_len))),
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & mask_v6(prefix_len))),
    }
}

fn mask_v4(prefix_len: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix_len.min(32))).unwrap_or(0)
}

fn mask_v6(prefix_len: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(prefix_len.min(128))).unwrap_or(0)
}

/// Whether the IPv4 address `ip` (as bits) lies in `net/prefix_len`.
pub(super) fn in_v4(ip: u32, net: u32, prefix_len: u8) -> bool {
    ip & mask_v4(prefix_len) == net
}

/// Whether the IPv6 address `ip` (as bits) lies in `net/prefix_len`.
pub(super) fn in_v6(ip: u128, net: u128, prefix_len: u8) -> bool {
    ip & mask_v6(prefix_len) == net
}
