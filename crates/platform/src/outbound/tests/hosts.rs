//! Host texts that are not plain addresses: non-canonical IPv4 forms (refused before any
//! resolution), malformed hosts, and `localhost`, which resolves to loopback via /etc/hosts.

use super::Expect::{self, Deny, Invalid, NonCanonical};
use super::*;

const CASES: &[(&str, Expect)] = &[
    // Non-canonical IPv4: hex, octal, dword, short, zero-padded, out of range, trailing dot.
    ("0x7f000001", NonCanonical),
    ("0X7F000001", NonCanonical),
    ("0x7f.0.0.1", NonCanonical),
    ("0x7f.0x0.0x0.0x1", NonCanonical),
    ("017700000001", NonCanonical),
    ("0177.0.0.1", NonCanonical),
    ("0177.0000.0000.0001", NonCanonical),
    ("2130706433", NonCanonical),
    ("4294967295", NonCanonical),
    ("4294967296", NonCanonical),
    ("127.1", NonCanonical),
    ("127.0.1", NonCanonical),
    ("10.1", NonCanonical),
    ("127.000.000.001", NonCanonical),
    ("127.000.0.1", NonCanonical),
    ("127.0.0.01", NonCanonical),
    ("08.8.8.8", NonCanonical),
    ("8.8.8.08", NonCanonical),
    ("10.0.0.0x1", NonCanonical),
    ("256.0.0.1", NonCanonical),
    ("1.2.3.4.5", NonCanonical),
    ("127.0.0.1.", NonCanonical),
    ("0", NonCanonical),
    ("0x", NonCanonical),
    ("example.123", NonCanonical),
    ("example.0x10", NonCanonical),
    // Not a host at all.
    ("", Invalid),
    (".", Invalid),
    ("[::1", Invalid),
    ("::1]", Invalid),
    ("[127.0.0.1]", Invalid),
    ("[::1]:80", Invalid),
    ("fe80::1%eth0", Invalid),
    ("[fe80::1%25eth0]", Invalid),
    ("::ffff:0177.0.0.1", Invalid),
    ("127.0.0.1 evil.example", Invalid),
    ("127.0.0.1\t", Invalid),
    ("exa mple.com", Invalid),
    ("a..example", Invalid),
    ("-a.example", Invalid),
    ("a-.example", Invalid),
    ("user@example.com", Invalid),
    ("example.com/path", Invalid),
    ("%31%32%37.0.0.1", Invalid),
    ("ex\u{e4}mple.com", Invalid),
    ("127.0.0.1\0", Invalid),
];

#[tokio::test]
async fn non_canonical_and_malformed_hosts_are_refused_before_any_resolution() {
    let wrong = wrong_verdicts(&OutboundPolicy::deny_private(), CASES).await;
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[tokio::test]
async fn non_canonical_ipv4_is_refused_even_when_everything_is_allowlisted() {
    let policy = OutboundPolicy::parse_allowlist("0.0.0.0/0, ::/0").unwrap();
    let wrong = wrong_verdicts(&policy, CASES).await;
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[tokio::test]
async fn localhost_is_denied_because_it_resolves_to_loopback() {
    let policy = OutboundPolicy::deny_private();
    for host in ["localhost", "LOCALHOST", "LocalHost"] {
        let result = policy.resolve(host, 80).await;
        assert_eq!(outcome(&result), Deny(Denial::Loopback), "{host}");
        let Err(SsrfError::Denied { host: named, ip, .. }) = result else { unreachable!() };
        assert_eq!(named, host);
        assert!(ip.is_loopback(), "{ip}");
    }
}

#[tokio::test]
async fn localhost_resolves_to_checked_loopback_addresses_once_allowlisted() {
    let policy = OutboundPolicy::parse_allowlist("127.0.0.0/8, ::1/128").unwrap();
    let addrs = policy.resolve("localhost", 8080).await.unwrap();
    assert!(!addrs.is_empty());
    for addr in &addrs {
        assert!(addr.ip().is_loopback() && addr.port() == 8080, "{addr}");
    }
}

#[test]
fn a_huge_host_is_not_repeated_in_full_in_the_error() {
    let host = format!("{}!", "a".repeat(10_000));
    let err = literal::parse_host(&host).unwrap_err();
    assert!(matches!(err, SsrfError::InvalidHost { .. }));
    assert!(err.to_string().len() < 400, "{}", err.to_string().len());
}

#[test]
fn names_are_lowercased_and_checked_for_length() {
    assert_eq!(
        literal::parse_host("Hooks.Example.COM.").unwrap(),
        literal::Host::Name("hooks.example.com.".into())
    );
    assert!(literal::parse_host(&format!("{}.example", "a".repeat(63))).is_ok());
    assert!(literal::parse_host(&format!("{}.example", "a".repeat(64))).is_err());
    let long = ["abcdefghi"; 26].join(".");
    assert!(long.len() > 253 && literal::parse_host(&long).is_err());
    assert!(literal::parse_host("_acme-challenge.example.com").is_ok());
}

#[test]
fn addresses_from_another_resolver_are_judged_as_resolve_would() {
    let policy = OutboundPolicy::parse_allowlist("127.0.0.0/8").unwrap();
    let loopback: IpAddr = "127.0.0.9".parse().unwrap();
    let private: IpAddr = "10.0.0.9".parse().unwrap();
    let public: IpAddr = "8.8.8.8".parse().unwrap();
    assert_eq!(outcome(&policy.check_resolved("scan.example", &[loopback, public])), Expect::Allow);
    let mixed = policy.check_resolved("scan.example", &[public, private]);
    assert_eq!(outcome(&mixed), Deny(Denial::Private));
    assert!(mixed.unwrap_err().to_string().contains("resolves to a non-public address"));
    let metadata = policy.check_resolved("metadata.google.internal", &[public]);
    assert_eq!(outcome(&metadata), Deny(Denial::Metadata));
    assert_eq!(outcome(&policy.check_resolved("scan.example", &[])), Expect::Unresolved);
    assert_eq!(outcome(&policy.check_resolved("0x7f000001", &[loopback])), NonCanonical);
}
