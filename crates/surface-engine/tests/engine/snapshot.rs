//! Snapshots: what they keep of a scan, and a canonical form whose hash depends only on the
//! surface seen.

use std::collections::BTreeSet;

use crate::support::certs::{LONG_VALIDITY, self_signed};
use crate::support::{listen_tls, observe_tls};
use chrono::{TimeZone, Utc};
use surface_engine::scan::{HostReport, OpenPort, PortCounts};
use surface_engine::service::{Protocol, ServiceHint};
use surface_engine::snapshot::{CertificateCheck, Scope, Snapshot};
use surface_engine::tls::{CertificateFlag, TlsObservation, TrustAnchors};
use surface_engine::values::{DomainName, PortSpec, ScanTarget, Target};

fn hint(protocol: Protocol) -> Option<ServiceHint> {
    Some(ServiceHint { protocol, product: None, tls: false })
}

fn open(port: u16, protocol: Protocol, banner: &str) -> OpenPort {
    OpenPort {
        port,
        service: hint(protocol),
        banner: Some(banner.to_owned()),
        tls: None,
        tls_error: None,
    }
}

fn report(address: &str, open_ports: Vec<OpenPort>, closed: u32) -> HostReport {
    let counts =
        PortCounts { scanned: 100, open: open_ports.len() as u32, closed, ..PortCounts::default() };
    HostReport {
        target: ScanTarget::of_address(address.parse().unwrap()),
        open: open_ports,
        all_ports_open: false,
        counts,
        failure: None,
    }
}

fn scope() -> Scope {
    Scope::new([Target::parse("192.0.2.0/24").unwrap()], PortSpec::parse("top-100").unwrap())
}

fn build(reports: &[HostReport]) -> Snapshot {
    let anchors = TrustAnchors::webpki_roots();
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
    Snapshot::build(scope(), reports, CertificateCheck { now, anchors: &anchors })
}

#[test]
fn the_hash_is_the_same_whatever_order_results_arrived_in() {
    let first = vec![
        report(
            "192.0.2.20",
            vec![open(443, Protocol::Http, "x"), open(22, Protocol::Ssh, "y")],
            98,
        ),
        report("192.0.2.3", vec![open(25, Protocol::Smtp, "220 mx ESMTP 01 Jun 2026 10:00")], 99),
    ];
    let mut second = first.clone();
    second.reverse();
    second[1].open.reverse();
    second[0].open[0].banner = Some("220 mx ESMTP 01 Jun 2026 10:05".to_owned());
    second[0].counts.closed = 12;
    let (a, b) = (build(&first), build(&second));
    assert_eq!(a.canonical_json(), b.canonical_json());
    assert_eq!(a.sha256(), b.sha256());
    assert_eq!(a.sha256().len(), 64);
    let addresses: Vec<String> = a.hosts().iter().map(|h| h.address.to_string()).collect();
    assert_eq!(addresses, ["192.0.2.3", "192.0.2.20"], "by address, not by text");
    let ports: Vec<u16> = a.hosts()[1].ports.iter().map(|p| p.port).collect();
    assert_eq!(ports, [22, 443]);
}

#[test]
fn a_different_surface_has_a_different_hash() {
    let before = build(&[report("192.0.2.3", vec![open(22, Protocol::Ssh, "")], 99)]);
    let after = build(&[report("192.0.2.3", vec![open(2222, Protocol::Ssh, "")], 99)]);
    assert_ne!(before.sha256(), after.sha256());
    let renamed = {
        let mut reports = vec![report("192.0.2.3", vec![open(22, Protocol::Ssh, "")], 99)];
        reports[0].open[0].service.as_mut().unwrap().product = Some("OpenSSH_9.9".to_owned());
        build(&reports)
    };
    assert_ne!(before.sha256(), renamed.sha256());
}

#[test]
fn hosts_that_answered_nothing_are_left_out() {
    let silent = report("192.0.2.9", vec![], 0);
    let refusing = report("192.0.2.10", vec![], 100);
    let snapshot = build(&[silent, refusing]);
    let addresses: Vec<String> = snapshot.hosts().iter().map(|h| h.address.to_string()).collect();
    assert_eq!(addresses, ["192.0.2.10"], "a RST proves a host exists; silence does not");
}

#[test]
fn a_stored_snapshot_reads_back_to_the_same_canonical_bytes() {
    let snapshot = build(&[report("192.0.2.3", vec![open(80, Protocol::Http, "")], 99)]);
    let pretty = serde_json::to_string_pretty(&snapshot).unwrap();
    let back: Snapshot = serde_json::from_str(&pretty).unwrap();
    assert_eq!(back, snapshot);
    assert_eq!(back.canonical_json(), snapshot.canonical_json());
    assert!(!snapshot.canonical_json().contains(char::is_whitespace));
    assert!(snapshot.scope().covers_address("192.0.2.77".parse().unwrap()));
}

async fn observation(name: &str) -> TlsObservation {
    let served = self_signed(&[name], LONG_VALIDITY);
    let port = listen_tls(&served).await;
    observe_tls(port, Some(name)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn building_a_snapshot_validates_certificates_against_the_asset_domain() {
    let mut open_port = open(443, Protocol::Http, "");
    open_port.tls = Some(observation("www.surface.test").await);
    let mut named = report("192.0.2.3", vec![open_port.clone()], 99);
    named.target = ScanTarget::named(
        "192.0.2.3".parse().unwrap(),
        DomainName::parse("api.surface.test").unwrap(),
    );
    let snapshot = build(&[named]);
    let tls = snapshot.hosts()[0].ports[0].tls.as_ref().unwrap();
    let want = BTreeSet::from([
        CertificateFlag::SelfSigned,
        CertificateFlag::HostnameMismatch,
        CertificateFlag::Untrusted,
    ]);
    assert_eq!(tls.flags, want);
    assert_eq!(tls.certificate.subject, "CN=www.surface.test");
    assert!(tls.chain.is_empty(), "a self-signed server sends only its own certificate");
    assert!(!snapshot.canonical_json().contains("\"der\""), "snapshots keep summaries, not DER");
}
