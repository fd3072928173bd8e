//! Validation flags of chains presented by real TLS servers, judged at a fixed clock.

use std::collections::BTreeSet;

use crate::support::certs::{LONG_VALIDITY, Served, TestCa, Validity, self_signed};
use crate::support::{listen_tls, observe_tls};
use chrono::{DateTime, TimeZone, Utc};
use surface_engine::tls::{CertificateFlag, TrustAnchors, validate};
use surface_engine::values::DomainName;

use CertificateFlag::{Expired, HostnameMismatch, NotYetValid, SelfSigned, Untrusted};

fn clock() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

/// Serves `served`, probes it with SNI `sni`, and validates against `expected` at the clock.
async fn flags(
    served: &Served,
    sni: Option<&str>,
    expected: Option<&str>,
    anchors: &TrustAnchors,
) -> BTreeSet<CertificateFlag> {
    let port = listen_tls(served).await;
    let observation = observe_tls(port, sni).await;
    let expected = expected.map(|name| DomainName::parse(name).unwrap());
    validate(&observation, expected.as_ref(), clock(), anchors)
}

fn test_anchors(ca: &TestCa) -> TrustAnchors {
    TrustAnchors::from_der_certificates(&[ca.certificate.to_vec()]).unwrap()
}

const EXPIRED: Validity = ((2020, 1, 1), (2021, 1, 1));
const FUTURE: Validity = ((2080, 1, 1), (2090, 1, 1));

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_to_a_trusted_root_for_the_right_name_has_no_flags() {
    let ca = TestCa::new();
    let served = ca.leaf(&["shop.surface.test"], LONG_VALIDITY);
    let name = Some("shop.surface.test");
    assert_eq!(flags(&served, name, name, &test_anchors(&ca)).await, BTreeSet::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_chain_is_untrusted_against_the_public_roots() {
    let ca = TestCa::new();
    let served = ca.leaf(&["shop.surface.test"], LONG_VALIDITY);
    let name = Some("shop.surface.test");
    let found = flags(&served, name, name, &TrustAnchors::webpki_roots()).await;
    assert_eq!(found, BTreeSet::from([Untrusted]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_certificate_is_self_signed_and_untrusted() {
    let served = self_signed(&["box.surface.test"], LONG_VALIDITY);
    let name = Some("box.surface.test");
    let found = flags(&served, name, name, &TrustAnchors::webpki_roots()).await;
    assert_eq!(found, BTreeSet::from([SelfSigned, Untrusted]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_certificate_is_expired_and_its_trust_judged_apart() {
    let ca = TestCa::new();
    let served = ca.leaf(&["old.surface.test"], EXPIRED);
    let name = Some("old.surface.test");
    assert_eq!(flags(&served, name, name, &test_anchors(&ca)).await, BTreeSet::from([Expired]));
    let own = self_signed(&["old.surface.test"], EXPIRED);
    let found = flags(&own, name, name, &TrustAnchors::webpki_roots()).await;
    assert_eq!(found, BTreeSet::from([Expired, SelfSigned, Untrusted]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_valid_only_from_a_later_date_is_not_yet_valid() {
    let ca = TestCa::new();
    let served = ca.leaf(&["soon.surface.test"], FUTURE);
    let name = Some("soon.surface.test");
    assert_eq!(flags(&served, name, name, &test_anchors(&ca)).await, BTreeSet::from([NotYetValid]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_for_another_name_is_a_hostname_mismatch() {
    let ca = TestCa::new();
    let served = ca.leaf(&["a.surface.test"], LONG_VALIDITY);
    let found =
        flags(&served, Some("b.surface.test"), Some("b.surface.test"), &test_anchors(&ca)).await;
    assert_eq!(found, BTreeSet::from([HostnameMismatch]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wildcard_covers_one_label_only() {
    let ca = TestCa::new();
    let served = ca.leaf(&["*.surface.test"], LONG_VALIDITY);
    let anchors = test_anchors(&ca);
    let sub = Some("x.surface.test");
    assert_eq!(flags(&served, sub, sub, &anchors).await, BTreeSet::new());
    let apex = Some("surface.test");
    assert_eq!(flags(&served, apex, apex, &anchors).await, BTreeSet::from([HostnameMismatch]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_domain_no_hostname_is_checked() {
    let ca = TestCa::new();
    let served = ca.leaf(&["a.surface.test"], LONG_VALIDITY);
    assert_eq!(flags(&served, None, None, &test_anchors(&ca)).await, BTreeSet::new());
}
