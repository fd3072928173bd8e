//! The address table: one row per address, with the verdict the default policy must give.

use super::Expect::{self, Allow, Deny};
use super::*;
use Denial::*;

const CASES: &[(&str, Expect)] = &[
    // Public IPv4, including the first addresses outside denied blocks.
    ("8.8.8.8", Allow),
    ("1.1.1.1", Allow),
    ("9.9.9.9", Allow),
    ("1.0.0.1", Allow),
    ("11.0.0.1", Allow),
    ("126.255.255.255", Allow),
    ("128.0.0.1", Allow),
    ("100.63.255.255", Allow),
    ("100.128.0.0", Allow),
    ("169.253.255.255", Allow),
    ("169.255.0.1", Allow),
    ("172.15.255.255", Allow),
    ("172.32.0.0", Allow),
    ("192.0.1.255", Allow),
    ("192.0.3.0", Allow),
    ("192.31.196.1", Allow),
    ("192.88.98.255", Allow),
    ("192.167.255.255", Allow),
    ("192.169.0.0", Allow),
    ("198.17.255.255", Allow),
    ("198.20.0.0", Allow),
    ("223.255.255.255", Allow),
    // "This network" and unspecified.
    ("0.0.0.0", Deny(Unspecified)),
    ("0.1.2.3", Deny(Reserved)),
    ("0.255.255.255", Deny(Reserved)),
    // RFC 1918.
    ("10.0.0.0", Deny(Private)),
    ("10.1.2.3", Deny(Private)),
    ("10.255.255.255", Deny(Private)),
    ("172.16.0.0", Deny(Private)),
    ("172.20.10.1", Deny(Private)),
    ("172.31.255.255", Deny(Private)),
    ("192.168.0.1", Deny(Private)),
    ("192.168.255.255", Deny(Private)),
    // CGNAT.
    ("100.64.0.0", Deny(SharedAddressSpace)),
    ("100.127.255.255", Deny(SharedAddressSpace)),
    // Loopback.
    ("127.0.0.1", Deny(Loopback)),
    ("127.0.0.53", Deny(Loopback)),
    ("127.255.255.254", Deny(Loopback)),
    // Link-local and metadata.
    ("169.254.0.1", Deny(LinkLocal)),
    ("169.254.255.255", Deny(LinkLocal)),
    ("169.254.169.253", Deny(LinkLocal)),
    ("169.254.169.254", Deny(Metadata)),
    ("169.254.170.2", Deny(Metadata)),
    ("100.100.100.200", Deny(Metadata)),
    // IETF protocol assignments, documentation, 6to4 relay, benchmarking.
    ("192.0.0.0", Deny(ProtocolAssignment)),
    ("192.0.0.8", Deny(ProtocolAssignment)),
    ("192.0.0.170", Deny(ProtocolAssignment)),
    ("192.0.0.255", Deny(ProtocolAssignment)),
    ("192.0.2.1", Deny(Documentation)),
    ("198.51.100.7", Deny(Documentation)),
    ("203.0.113.255", Deny(Documentation)),
    ("192.88.99.1", Deny(SixToFourRelay)),
    ("198.18.0.0", Deny(Benchmarking)),
    ("198.19.255.255", Deny(Benchmarking)),
    // Multicast, reserved, broadcast.
    ("224.0.0.1", Deny(Multicast)),
    ("233.252.0.1", Deny(Multicast)),
    ("239.255.255.250", Deny(Multicast)),
    ("240.0.0.1", Deny(Reserved)),
    ("254.255.255.255", Deny(Reserved)),
    ("255.255.255.254", Deny(Reserved)),
    ("255.255.255.255", Deny(Broadcast)),
    // Public IPv6, bare and in brackets.
    ("2606:4700:4700::1111", Allow),
    ("[2606:4700:4700::1001]", Allow),
    ("2001:4860:4860::8888", Allow),
    ("2a00:1450:4001:81c::200e", Allow),
    ("2001:200::1", Allow),
    ("2620:4f:8000::1", Allow),
    ("3fff:1000::1", Allow),
    // IPv6 special purpose.
    ("::", Deny(Unspecified)),
    ("::1", Deny(Loopback)),
    ("[::1]", Deny(Loopback)),
    ("100::1", Deny(DiscardOnly)),
    ("100::ffff:ffff:ffff:ffff", Deny(DiscardOnly)),
    ("2001::1", Deny(Teredo)),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", Deny(Teredo)),
    ("2001:2::1", Deny(Benchmarking)),
    ("2001:2:0:ffff::1", Deny(Benchmarking)),
    ("2001:10::1", Deny(Orchid)),
    ("2001:20::1", Deny(Orchid)),
    ("2001:1::1", Deny(ProtocolAssignment)),
    ("2001:3::1", Deny(ProtocolAssignment)),
    ("2001:1ff::1", Deny(ProtocolAssignment)),
    ("2001:db8::1", Deny(Documentation)),
    ("2001:db8:ffff::1", Deny(Documentation)),
    ("3fff::1", Deny(Documentation)),
    ("3fff:fff::1", Deny(Documentation)),
    ("fc00::1", Deny(Private)),
    ("fd00::1", Deny(Private)),
    ("fdff:ffff::1", Deny(Private)),
    ("fd00:ec2::253", Deny(Private)),
    ("fd00:ec2::254", Deny(Metadata)),
    ("[fd00:ec2::254]", Deny(Metadata)),
    ("fe80::1", Deny(LinkLocal)),
    ("febf::1", Deny(LinkLocal)),
    ("fec0::1", Deny(SiteLocal)),
    ("feff::1", Deny(SiteLocal)),
    ("ff02::1", Deny(Multicast)),
    ("ff05::1:3", Deny(Multicast)),
    ("ff0e::1", Deny(Multicast)),
    // Outside 2000::/3: unallocated.
    ("1::1", Deny(Reserved)),
    ("100:0:0:1::1", Deny(Reserved)),
    ("4000::1", Deny(Reserved)),
    ("5f00::1", Deny(Reserved)),
    ("e000::1", Deny(Reserved)),
    ("::ffff:0:7f00:1", Deny(Reserved)),
    // IPv4-mapped ::ffff:0:0/96.
    ("::ffff:127.0.0.1", Deny(Loopback)),
    ("::ffff:7f00:1", Deny(Loopback)),
    ("[::ffff:127.0.0.1]", Deny(Loopback)),
    ("::ffff:10.0.0.1", Deny(Private)),
    ("::ffff:0.0.0.0", Deny(Unspecified)),
    ("::ffff:169.254.169.254", Deny(Metadata)),
    ("::ffff:a9fe:a9fe", Deny(Metadata)),
    ("::ffff:8.8.8.8", Allow),
    // IPv4-compatible ::/96.
    ("::127.0.0.1", Deny(Loopback)),
    ("::a00:1", Deny(Private)),
    ("::2", Deny(Reserved)),
    ("::8.8.8.8", Allow),
    // NAT64 64:ff9b::/96 and local-use 64:ff9b:1::/48.
    ("64:ff9b::a00:1", Deny(Private)),
    ("64:ff9b::7f00:1", Deny(Loopback)),
    ("64:ff9b::a9fe:a9fe", Deny(Metadata)),
    ("64:ff9b::808:808", Allow),
    ("64:ff9b::1.1.1.1", Allow),
    ("64:ff9b:1::a00:1", Deny(Private)),
    ("64:ff9b:1:7f08:8:808:808:808", Deny(Loopback)),
    ("64:ff9b:1:808:8:808:808:808", Allow),
    // 6to4 2002::/16, IPv4 in bits 16..48.
    ("2002:a00:1::", Deny(Private)),
    ("2002:7f00:1::", Deny(Loopback)),
    ("2002:a9fe:a9fe::", Deny(Metadata)),
    ("2002:c000:201::1", Deny(Documentation)),
    ("2002:808:808::", Allow),
    ("2002:0808:0808::", Allow),
];

