//! Diff: a snapshot against its baseline, as typed change events (`HOST_NEW`, `HOST_GONE`,
//! `PORT_OPENED`, `PORT_CLOSED`, `SERVICE_CHANGED`, `CERT_ROTATED`, `CERT_EXPIRING`,
//! `CERT_EXPIRED`, `CERT_INVALID`), each with a severity from the rule table on [`Severity`] and its
//! before and after values.
//!
//! Only what the current scan looked at can be reported gone: `HOST_GONE` and `PORT_CLOSED` need
//! the address and port in the current scope, while anything newly seen is reported whatever the
//! baseline's scope was. A host judged all-ports-open on either side gets no port events (its port
//! answers say nothing). Events are ordered by host, port, then kind. It must not keep state: the
//! expiry announcements go in and come out as plain data.

mod expiry;
mod severity;

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use expiry::{Announcement, ExpiryAnnouncements};
pub use severity::Severity;

use crate::service::ServiceHint;
use crate::snapshot::{HostSnapshot, PortSnapshot, Snapshot, TlsSummary};
use crate::tls::{CertificateFlag, CertificateSummary};
use crate::values::DomainName;

/// What changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChangeKind {
    HostNew,
    HostGone,
    PortOpened,
    PortClosed,
    ServiceChanged,
    CertRotated,
    CertExpiring,
    CertExpired,
    CertInvalid,
}

/// One change, where it happened, and the values before and after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEvent {
    pub kind: ChangeKind,
    pub severity: Severity,
    pub address: IpAddr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_name: Option<DomainName>,
    /// `None` for host events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    pub before: Option<Observed>,
    pub after: Option<Observed>,
}

/// A value an event shows before or after the change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Observed {
    Host {
        all_ports_open: bool,
        open_ports: Vec<u16>,
    },
    Port(PortSnapshot),
    Service(Option<ServiceHint>),
    Certificate(CertificateSummary),
    Flags(BTreeSet<CertificateFlag>),
    Expiry {
        sha256_fingerprint: String,
        subject: String,
        not_after: DateTime<Utc>,
        days_left: i64,
        window_days: u32,
    },
}

/// The clock and the expiry windows a diff is made with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffSettings {
    pub now: DateTime<Utc>,
    /// `CERT_EXPIRING` windows in days; the default is one window of 30 days.
    pub expiry_windows_days: Vec<u32>,
}

/// The events, and the expiry announcements to pass to the next diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffOutcome {
    pub events: Vec<ChangeEvent>,
    pub announcements: ExpiryAnnouncements,
}

impl DiffSettings {
    pub fn at(now: DateTime<Utc>) -> DiffSettings {
        DiffSettings { now, expiry_windows_days: vec![30] }
    }
}

type HostKey = (IpAddr, Option<DomainName>);

/// The changes from `baseline` to `current`.
pub fn diff(
    baseline: &Snapshot,
    current: &Snapshot,
    settings: &DiffSettings,
    announced: &ExpiryAnnouncements,
) -> DiffOutcome {
    let before = index(baseline);
    let after = index(current);
    let keys: BTreeSet<&HostKey> = before.keys().chain(after.keys()).collect();
    let mut events = Vec::new();
    for key in keys {
        match (before.get(key), after.get(key)) {
            (None, Some(host)) => host_new(host, &mut events),
            (Some(host), None) if current.scope().covers_address(host.address) => {
                let mut event = ChangeEvent::at(ChangeKind::HostGone, host, None);
                event.before = Some(Observed::host(host));
                events.push(event);
            }
            (Some(old), Some(new)) => host_changed(old, new, current, &mut events),
            _ => {}
        }
    }
    let windows = &settings.expiry_windows_days;
    let announcements = expiry::announce(current, settings.now, windows, announced, &mut events);
    events.sort_by(|a, b| {
        (a.address, &a.server_name, a.port, a.kind).cmp(&(
            b.address,
            &b.server_name,
            b.port,
            b.kind,
        ))
    });
    DiffOutcome { events, announcements }
}

fn index(snapshot: &Snapshot) -> BTreeMap<HostKey, &HostSnapshot> {
    snapshot.hosts().iter().map(|host| ((host.address, host.server_name.clone()), host)).collect()
}

fn host_new(host: &HostSnapshot, events: &mut Vec<ChangeEvent>) {
    let mut event = ChangeEvent::at(ChangeKind::HostNew, host, None);
    event.after = Some(Observed::host(host));
    events.push(event);
    for port in &host.ports {
        port_opened(host, port, events);
    }
}

