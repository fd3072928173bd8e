//! The address registries: which IP addresses an outbound connection must never reach, and why.
//!
//! Sources: the IANA IPv4 and IPv6 Special-Purpose Address Registries, the IANA IPv6 address
//! space (only `2000::/3` is allocated as global unicast; everything else outside the ranges named
//! here is judged [`Denial::Reserved`]), multicast, and the cloud metadata services. IPv4 carried
//! inside IPv6 (IPv4-mapped, IPv4-compatible, NAT64, 6to4) is judged as the IPv4 address it
//! reaches. Whole blocks are denied even where the registry marks a few single addresses inside
//! them as globally reachable (for example `192.0.0.9`, `2001:1::1`); an operator who needs one
//! allowlists it.

use super::cidr::{in_v4, in_v6};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why the guard refuses an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Denial {
    /// `0.0.0.0`, `::` (connecting to them reaches the local host).
    Unspecified,
    /// `127.0.0.0/8`, `::1`.
    Loopback,
    /// RFC 1918 (`10/8`, `172.16/12`, `192.168/16`) and IPv6 unique local `fc00::/7`.
    Private,
    /// Carrier-grade NAT, `100.64.0.0/10`.
    SharedAddressSpace,
    /// `169.254.0.0/16`, `fe80::/10`.
    LinkLocal,
    /// The deprecated IPv6 site-local `fec0::/10`.
    SiteLocal,
    /// A cloud instance-metadata service; never allowed, whatever the allowlist says.
    Metadata,
    /// `224.0.0.0/4`, `ff00::/8`.
    Multicast,
    /// `255.255.255.255`.
    Broadcast,
    /// `192.0.2/24`, `198.51.100/24`, `203.0.113/24`, `2001:db8::/32`, `3fff::/20`.
    Documentation,
    /// `198.18.0.0/15`, `2001:2::/48`.
    Benchmarking,
    /// IETF protocol assignments: `192.0.0.0/24`, `2001::/23`.
    ProtocolAssignment,
    /// The deprecated 6to4 relay anycast `192.88.99.0/24`.
    SixToFourRelay,
    /// Teredo tunnelling, `2001::/32`.
    Teredo,
    /// ORCHID and ORCHIDv2 identifiers, `2001:10::/28` and `2001:20::/28`.
    Orchid,
    /// The IPv6 discard-only prefix `100::/64`.
    DiscardOnly,
    /// Reserved or unallocated: `0.0.0.0/8`, `240.0.0.0/4`, IPv6 outside `2000::/3`.
    Reserved,
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Denial::Unspecified => "unspecified address",
            Denial::Loopback => "loopback address",
            Denial::Private => "private-use address",
            Denial::SharedAddressSpace => "shared (carrier-grade NAT) address",
            Denial::LinkLocal => "link-local address",
            Denial::SiteLocal => "site-local address",
            Denial::Metadata => "cloud metadata service address",
            Denial::Multicast => "multicast address",
            Denial::Broadcast => "broadcast address",
            Denial::Documentation => "documentation address",
            Denial::Benchmarking => "benchmarking address",
            Denial::ProtocolAssignment => "IETF protocol assignment address",
            Denial::SixToFourRelay => "6to4 relay anycast address",
            Denial::Teredo => "Teredo tunnel address",
            Denial::Orchid => "ORCHID identifier",
            Denial::DiscardOnly => "discard-only address",
            Denial::Reserved => "reserved address",
        })
    }
}

/// Cloud metadata and credential endpoints, each with the provider that documents it. Inside
/// ranges that are denied anyway, they are listed so that no allowlist reaches them.
const METADATA_V4: [Ipv4Addr; 7] = [
    // Instance metadata of AWS EC2, GCP, Azure IMDS, Oracle Cloud (OCI), DigitalOcean, OpenStack.
    Ipv4Addr::new(169, 254, 169, 254),
    // AWS ECS task metadata and credentials.
    Ipv4Addr::new(169, 254, 170, 2),
    // AWS EKS Pod Identity agent (credentials).
    Ipv4Addr::new(169, 254, 170, 23),
    // Alibaba Cloud ECS metadata.
    Ipv4Addr::new(100, 100, 100, 200),
    // Oracle Cloud Infrastructure metadata (legacy address).
    Ipv4Addr::new(192, 0, 0, 192),
    // Azure WireServer (VM agent, extensions, certificates); also the Azure DNS/DHCP host.
    Ipv4Addr::new(168, 63, 129, 16),
    // Tencent Cloud metadata.
    Ipv4Addr::new(169, 254, 0, 23),
];

