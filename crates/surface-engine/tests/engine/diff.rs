//! Change events between two snapshots: every kind, its severity, its values, and the
//! once-per-window rule of `CERT_EXPIRING`.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use surface_engine::diff::{
    ChangeEvent, ChangeKind, DiffSettings, ExpiryAnnouncements, Observed, Severity, diff,
};
use surface_engine::service::{Protocol, ServiceHint};
use surface_engine::snapshot::{HostSnapshot, PortSnapshot, Scope, Snapshot, TlsSummary};
use surface_engine::tls::{CertificateFlag, CertificateSummary, KeySummary};
use surface_engine::values::{PortSpec, Target};

use ChangeKind::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

fn service(protocol: Protocol, product: Option<&str>) -> Option<ServiceHint> {
    Some(ServiceHint { protocol, product: product.map(str::to_owned), tls: false })
}

fn port(number: u16, hint: Option<ServiceHint>) -> PortSnapshot {
    PortSnapshot { port: number, service: hint, tls: None }
}

fn tls_port(
    number: u16,
    fingerprint: &str,
    days_left: i64,
    flags: &[CertificateFlag],
) -> PortSnapshot {
    let certificate = CertificateSummary {
        subject: format!("CN={fingerprint}.surface.test"),
        subject_alt_names: Vec::new(),
        issuer: "CN=Surface Test Root CA".to_owned(),
        serial: "01".to_owned(),
        not_before: now() - TimeDelta::days(300),
        not_after: now() + TimeDelta::days(days_left),
        sha256_fingerprint: fingerprint.to_owned(),
        key: KeySummary {
            algorithm: "EC".to_owned(),
            bits: Some(256),
            curve: Some("P-256".to_owned()),
        },
        signature_algorithm: "ecdsa-with-SHA256".to_owned(),
    };
    let tls = TlsSummary {
        protocol_version: "TLSv1.3".to_owned(),
        cipher_suite: "TLS13_AES_128_GCM_SHA256".to_owned(),
        certificate,
        chain: Vec::new(),
        flags: flags.iter().copied().collect(),
    };
    PortSnapshot { port: number, service: service(Protocol::Http, None), tls: Some(tls) }
}

fn host(address: &str, ports: Vec<PortSnapshot>) -> HostSnapshot {
    HostSnapshot {
        address: address.parse().unwrap(),
        server_name: None,
        all_ports_open: false,
        ports,
    }
}

fn snapshot(hosts: Vec<HostSnapshot>) -> Snapshot {
    let scope =
        Scope::new([Target::parse("192.0.2.0/24").unwrap()], PortSpec::parse("1-10000").unwrap());
    Snapshot::new(scope, hosts)
}

fn events(before: &Snapshot, after: &Snapshot) -> Vec<ChangeEvent> {
    diff(before, after, &DiffSettings::at(now()), &ExpiryAnnouncements::new()).events
}

fn kinds(events: &[ChangeEvent]) -> Vec<(ChangeKind, Option<u16>, Severity)> {
    events.iter().map(|event| (event.kind, event.port, event.severity)).collect()
}

#[test]
fn equal_snapshots_have_no_changes() {
    let surface = snapshot(vec![host("192.0.2.1", vec![port(22, service(Protocol::Ssh, None))])]);
    assert!(events(&surface, &surface.clone()).is_empty());
}

#[test]
fn a_new_host_is_host_new_with_each_of_its_ports_opened() {
    let before = snapshot(vec![]);
    let after = snapshot(vec![host("192.0.2.1", vec![port(80, None), port(5432, None)])]);
    let found = events(&before, &after);
    assert_eq!(
        kinds(&found),
        [
            (HostNew, None, Severity::Medium),
            (PortOpened, Some(80), Severity::Medium),
            (PortOpened, Some(5432), Severity::High)
        ]
    );
    assert_eq!(
        found[0].after,
        Some(Observed::Host { all_ports_open: false, open_ports: vec![80, 5432] })
    );
}

#[test]
fn a_newly_opened_database_or_admin_port_is_high_and_telnet_critical() {
    let before = snapshot(vec![host("192.0.2.1", vec![port(443, None)])]);
    let after = snapshot(vec![host(
        "192.0.2.1",
        vec![
            port(23, None),
            port(443, None),
            port(3306, None),
            port(3389, None),
            port(8080, None),
            port(9999, service(Protocol::Redis, None)),
        ],
    )]);
    let severities: Vec<(Option<u16>, Severity)> =
        events(&before, &after).iter().map(|e| (e.port, e.severity)).collect();
    assert_eq!(
        severities,
        [
            (Some(23), Severity::Critical),
            (Some(3306), Severity::High),
            (Some(3389), Severity::High),
            (Some(8080), Severity::Medium),
            (Some(9999), Severity::High)
        ]
    );
}