fn host_changed(
    old: &HostSnapshot,
    new: &HostSnapshot,
    current: &Snapshot,
    events: &mut Vec<ChangeEvent>,
) {
    if old.all_ports_open || new.all_ports_open {
        return;
    }
    let old_ports: BTreeMap<u16, &PortSnapshot> = old.ports.iter().map(|p| (p.port, p)).collect();
    let new_ports: BTreeMap<u16, &PortSnapshot> = new.ports.iter().map(|p| (p.port, p)).collect();
    let numbers: BTreeSet<u16> = old_ports.keys().chain(new_ports.keys()).copied().collect();
    for number in numbers {
        match (old_ports.get(&number), new_ports.get(&number)) {
            (None, Some(port)) => port_opened(new, port, events),
            (Some(port), None) if current.scope().ports().contains(number) => {
                let mut event = ChangeEvent::at(ChangeKind::PortClosed, new, Some(number));
                event.before = Some(Observed::Port((*port).clone()));
                events.push(event);
            }
            (Some(before), Some(after)) => port_changed(new, before, after, events),
            _ => {}
        }
    }
}

fn port_opened(host: &HostSnapshot, port: &PortSnapshot, events: &mut Vec<ChangeEvent>) {
    let mut event = ChangeEvent::at(ChangeKind::PortOpened, host, Some(port.port));
    event.severity = severity::port_opened(port.port, port.service.as_ref());
    event.after = Some(Observed::Port(port.clone()));
    events.push(event);
    certificate_changes(host, port.port, None, port.tls.as_ref(), events);
}

fn port_changed(
    host: &HostSnapshot,
    before: &PortSnapshot,
    after: &PortSnapshot,
    events: &mut Vec<ChangeEvent>,
) {
    if before.service != after.service {
        let mut event = ChangeEvent::at(ChangeKind::ServiceChanged, host, Some(after.port));
        event.severity = severity::service_changed(before.service.as_ref(), after.service.as_ref());
        event.before = Some(Observed::Service(before.service.clone()));
        event.after = Some(Observed::Service(after.service.clone()));
        events.push(event);
    }
    certificate_changes(host, after.port, before.tls.as_ref(), after.tls.as_ref(), events);
}

/// `CERT_ROTATED` when the fingerprint changed, `CERT_EXPIRED` when `expired` is newly set, and
/// `CERT_INVALID` when any other flag is.
fn certificate_changes(
    host: &HostSnapshot,
    port: u16,
    before: Option<&TlsSummary>,
    after: Option<&TlsSummary>,
    events: &mut Vec<ChangeEvent>,
) {
    let Some(after) = after else { return };
    let at = |kind| ChangeEvent::at(kind, host, Some(port));
    if let Some(before) = before
        && before.certificate.sha256_fingerprint != after.certificate.sha256_fingerprint
    {
        let mut event = at(ChangeKind::CertRotated);
        event.before = Some(Observed::Certificate(before.certificate.clone()));
        event.after = Some(Observed::Certificate(after.certificate.clone()));
        events.push(event);
    }
    let old_flags = before.map(|tls| tls.flags.clone()).unwrap_or_default();
    let newly_set: BTreeSet<CertificateFlag> =
        after.flags.difference(&old_flags).copied().collect();
    let flag_event = |kind| {
        let mut event = at(kind);
        event.before = Some(Observed::Flags(old_flags.clone()));
        event.after = Some(Observed::Flags(after.flags.clone()));
        event
    };
    if newly_set.contains(&CertificateFlag::Expired) {
        events.push(flag_event(ChangeKind::CertExpired));
    }
    if newly_set.iter().any(|flag| *flag != CertificateFlag::Expired) {
        events.push(flag_event(ChangeKind::CertInvalid));
    }
}

impl ChangeEvent {
    /// An event of `kind` on `host` with the kind's base severity and no values yet.
    fn at(kind: ChangeKind, host: &HostSnapshot, port: Option<u16>) -> ChangeEvent {
        let severity = severity::of_kind(kind);
        let server_name = host.server_name.clone();
        ChangeEvent {
            kind,
            severity,
            address: host.address,
            server_name,
            port,
            before: None,
            after: None,
        }
    }
}

impl Observed {
    fn host(host: &HostSnapshot) -> Observed {
        let open_ports = host.ports.iter().map(|port| port.port).collect();
        Observed::Host { all_ports_open: host.all_ports_open, open_ports }
    }
}