/// The same over IPv6.
const METADATA_V6: [Ipv6Addr; 2] = [
    // AWS EC2 instance metadata (IMDS) over IPv6.
    Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254),
    // AWS EKS Pod Identity agent over IPv6.
    Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23),
];

/// Names of metadata services, refused before they are resolved (they resolve only inside the
/// cloud, where an allowlist might cover their address).
const METADATA_NAMES: [&str; 6] = [
    // GCP: the documented name, its short form and the newer alias.
    "metadata.google.internal",
    "metadata",
    "metadata.goog",
    // AWS EC2.
    "instance-data",
    "instance-data.ec2.internal",
    // Tencent Cloud.
    "metadata.tencentyun.com",
];

/// Whether `name` (lowercase, one trailing dot allowed) names a metadata service.
pub(super) fn is_metadata_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    METADATA_NAMES.contains(&name)
}

/// Denied IPv4 blocks; the first match wins, so narrower blocks come before wider ones.
#[rustfmt::skip]
const V4_RANGES: &[(Ipv4Addr, u8, Denial)] = &[
    (Ipv4Addr::new(0, 0, 0, 0), 32, Denial::Unspecified),
    (Ipv4Addr::new(0, 0, 0, 0), 8, Denial::Reserved),
    (Ipv4Addr::new(10, 0, 0, 0), 8, Denial::Private),
    (Ipv4Addr::new(100, 64, 0, 0), 10, Denial::SharedAddressSpace),
    (Ipv4Addr::new(127, 0, 0, 0), 8, Denial::Loopback),
    (Ipv4Addr::new(169, 254, 0, 0), 16, Denial::LinkLocal),
    (Ipv4Addr::new(172, 16, 0, 0), 12, Denial::Private),
    (Ipv4Addr::new(192, 0, 0, 0), 24, Denial::ProtocolAssignment),
    (Ipv4Addr::new(192, 0, 2, 0), 24, Denial::Documentation),
    (Ipv4Addr::new(192, 88, 99, 0), 24, Denial::SixToFourRelay),
    (Ipv4Addr::new(192, 168, 0, 0), 16, Denial::Private),
    (Ipv4Addr::new(198, 18, 0, 0), 15, Denial::Benchmarking),
    (Ipv4Addr::new(198, 51, 100, 0), 24, Denial::Documentation),
    (Ipv4Addr::new(203, 0, 113, 0), 24, Denial::Documentation),
    (Ipv4Addr::new(224, 0, 0, 0), 4, Denial::Multicast),
    (Ipv4Addr::new(255, 255, 255, 255), 32, Denial::Broadcast),
    (Ipv4Addr::new(240, 0, 0, 0), 4, Denial::Reserved),
];

/// Denied IPv6 blocks that carry no IPv4 address; the first match wins.
#[rustfmt::skip]
const V6_RANGES: &[(Ipv6Addr, u8, Denial)] = &[
    (Ipv6Addr::UNSPECIFIED, 128, Denial::Unspecified),
    (Ipv6Addr::LOCALHOST, 128, Denial::Loopback),
    (Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0), 64, Denial::DiscardOnly),
    (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 32, Denial::Teredo),
    (Ipv6Addr::new(0x2001, 2, 0, 0, 0, 0, 0, 0), 48, Denial::Benchmarking),
    (Ipv6Addr::new(0x2001, 0x10, 0, 0, 0, 0, 0, 0), 28, Denial::Orchid),
    (Ipv6Addr::new(0x2001, 0x20, 0, 0, 0, 0, 0, 0), 28, Denial::Orchid),
    (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 23, Denial::ProtocolAssignment),
    (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32, Denial::Documentation),
    (Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0), 20, Denial::Documentation),
    (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7, Denial::Private),
    (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10, Denial::LinkLocal),
    (Ipv6Addr::new(0xfec0, 0, 0, 0, 0, 0, 0, 0), 10, Denial::SiteLocal),
    (Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8, Denial::Multicast),
];

