//! CIDR blocks that may be scanned: IPv4 or IPv6, canonical text, no bits set past the prefix, and
//! at most 65,536 addresses (an IPv4 `/16`, an IPv6 `/112`), so that one asset can never expand
//! into a scan of millions of hosts.
//!
//! It must not decide whether an address may be reached: the SSRF guard does that before a scan.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The largest block a single asset may name.
pub const MAX_BLOCK_ADDRESSES: u32 = 65_536;

/// A block of at most [`MAX_BLOCK_ADDRESSES`] addresses. Only made by [`Cidr::parse`], so the
/// network address never has bits set past the prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cidr {
    network: IpAddr,
    prefix_len: u8,
}

/// Why a text is not a block that may be scanned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    #[error("`{input}` is not a CIDR block such as 192.0.2.0/24 or 2001:db8::/120")]
    Malformed { input: String },
    #[error("`{input}`: the prefix length must be a number from 0 to {max}")]
    BadPrefix { input: String, max: u8 },
    #[error("`{input}`: bits are set past the prefix length; did you mean `{suggestion}`?")]
    HostBitsSet { input: String, suggestion: String },
    #[error(
        "`{input}` holds more than 65,536 addresses; split it into /16 (IPv4) or /112 (IPv6) blocks"
    )]
    TooLarge { input: String },
}

impl Cidr {
    /// Parses `address/prefix-length`; a bare address is the block of that one address.
    pub fn parse(text: &str) -> Result<Cidr, CidrError> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr =
            address.parse().map_err(|_| CidrError::Malformed { input: text.to_owned() })?;
        let max = max_prefix_len(network);
        let prefix_len = match prefix {
            None => max,
            Some(digits) => parse_prefix(digits, max)
                .ok_or_else(|| CidrError::BadPrefix { input: text.to_owned(), max })?,
        };
        let masked = mask(network, prefix_len);
        if masked != network {
            let suggestion = format!("{masked}/{prefix_len}");
            return Err(CidrError::HostBitsSet { input: text.to_owned(), suggestion });
        }
        let cidr = Cidr { network, prefix_len };
        if cidr.host_bits() > MAX_BLOCK_ADDRESSES.trailing_zeros() {
            return Err(CidrError::TooLarge { input: text.to_owned() });
        }
        Ok(cidr)
    }

    /// The first address of the block.
    pub fn network(&self) -> IpAddr {
        self.network
    }

    pub fn prefix_len(&self) -> u8 {
        self.prefix_len
    }

    /// How many addresses the block spans, network and broadcast included.
    pub fn size(&self) -> u32 {
        1 << self.host_bits()
    }

    /// Whether `ip` lies in the block (never across address families).
    pub fn contains(&self, ip: IpAddr) -> bool {
        mask(ip, self.prefix_len) == self.network && ip.is_ipv4() == self.network.is_ipv4()
    }

    /// The addresses a scan of the block connects to, in ascending order. In IPv4 blocks of four
    /// or more addresses the network and broadcast addresses are left out, since no host answers
    /// on them (and connecting to a broadcast address is refused locally).
    pub fn hosts(&self) -> impl Iterator<Item = IpAddr> + use<> {
        let size = u128::from(self.size());
        let skip_edges = self.network.is_ipv4() && size >= 4;
        let (first, last) = if skip_edges { (1, size - 2) } else { (0, size - 1) };
        let network = self.network;
        (first..=last).map(move |offset| offset_address(network, offset))
    }

    fn host_bits(&self) -> u32 {
        u32::from(max_prefix_len(self.network) - self.prefix_len)
    }
}

fn parse_prefix(digits: &str, max: u8) -> Option<u8> {
    let canonical = !digits.is_empty()
        && digits.len() <= 3
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    digits.parse::<u8>().ok().filter(|len| canonical && *len <= max)
}

fn max_prefix_len(ip: IpAddr) -> u8 {
    if ip.is_ipv4() { 32 } else { 128 }
}

fn mask(ip: IpAddr, prefix_len: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let keep = u32::MAX.checked_shl(32 - u32::from(prefix_len.min(32))).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from_bits(v4.to_bits() & keep))
        }
        IpAddr::V6(v6) => {
            let keep = u128::MAX.checked_shl(128 - u32::from(prefix_len.min(128))).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & keep))
        }
    }
}

/// `network + offset`; the offset stays within the block, so it never carries past it.
fn offset_address(network: IpAddr, offset: u128) -> IpAddr {
    match network {
        IpAddr::V4(v4) => {
            let low = u32::try_from(offset).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from_bits(v4.to_bits() | low))
        }
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() | offset)),
    }
}

impl FromStr for Cidr {
    type Err = CidrError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Cidr {
    type Error = CidrError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Cidr> for String {
    fn from(value: Cidr) -> Self {
        value.to_string()
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix_len)
    }
}
