//! URLs: http and https only, strict authority parsing, default ports, and the same address
//! verdicts as bare hosts.

use super::Expect::{self, BadUrl, Deny, Invalid, NonCanonical};
use super::*;
use Denial::*;

/// URL, scheme, host as reported, port.
const ALLOWED: &[(&str, Scheme, &str, u16)] = &[
    ("https://8.8.8.8/hook", Scheme::Https, "8.8.8.8", 443),
    ("http://8.8.8.8", Scheme::Http, "8.8.8.8", 80),
    ("HTTPS://1.1.1.1:8443/x?y=1#z", Scheme::Https, "1.1.1.1", 8443),
    ("http://1.1.1.1?q", Scheme::Http, "1.1.1.1", 80),
    ("http://1.1.1.1#f", Scheme::Http, "1.1.1.1", 80),
    ("http://[2606:4700:4700::1111]:8080/", Scheme::Http, "[2606:4700:4700::1111]", 8080),
    ("https://[2606:4700:4700::1111]", Scheme::Https, "[2606:4700:4700::1111]", 443),
    ("https://[64:FF9B::808:808]/", Scheme::Https, "[64:ff9b::808:808]", 443),
    ("http://1.1.1.1:65535/", Scheme::Http, "1.1.1.1", 65535),
];

const REFUSED: &[(&str, Expect)] = &[
    ("http://127.0.0.1/", Deny(Loopback)),
    ("http://[::1]:8080/", Deny(Loopback)),
    ("http://[::ffff:127.0.0.1]/", Deny(Loopback)),
    ("http://169.254.169.254/latest/meta-data/", Deny(Metadata)),
    ("http://[fd00:ec2::254]/latest/meta-data/", Deny(Metadata)),
    ("https://10.0.0.1:8443/hook", Deny(Private)),
    ("http://0.0.0.0:5432/", Deny(Unspecified)),
    ("http://0x7f000001/", NonCanonical),
    ("http://2130706433/", NonCanonical),
    ("http://0177.0.0.1/", NonCanonical),
    ("http://127.1:80/", NonCanonical),
    ("ftp://8.8.8.8/", BadUrl),
    ("file:///etc/passwd", BadUrl),
    ("gopher://8.8.8.8:70/", BadUrl),
    ("//8.8.8.8/", BadUrl),
    ("http:8.8.8.8", BadUrl),
    ("http:///8.8.8.8", BadUrl),
    ("http://user@8.8.8.8/", BadUrl),
    ("http://8.8.8.8@127.0.0.1/", BadUrl),
    ("http://user:pw@8.8.8.8/", BadUrl),
    ("http://8.8.8.8:0/", BadUrl),
    ("http://8.8.8.8:65536/", BadUrl),
    ("http://8.8.8.8:/", BadUrl),
    ("http://8.8.8.8:+80/", BadUrl),
    ("http://8.8.8.8:80:80/", BadUrl),
    ("http://[::1/", BadUrl),
    ("http://[::1]x/", BadUrl),
    ("http:\\\\127.0.0.1\\", BadUrl),
    ("http://127.0.0.1\\@8.8.8.8/", BadUrl),
    ("http://8.8.8.8\t/", BadUrl),
    ("http://8.8.8.8 /", BadUrl),
    ("http://8.8.8.8/\u{e9}", BadUrl),
    ("http://[127.0.0.1]/", Invalid),
    ("http://%31%32%37.0.0.1/", Invalid),
    ("http://exa_mple..com/", Invalid),
];

#[tokio::test]
async fn public_urls_resolve_to_their_checked_address_and_port() {
    let policy = OutboundPolicy::deny_private();
    for (url, scheme, host, port) in ALLOWED {
        let target = policy.resolve_url(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(target.scheme(), *scheme, "{url}");
        assert_eq!(target.host(), *host, "{url}");
        assert_eq!(target.port(), *port, "{url}");
        assert_eq!(target.addrs().len(), 1, "{url}");
        assert_eq!(target.addrs()[0].port(), *port, "{url}");
    }
}

#[tokio::test]
async fn unsafe_or_malformed_urls_are_refused() {
    let policy = OutboundPolicy::deny_private();
    let mut wrong = Vec::new();
    for (url, expect) in REFUSED {
        let got = outcome(&policy.resolve_url(url).await);
        if got != *expect {
            wrong.push(format!("{url:?}: expected {expect:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[tokio::test]
async fn a_localhost_url_is_denied_and_the_error_does_not_repeat_the_url() {
    let policy = OutboundPolicy::deny_private();
    let result = policy.resolve_url("http://localhost:8080/hooks/s3cr3t-token").await;
    assert_eq!(outcome(&result), Deny(Loopback));
    let err = result.unwrap_err();
    assert!(!err.to_string().contains("s3cr3t"), "{err}");
    let err = policy.resolve_url("ftp://example.com/s3cr3t").await.unwrap_err();
    assert!(!err.to_string().contains("s3cr3t"), "{err}");
}

#[test]
fn scheme_defaults_and_names() {
    assert_eq!(Scheme::Http.default_port(), 80);
    assert_eq!(Scheme::Https.default_port(), 443);
    assert_eq!(Scheme::Https.to_string(), "https");
}