/// The only IPv6 space allocated for global unicast.
const GLOBAL_UNICAST: Ipv6Addr = Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0);
const IPV4_MAPPED: Ipv6Addr = Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0);
const NAT64: Ipv6Addr = Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0);
const NAT64_LOCAL: Ipv6Addr = Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0);
const SIX_TO_FOUR: Ipv6Addr = Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0);

/// Why `ip` must not be reached, or `None` for a public address. This is the verdict without any
/// allowlist; [`super::OutboundPolicy::check_ip`] applies the operator's.
pub fn classify(ip: IpAddr) -> Option<Denial> {
    judge(ip, |_| false)
}

/// The verdict on `ip` given what the operator allows. Metadata addresses are denied first, so no
/// allowlist reaches them; an allowlisted address is then allowed as it is; an IPv6 address that
/// carries IPv4 is judged by the IPv4 it carries, each of which the allowlist may also allow.
pub(super) fn judge(ip: IpAddr, allowed: impl Fn(IpAddr) -> bool) -> Option<Denial> {
    let carried = match ip {
        IpAddr::V4(_) => [None; 4],
        IpAddr::V6(v6) => carried_ipv4(v6),
    };
    if is_metadata(ip) || carried.iter().flatten().any(|v4| METADATA_V4.contains(v4)) {
        return Some(Denial::Metadata);
    }
    if allowed(ip) {
        return None;
    }
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(_) if carried[0].is_some() => carried
            .into_iter()
            .flatten()
            .find_map(|v4| classify_v4(v4).filter(|_| !allowed(IpAddr::V4(v4)))),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn is_metadata(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => METADATA_V4.contains(&v4),
        IpAddr::V6(v6) => METADATA_V6.contains(&v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<Denial> {
    let bits = ip.to_bits();
    V4_RANGES
        .iter()
        .find(|(net, len, _)| in_v4(bits, net.to_bits(), *len))
        .map(|(_, _, denial)| *denial)
}

/// The verdict on an IPv6 address that carries no IPv4 address.
fn classify_v6(ip: Ipv6Addr) -> Option<Denial> {
    let bits = ip.to_bits();
    let listed = V6_RANGES
        .iter()
        .find(|(net, len, _)| in_v6(bits, net.to_bits(), *len))
        .map(|(_, _, denial)| *denial);
    match listed {
        Some(denial) => Some(denial),
        None if !in_v6(bits, GLOBAL_UNICAST.to_bits(), 3) => Some(Denial::Reserved),
        None => None,
    }
}

/// The IPv4 addresses an IPv6 address reaches: one for IPv4-mapped `::ffff:0:0/96`,
/// IPv4-compatible `::/96` (but `::` and `::1`), NAT64 `64:ff9b::/96` and 6to4 `2002::/16`
/// (bits 16..48); for the local-use NAT64 prefix `64:ff9b:1::/48`, whose prefix length is the
/// operator's choice, every RFC 6052 position it may sit in (`/96`, `/64`, `/56`, `/48`), so that
/// the address is refused when any of them is.
fn carried_ipv4(ip: Ipv6Addr) -> [Option<Ipv4Addr>; 4] {
    let bits = ip.to_bits();
    let o = ip.octets();
    let last32 = Ipv4Addr::new(o[12], o[13], o[14], o[15]);
    let one = |v4| [Some(v4), None, None, None];
    let compatible = in_v6(bits, 0, 96) && bits > 1;
    if compatible || in_v6(bits, IPV4_MAPPED.to_bits(), 96) || in_v6(bits, NAT64.to_bits(), 96) {
        one(last32)
    } else if in_v6(bits, SIX_TO_FOUR.to_bits(), 16) {
        one(Ipv4Addr::new(o[2], o[3], o[4], o[5]))
    } else if in_v6(bits, NAT64_LOCAL.to_bits(), 48) {
        [
            Some(last32),
            Some(Ipv4Addr::new(o[9], o[10], o[11], o[12])),
            Some(Ipv4Addr::new(o[7], o[9], o[10], o[11])),
            Some(Ipv4Addr::new(o[6], o[7], o[9], o[10])),
        ]
    } else {
        [None; 4]
    }
}
