//! The operator's allowlist: the only way around a denial, and never around a metadata address.

use super::Expect::{self, Allow, Deny};
use super::*;
use Denial::*;

const METADATA: &[&str] = &[
    "169.254.169.254",
    "169.254.170.2",
    "100.100.100.200",
    "fd00:ec2::254",
    "[fd00:ec2::254]",
    "::ffff:169.254.169.254",
    "::169.254.169.254",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::a9fe:a9fe",
    "2002:a9fe:a9fe::",
    "2002:6464:64c8::",
    "169.254.170.23",
    "fd00:ec2::23",
    "192.0.0.192",
    "168.63.129.16",
    "169.254.0.23",
    "::ffff:168.63.129.16",
];

#[tokio::test]
async fn metadata_addresses_are_denied_even_when_allowlisted() {
    let allowlists = [
        "0.0.0.0/0, ::/0",
        "169.254.0.0/16, 100.64.0.0/10, fd00::/8",
        "169.254.169.254/32, 169.254.170.2, 100.100.100.200/32, fd00:ec2::254/128",
        "169.254.170.23/32, fd00:ec2::23/128, 192.0.0.192/32, 168.63.129.16/32, 168.63.0.0/16",
        "::ffff:0:0/96, 64:ff9b::/96, 64:ff9b:1::/48, 2002::/16, ::/96",
    ];
    for allowlist in allowlists {
        let policy = OutboundPolicy::parse_allowlist(allowlist).unwrap();
        let cases: Vec<(&str, Expect)> = METADATA.iter().map(|ip| (*ip, Deny(Metadata))).collect();
        let wrong = wrong_verdicts(&policy, &cases).await;
        assert!(wrong.is_empty(), "allowlist {allowlist}:\n{}", wrong.join("\n"));
    }
}

#[tokio::test]
async fn an_allowlisted_loopback_block_allows_loopback_and_nothing_else() {
    let policy = OutboundPolicy::parse_allowlist("127.0.0.0/8").unwrap();
    let cases = [
        ("127.0.0.1", Allow),
        ("127.1.2.3", Allow),
        ("::ffff:127.0.0.1", Allow),
        ("64:ff9b::7f00:1", Allow),
        ("::1", Deny(Loopback)),
        ("10.0.0.1", Deny(Private)),
        ("0.0.0.0", Deny(Unspecified)),
        ("169.254.169.254", Deny(Metadata)),
    ];
    let wrong = wrong_verdicts(&policy, &cases).await;
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn allowlisting_the_whole_internet_still_keeps_metadata_out() {
    let policy = OutboundPolicy::parse_allowlist("0.0.0.0/0").unwrap();
    let cases = [
        ("10.0.0.1", Allow),
        ("169.254.1.1", Allow),
        ("255.255.255.255", Allow),
        ("::ffff:192.168.1.1", Allow),
        ("fd00::1", Deny(Private)),
        ("::1", Deny(Loopback)),
        ("169.254.169.254", Deny(Metadata)),
        ("fd00:ec2::254", Deny(Metadata)),
    ];
    let wrong = wrong_verdicts(&policy, &cases).await;
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn an_allowlisted_ipv6_block_allows_that_block_only() {
    let policy = OutboundPolicy::parse_allowlist("fd12:3456::/32, ::1/128").unwrap();
    let cases = [
        ("fd12:3456::1", Allow),
        ("::1", Allow),
        ("fd12:3457::1", Deny(Private)),
        ("fe80::1", Deny(LinkLocal)),
        ("127.0.0.1", Deny(Loopback)),
        ("fd00:ec2::254", Deny(Metadata)),
    ];
    let wrong = wrong_verdicts(&policy, &cases).await;
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_default_policy_allowlists_nothing() {
    assert_eq!(OutboundPolicy::default(), OutboundPolicy::deny_private());
    assert!(OutboundPolicy::deny_private().allowlist().is_empty());
    assert_eq!(OutboundPolicy::parse_allowlist("").unwrap(), OutboundPolicy::deny_private());
    assert_eq!(OutboundPolicy::parse_allowlist(" , ").unwrap(), OutboundPolicy::deny_private());
}

#[test]
fn an_allowlist_with_one_bad_block_is_refused_and_names_it() {
    let err = OutboundPolicy::parse_allowlist("10.0.0.0/8, 192.168.1.1/16").unwrap_err();
    assert_eq!(err.input, "192.168.1.1/16");
    assert!(err.to_string().contains("did you mean 192.168.0.0/16?"), "{err}");
}

#[tokio::test]
async fn metadata_names_are_refused_before_they_are_resolved() {
    let policy = OutboundPolicy::parse_allowlist("0.0.0.0/0, ::/0").unwrap();
    for name in [
        "metadata.google.internal",
        "METADATA.google.internal.",
        "metadata",
        "metadata.goog",
        "instance-data",
    ] {
        let refused = policy.resolve(name, 80).await;
        assert!(matches!(refused, Err(SsrfError::MetadataName { .. })), "{name}: {refused:?}");
    }
}

#[tokio::test]
async fn a_name_that_resolves_inside_says_so_without_the_address() {
    let refused = OutboundPolicy::deny_private().resolve("localhost", 80).await.unwrap_err();
    let message = refused.to_string();
    assert_eq!(message, "`localhost` resolves to a non-public address");
    let literal = OutboundPolicy::deny_private().resolve("10.1.2.3", 80).await.unwrap_err();
    assert_eq!(
        literal.to_string(),
        "`10.1.2.3` is not a public address: it is a private-use address"
    );
}