#[test]
fn a_host_in_scope_that_stops_answering_is_gone_and_one_outside_is_not() {
    let before = snapshot(vec![
        host("192.0.2.1", vec![port(22, None)]),
        host("198.51.100.7", vec![port(22, None)]),
    ]);
    let found = events(&before, &snapshot(vec![]));
    assert_eq!(kinds(&found), [(HostGone, None, Severity::Low)]);
    assert_eq!(found[0].address.to_string(), "192.0.2.1");
    assert_eq!(
        found[0].before,
        Some(Observed::Host { all_ports_open: false, open_ports: vec![22] })
    );
}

#[test]
fn a_port_is_reported_closed_only_when_this_scan_looked_at_it() {
    let before =
        snapshot(vec![host("192.0.2.1", vec![port(22, None), port(20000, None), port(80, None)])]);
    let after = snapshot(vec![host("192.0.2.1", vec![port(80, None)])]);
    let found = events(&before, &after);
    assert_eq!(kinds(&found), [(PortClosed, Some(22), Severity::Info)], "20000 is outside 1-10000");
    assert_eq!(found[0].before, Some(Observed::Port(port(22, None))));
}

#[test]
fn a_new_version_is_a_low_service_change_and_a_switch_to_redis_high() {
    let before = snapshot(vec![host(
        "192.0.2.1",
        vec![
            port(22, service(Protocol::Ssh, Some("OpenSSH_9.2"))),
            port(8080, service(Protocol::Http, None)),
        ],
    )]);
    let after = snapshot(vec![host(
        "192.0.2.1",
        vec![
            port(22, service(Protocol::Ssh, Some("OpenSSH_9.9"))),
            port(8080, service(Protocol::Redis, None)),
        ],
    )]);
    let found = events(&before, &after);
    assert_eq!(
        kinds(&found),
        [(ServiceChanged, Some(22), Severity::Low), (ServiceChanged, Some(8080), Severity::High)]
    );
    assert_eq!(found[1].before, Some(Observed::Service(service(Protocol::Http, None))));
    assert_eq!(found[1].after, Some(Observed::Service(service(Protocol::Redis, None))));
}

#[test]
fn a_new_fingerprint_is_a_rotation() {
    let before = snapshot(vec![host("192.0.2.1", vec![tls_port(443, "aaaa", 200, &[])])]);
    let after = snapshot(vec![host("192.0.2.1", vec![tls_port(443, "bbbb", 365, &[])])]);
    let found = events(&before, &after);
    assert_eq!(kinds(&found), [(CertRotated, Some(443), Severity::Info)]);
    let Some(Observed::Certificate(old)) = &found[0].before else { panic!("{found:?}") };
    let Some(Observed::Certificate(new)) = &found[0].after else { panic!("{found:?}") };
    assert_eq!(
        (old.sha256_fingerprint.as_str(), new.sha256_fingerprint.as_str()),
        ("aaaa", "bbbb")
    );
}

#[test]
fn expiry_is_announced_when_it_happens_and_not_again() {
    let valid = snapshot(vec![host("192.0.2.1", vec![tls_port(443, "aaaa", 200, &[])])]);
    let expired = snapshot(vec![host(
        "192.0.2.1",
        vec![tls_port(443, "aaaa", -1, &[CertificateFlag::Expired])],
    )]);
    assert_eq!(kinds(&events(&valid, &expired)), [(CertExpired, Some(443), Severity::High)]);
    assert!(events(&expired, &expired.clone()).is_empty(), "still expired is not news");
}

