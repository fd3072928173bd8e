//! Tests of the SSRF guard, table-driven: every address family and registry block, the IPv4 forms
//! embedded in IPv6, non-canonical IPv4 literals, allowlists, URLs, and `localhost` (which
//! resolves to loopback through /etc/hosts, so no network is needed). No test uses external DNS.

mod addresses;
mod allowlist;
mod cidrs;
mod hosts;
mod urls;

use super::*;

/// What the guard should make of a host or URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Allow,
    Deny(Denial),
    NonCanonical,
    Invalid,
    BadUrl,
    /// Any other error (resolution failure, no addresses).
    Unresolved,
}

fn outcome<T>(result: &Result<T, SsrfError>) -> Expect {
    match result {
        Ok(_) => Expect::Allow,
        Err(SsrfError::Denied { reason, .. }) => Expect::Deny(*reason),
        Err(SsrfError::MetadataName { .. }) => Expect::Deny(Denial::Metadata),
        Err(SsrfError::NonCanonicalIpv4 { .. }) => Expect::NonCanonical,
        Err(SsrfError::InvalidHost { .. }) => Expect::Invalid,
        Err(SsrfError::InvalidUrl { .. }) => Expect::BadUrl,
        Err(SsrfError::Resolve { .. } | SsrfError::NoAddresses { .. }) => Expect::Unresolved,
    }
}

/// Runs every host of `cases` through `policy.resolve` and lists the ones with a wrong verdict.
async fn wrong_verdicts(policy: &OutboundPolicy, cases: &[(&str, Expect)]) -> Vec<String> {
    let mut wrong = Vec::new();
    for (host, expect) in cases {
        let got = outcome(&policy.resolve(host, 443).await);
        if got != *expect {
            wrong.push(format!("{host}: expected {expect:?}, got {got:?}"));
        }
    }
    wrong
}
