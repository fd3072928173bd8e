//! The TLS probe against local rustls servers with rcgen certificates: what it records of the
//! chain and the session, through a scan and through the prober directly.

use crate::support::certs::{LONG_VALIDITY, TestCa, self_signed, self_signed_with};
use crate::support::{
    LOOPBACK, listen_tls, listen_tls_by_sni, listen_tls12, observe_tls, quick_options,
};
use chrono::{TimeZone, Utc};
use sha2::{Digest, Sha256};
use surface_engine::scan::OpenPort;
use surface_engine::service::Protocol;
use surface_engine::tls::{KeySummary, SubjectAltName};
use surface_engine::values::{DomainName, ScanTarget};

async fn scan_tls(port: u16, name: &str) -> OpenPort {
    let mut options = quick_options();
    options.tls = true;
    let target = ScanTarget::named(LOOPBACK, DomainName::parse(name).unwrap());
    let summary = crate::support::scan_targets(&[target], &port.to_string(), &options).await;
    let report = summary.hosts.into_iter().next().unwrap();
    assert_eq!(report.open.len(), 1, "{report:?}");
    report.open.into_iter().next().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_with_tls_records_the_chain_the_server_presents() {
    let ca = TestCa::new();
    let served = ca.leaf(&["app.surface.test"], LONG_VALIDITY);
    let port = listen_tls(&served).await;
    let open = scan_tls(port, "app.surface.test").await;
    let tls = open.tls.expect("a TLS observation");
    assert_eq!(tls.chain.len(), 2, "leaf and CA, as sent");
    let leaf = &tls.chain[0].summary;
    assert_eq!(leaf.subject, "CN=app.surface.test");
    assert_eq!(leaf.subject_alt_names, [SubjectAltName::Dns("app.surface.test".to_owned())]);
    assert_eq!(leaf.issuer, "CN=Surface Test Root CA");
    assert_eq!(tls.chain[1].summary.subject, "CN=Surface Test Root CA");
    assert!(!leaf.serial.is_empty() && leaf.serial.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(leaf.not_before, Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap());
    assert_eq!(leaf.not_after, Utc.with_ymd_and_hms(2090, 1, 1, 0, 0, 0).unwrap());
    assert_eq!(leaf.sha256_fingerprint, hex::encode(Sha256::digest(served.chain[0].as_ref())));
    let p256 =
        KeySummary { algorithm: "EC".to_owned(), bits: Some(256), curve: Some("P-256".to_owned()) };
    assert_eq!(leaf.key, p256);
    assert_eq!(leaf.signature_algorithm, "ecdsa-with-SHA256");
    assert_eq!(tls.protocol_version, "TLSv1.3");
    assert!(tls.cipher_suite.starts_with("TLS13_"), "{}", tls.cipher_suite);
    let service = open.service.unwrap();
    assert_eq!((service.protocol, service.tls), (Protocol::Http, true), "HTTP inside TLS");
    assert_eq!(service.product.as_deref(), Some("tls-test/2.0"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fingerprint_and_fields_are_the_same_on_every_probe() {
    let served = self_signed(&["stable.surface.test"], LONG_VALIDITY);
    let port = listen_tls(&served).await;
    let first = observe_tls(port, Some("stable.surface.test")).await;
    let second = observe_tls(port, Some("stable.surface.test")).await;
    assert_eq!(first.chain[0].summary, second.chain[0].summary);
    assert_eq!(first.chain[0].der, served.chain[0].as_ref());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_domain_is_sent_as_sni_and_picks_the_certificate() {
    let a = self_signed(&["a.surface.test"], LONG_VALIDITY);
    let b = self_signed(&["b.surface.test"], LONG_VALIDITY);
    let fallback = self_signed(&["default.surface.test"], LONG_VALIDITY);
    let port =
        listen_tls_by_sni(&[("a.surface.test", &a), ("b.surface.test", &b)], &fallback).await;
    let subject = |observation: surface_engine::tls::TlsObservation| {
        observation.chain[0].summary.subject.clone()
    };
    assert_eq!(subject(observe_tls(port, Some("b.surface.test")).await), "CN=b.surface.test");
    assert_eq!(subject(observe_tls(port, Some("a.surface.test")).await), "CN=a.surface.test");
    assert_eq!(
        subject(observe_tls(port, None).await),
        "CN=default.surface.test",
        "no SNI for an IP"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_1_2_server_and_an_ed25519_key_are_recorded_as_such() {
    let served = self_signed_with(&["old.surface.test"], LONG_VALIDITY, &rcgen::PKCS_ED25519);
    let port = listen_tls12(&served).await;
    let observation = observe_tls(port, Some("old.surface.test")).await;
    assert_eq!(observation.protocol_version, "TLSv1.2");
    assert!(observation.cipher_suite.starts_with("TLS_ECDHE_"), "{}", observation.cipher_suite);
    let leaf = &observation.chain[0].summary;
    let ed25519 = KeySummary { algorithm: "Ed25519".to_owned(), bits: Some(256), curve: None };
    assert_eq!(leaf.key, ed25519);
    assert_eq!(leaf.signature_algorithm, "Ed25519");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_p384_key_reports_its_curve_and_size() {
    let served =
        self_signed_with(&["p384.surface.test"], LONG_VALIDITY, &rcgen::PKCS_ECDSA_P384_SHA384);
    let port = listen_tls(&served).await;
    let leaf = observe_tls(port, None).await.chain[0].summary.clone();
    assert_eq!((leaf.key.bits, leaf.key.curve.as_deref()), (Some(384), Some("P-384")));
    assert_eq!(leaf.signature_algorithm, "ecdsa-with-SHA384");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_observation_survives_json_with_its_der() {
    let served = self_signed(&["json.surface.test"], LONG_VALIDITY);
    let port = listen_tls(&served).await;
    let observation = observe_tls(port, None).await;
    let json = serde_json::to_string(&observation).unwrap();
    let back: surface_engine::tls::TlsObservation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, observation);
    assert!(json.contains("\"der\":\"MII"), "DER travels as base64");
}

async fn scan_plain_with_tls(behaviour: crate::support::Behaviour) -> OpenPort {
    let mut options = quick_options();
    options.tls = true;
    let port = crate::support::listen(behaviour).await;
    let report = crate::support::scan_host(LOOPBACK, &port.to_string(), &options).await;
    report.open.into_iter().next().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_tls_on_a_plain_text_server_is_still_identified_and_has_no_certificate() {
    let ssh =
        scan_plain_with_tls(crate::support::Behaviour::Greet(b"SSH-2.0-OpenSSH_9.2p1\r\n")).await;
    assert_eq!(ssh.service.map(|hint| (hint.protocol, hint.tls)), Some((Protocol::Ssh, false)));
    assert_eq!((ssh.tls, ssh.tls_error), (None, None));
    let http =
        scan_plain_with_tls(crate::support::Behaviour::Answer(b"HTTP/1.0 400 Bad Request\r\n\r\n"))
            .await;
    assert_eq!(http.service.map(|hint| hint.protocol), Some(Protocol::Http));
    assert_eq!(http.tls, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_port_that_speaks_tls_but_fails_the_handshake_says_why() {
    let alert: &'static [u8] = &[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46];
    let open = scan_plain_with_tls(crate::support::Behaviour::Answer(alert)).await;
    assert_eq!(open.service.map(|hint| hint.protocol), Some(Protocol::Tls));
    assert_eq!(open.tls, None);
    let error = open.tls_error.expect("the handshake failure");
    assert!(error.contains("handshake"), "{error}");
}
