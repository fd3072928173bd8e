//! Snapshots: the normalized result of a scan (its scope, then hosts → open ports → service hint →
//! TLS summary with validation flags), with one canonical JSON form and its SHA-256, so that two
//! scans that saw the same surface have the same hash whatever order their results arrived in.
//!
//! Canonical means: hosts sorted by address then name, ports ascending, names and flags sorted,
//! fields in declaration order, no whitespace, timestamps in RFC 3339 UTC. Nothing that changes
//! between two looks at an unchanged surface (scan time, banners, counts of closed ports) is kept.
//! It must not compare snapshots; that is [`crate::diff`]'s.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::scan::{HostReport, OpenPort};
use crate::service::ServiceHint;
use crate::tls::{self, CertificateFlag, CertificateSummary, TrustAnchors};
use crate::values::{DomainName, PortSpec, Target};

/// What was scanned: the targets as named and the ports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    targets: BTreeSet<Target>,
    ports: PortSpec,
}

/// A scan's normalized result. Made by [`Snapshot::build`] or by deserializing, which normalizes
/// again, so a stored snapshot re-serializes to the same bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SnapshotParts")]
pub struct Snapshot {
    scope: Scope,
    hosts: Vec<HostSnapshot>,
}

/// A host that answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostSnapshot {
    pub address: IpAddr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_name: Option<DomainName>,
    /// The host answered on too many ports to list; `ports` is then empty.
    pub all_ports_open: bool,
    pub ports: Vec<PortSnapshot>,
}

/// An open port.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortSnapshot {
    pub port: u16,
    pub service: Option<ServiceHint>,
    pub tls: Option<TlsSummary>,
}

/// The TLS side of an open port: the session and the server's own certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsSummary {
    pub protocol_version: String,
    pub cipher_suite: String,
    pub certificate: CertificateSummary,
    /// SHA-256 fingerprints of the other certificates sent, in the order sent.
    pub chain: Vec<String>,
    pub flags: BTreeSet<CertificateFlag>,
}

/// The clock and roots certificates are validated with while a snapshot is built.
#[derive(Clone, Copy, Debug)]
pub struct CertificateCheck<'a> {
    pub now: DateTime<Utc>,
    pub anchors: &'a TrustAnchors,
}

#[derive(Deserialize)]
struct SnapshotParts {
    scope: Scope,
    hosts: Vec<HostSnapshot>,
}

impl Scope {
    pub fn new(targets: impl IntoIterator<Item = Target>, ports: PortSpec) -> Scope {
        Scope { targets: targets.into_iter().collect(), ports }
    }

    pub fn ports(&self) -> &PortSpec {
        &self.ports
    }

    pub fn targets(&self) -> impl Iterator<Item = &Target> {
        self.targets.iter()
    }

    /// Whether the scan connected to `address`.
    pub fn covers_address(&self, address: IpAddr) -> bool {
        self.targets.iter().any(|target| target.covers(address))
    }
}

impl Snapshot {
    /// A snapshot of nothing found in `scope`: the baseline of a first scan.
    pub fn empty(scope: Scope) -> Snapshot {
        Snapshot { scope, hosts: Vec::new() }
    }

    /// A snapshot of these hosts, normalized (the service rebuilding one from stored rows).
    pub fn new(scope: Scope, hosts: Vec<HostSnapshot>) -> Snapshot {
        Snapshot::from(SnapshotParts { scope, hosts })
    }

    /// Builds the snapshot of a scan's reports, validating each certificate with `check`. Hosts
    /// that answered nothing are left out: nothing says they exist.
    pub fn build(scope: Scope, reports: &[HostReport], check: CertificateCheck<'_>) -> Snapshot {
        let hosts = reports
            .iter()
            .filter(|report| report.answered())
            .map(|report| host_snapshot(report, check))
            .collect();
        Snapshot::from(SnapshotParts { scope, hosts })
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Hosts ordered by address, then server name.
    pub fn hosts(&self) -> &[HostSnapshot] {
        &self.hosts
    }

    /// The canonical JSON text.
    pub fn canonical_json(&self) -> String {
        // Serializing cannot fail: every map key is a string and no field refuses to serialize.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// SHA-256 of the canonical JSON, lowercase hex.
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(self.canonical_json().as_bytes()))
    }
}

impl From<SnapshotParts> for Snapshot {
    /// Sorts everything and merges duplicate hosts (the same address and name reported twice).
    fn from(parts: SnapshotParts) -> Snapshot {
        let mut by_key: BTreeMap<(IpAddr, Option<DomainName>), HostSnapshot> = BTreeMap::new();
        for host in parts.hosts {
            let key = (host.address, host.server_name.clone());
            match by_key.get_mut(&key) {
                Some(kept) => {
                    kept.all_ports_open |= host.all_ports_open;
                    kept.ports.extend(host.ports);
                }
                None => {
                    by_key.insert(key, host);
                }
            }
        }
        let hosts = by_key.into_values().map(normalized_host).collect();
        Snapshot { scope: parts.scope, hosts }
    }
}

fn normalized_host(mut host: HostSnapshot) -> HostSnapshot {
    host.ports.sort_by_key(|port| port.port);
    host.ports.dedup_by_key(|port| port.port);
    if host.all_ports_open {
        host.ports.clear();
    }
    for port in &mut host.ports {
        if let Some(tls) = &mut port.tls {
            tls.certificate.subject_alt_names.sort();
            tls.certificate.subject_alt_names.dedup();
        }
    }
    host
}

fn host_snapshot(report: &HostReport, check: CertificateCheck<'_>) -> HostSnapshot {
    let name = report.target.server_name();
    HostSnapshot {
        address: report.target.address(),
        server_name: report.target.server_name().cloned(),
        all_ports_open: report.all_ports_open,
        ports: report.open.iter().map(|open| port_snapshot(open, name, check)).collect(),
    }
}

fn port_snapshot(
    open: &OpenPort,
    name: Option<&DomainName>,
    check: CertificateCheck<'_>,
) -> PortSnapshot {
    let tls = open.tls.as_ref().and_then(|observation| {
        let leaf = observation.leaf()?;
        Some(TlsSummary {
            protocol_version: observation.protocol_version.clone(),
            cipher_suite: observation.cipher_suite.clone(),
            certificate: leaf.summary.clone(),
            chain: observation.chain[1..]
                .iter()
                .map(|cert| cert.summary.sha256_fingerprint.clone())
                .collect(),
            flags: tls::validate(observation, name, check.now, check.anchors),
        })
    });
    PortSnapshot { port: open.port, service: open.service.clone(), tls }
}