#[test]
fn a_newly_set_validation_flag_is_cert_invalid_with_both_flag_sets() {
    let trusted = snapshot(vec![host("192.0.2.1", vec![tls_port(443, "aaaa", 200, &[])])]);
    let broken = snapshot(vec![host(
        "192.0.2.1",
        vec![tls_port(
            443,
            "bbbb",
            200,
            &[CertificateFlag::SelfSigned, CertificateFlag::Untrusted],
        )],
    )]);
    let found = events(&trusted, &broken);
    assert_eq!(
        kinds(&found),
        [(CertRotated, Some(443), Severity::Info), (CertInvalid, Some(443), Severity::Medium)]
    );
    let flags = BTreeSet::from([CertificateFlag::SelfSigned, CertificateFlag::Untrusted]);
    assert_eq!(found[1].before, Some(Observed::Flags(BTreeSet::new())));
    assert_eq!(found[1].after, Some(Observed::Flags(flags)));
    let mismatch = snapshot(vec![host(
        "192.0.2.1",
        vec![tls_port(
            443,
            "bbbb",
            200,
            &[
                CertificateFlag::SelfSigned,
                CertificateFlag::Untrusted,
                CertificateFlag::HostnameMismatch,
            ],
        )],
    )]);
    assert_eq!(kinds(&events(&broken, &mismatch)), [(CertInvalid, Some(443), Severity::Medium)]);
    assert!(events(&broken, &broken.clone()).is_empty(), "flags already set are not news");
}

#[test]
fn an_expiring_certificate_is_announced_once_per_window() {
    let settings = DiffSettings::at(now());
    let surface = snapshot(vec![host("192.0.2.1", vec![tls_port(443, "aaaa", 20, &[])])]);
    let first = diff(&surface, &surface, &settings, &ExpiryAnnouncements::new());
    assert_eq!(kinds(&first.events), [(CertExpiring, Some(443), Severity::Medium)]);
    let Some(Observed::Expiry { days_left, window_days, .. }) = &first.events[0].after else {
        panic!()
    };
    assert_eq!((*days_left, *window_days), (20, 30));
    let later = DiffSettings::at(now() + TimeDelta::days(1));
    let second = diff(&surface, &surface, &later, &first.announcements);
    assert!(
        second.events.is_empty(),
        "the same certificate in the same window: {:?}",
        second.events
    );
    assert_eq!(second.announcements, first.announcements);
}

#[test]
fn a_narrower_window_announces_again_and_a_late_first_sighting_announces_once() {
    let settings = DiffSettings { now: now(), expiry_windows_days: vec![30, 7] };
    let at_20 = snapshot(vec![host("192.0.2.1", vec![tls_port(443, "aaaa", 20, &[])])]);
    let first = diff(&at_20, &at_20, &settings, &ExpiryAnnouncements::new());
    assert_eq!(first.events.len(), 1);
    let at_5 = snapshot(vec![host("192.0.2.1", vec![tls_port(443, "aaaa", 5, &[])])]);
    let second = diff(&at_20, &at_5, &settings, &first.announcements);
    assert_eq!(kinds(&second.events), [(CertExpiring, Some(443), Severity::High)]);
    let fresh = snapshot(vec![host("192.0.2.2", vec![tls_port(443, "cccc", 5, &[])])]);
    let late = diff(&fresh, &fresh, &settings, &ExpiryAnnouncements::new());
    assert_eq!(late.events.len(), 1);
    assert_eq!(late.announcements.len(), 2, "both windows count as announced");
}

#[test]
fn announcements_of_certificates_no_longer_presented_are_dropped() {
    let settings = DiffSettings::at(now());
    let old = snapshot(vec![host("192.0.2.1", vec![tls_port(443, "aaaa", 10, &[])])]);
    let announced = diff(&old, &old, &settings, &ExpiryAnnouncements::new()).announcements;
    assert!(announced.contains("aaaa", 30));
    let renewed = snapshot(vec![host("192.0.2.1", vec![tls_port(443, "bbbb", 300, &[])])]);
    let outcome = diff(&old, &renewed, &settings, &announced);
    assert_eq!(kinds(&outcome.events), [(CertRotated, Some(443), Severity::Info)]);
    assert!(outcome.announcements.is_empty());
}

#[test]
fn a_host_that_answers_on_every_port_gets_no_port_events() {
    let listed = snapshot(vec![host("192.0.2.1", vec![port(80, None), port(443, None)])]);
    let mut proxied = host("192.0.2.1", vec![]);
    proxied.all_ports_open = true;
    assert!(events(&listed, &snapshot(vec![proxied])).is_empty());
}

#[test]
fn events_serialize_with_their_documented_kind_names() {
    let found = events(&snapshot(vec![]), &snapshot(vec![host("192.0.2.1", vec![port(22, None)])]));
    let json = serde_json::to_value(&found).unwrap();
    assert_eq!(json[0]["kind"], "HOST_NEW");
    assert_eq!(json[1]["kind"], "PORT_OPENED");
    assert_eq!(json[1]["severity"], "high");
    assert_eq!(json[1]["after"]["type"], "port");
}