#[tokio::test]
async fn every_address_in_the_table_gets_its_verdict() {
    let wrong = wrong_verdicts(&OutboundPolicy::deny_private(), CASES).await;
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn classify_agrees_with_the_table_for_every_address() {
    for (text, expect) in CASES {
        let ip: IpAddr = text.trim_start_matches('[').trim_end_matches(']').parse().unwrap();
        let want = match expect {
            Expect::Allow => None,
            Expect::Deny(denial) => Some(*denial),
            other => panic!("{text}: an address row cannot expect {other:?}"),
        };
        assert_eq!(classify(ip), want, "{text}");
    }
}

#[tokio::test]
async fn an_allowed_literal_resolves_to_itself_on_the_given_port() {
    let policy = OutboundPolicy::deny_private();
    let addrs = policy.resolve("8.8.8.8", 853).await.unwrap();
    assert_eq!(addrs, vec!["8.8.8.8:853".parse::<SocketAddr>().unwrap()]);
    let addrs = policy.resolve("[2606:4700:4700::1111]", 443).await.unwrap();
    assert_eq!(addrs, vec!["[2606:4700:4700::1111]:443".parse::<SocketAddr>().unwrap()]);
}

#[test]
fn a_denied_address_names_the_address_and_the_reason() {
    let policy = OutboundPolicy::deny_private();
    let err = policy.check_ip("::ffff:127.0.0.1".parse().unwrap()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`::ffff:127.0.0.1` is not a public address: it is a loopback address"
    );
    assert!(policy.check_ip("1.1.1.1".parse().unwrap()).is_ok());
}

#[test]
fn every_denial_reads_as_a_phrase() {
    for denial in [Metadata, Loopback, SharedAddressSpace, Teredo, Reserved] {
        let text = denial.to_string();
        assert!(text.ends_with("address") || text.ends_with("identifier"), "{text}");
    }
    assert_eq!(Orchid.to_string(), "ORCHID identifier");
}
