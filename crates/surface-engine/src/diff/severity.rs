//! The severity of each change event, from one rule table, documented on [`Severity`] and in
//! `docs/surface.md`; change the code, the doc comment and the document together.

use serde::{Deserialize, Serialize};

use super::ChangeKind;
use crate::service::{Protocol, ServiceHint};

/// How urgently a change needs a look, least to most, by these rules:
///
/// | Event             | Severity | Rule                                                            |
/// |-------------------|----------|-----------------------------------------------------------------|
/// | `HOST_NEW`        | medium   | an address answers that did not before                          |
/// | `HOST_GONE`       | low      | an address in the scope answers no more                         |
/// | `PORT_OPENED`     | critical | cleartext or unauthenticated remote control: telnet (23), rexec/rlogin/rsh (512–514), the Docker API without TLS (2375), or a `telnet` hint |
/// | `PORT_OPENED`     | high     | a database or cache port, a remote-administration port, or a hint naming such a protocol (see the port lists below) |
/// | `PORT_OPENED`     | medium   | any other port                                                  |
/// | `PORT_CLOSED`     | info     | a port in the scope no longer answers                           |
/// | `SERVICE_CHANGED` | critical | the protocol changed to `telnet`                              |
/// | `SERVICE_CHANGED` | high     | the protocol changed to a database or remote-administration one |
/// | `SERVICE_CHANGED` | low      | any other change (a new product version, TLS turned on or off)  |
/// | `CERT_ROTATED`    | info     | the certificate's fingerprint changed                           |
/// | `CERT_EXPIRING`   | high     | at most 7 days left                                             |
/// | `CERT_EXPIRING`   | medium   | inside the window, more than 7 days left                        |
/// | `CERT_EXPIRED`    | high     | the `expired` flag is newly set                                 |
/// | `CERT_INVALID`    | medium   | `not_yet_valid`, `self_signed`, `hostname_mismatch` or `untrusted` newly set |
///
/// Database and cache ports: 1433 (SQL Server), 1521 (Oracle), 3306 (MySQL), 5432 (PostgreSQL),
/// 5984 (CouchDB), 6379 (Redis), 7000 and 9042 (Cassandra), 8086 (InfluxDB), 9200 and 9300
/// (Elasticsearch), 11211 (memcached), 27017–27019 (MongoDB), 28015 (RethinkDB), 50000 (DB2).
/// Remote-administration ports: 22 (SSH), 135 (MS RPC), 139 and 445 (SMB), 2376 (Docker API over
/// TLS), 2379 and 2380 (etcd), 3389 (RDP), 5900–5903 (VNC), 5985 and 5986 (WinRM), 6443
/// (Kubernetes API), 10250 (kubelet). Hints: `mysql`, `postgres`, `redis` are databases; `ssh`,
/// `rdp`, `vnc` remote administration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// Days left at or under which an expiring certificate is high severity.
pub(super) const URGENT_EXPIRY_DAYS: i64 = 7;

const CLEARTEXT_CONTROL_PORTS: &[u16] = &[23, 512, 513, 514, 2375];
const DATABASE_PORTS: &[u16] = &[
    1433, 1521, 3306, 5432, 5984, 6379, 7000, 8086, 9042, 9200, 9300, 11211, 27017, 27018, 27019,
    28015, 50000,
];
const REMOTE_ADMIN_PORTS: &[u16] =
    &[22, 135, 139, 445, 2376, 2379, 2380, 3389, 5900, 5901, 5902, 5903, 5985, 5986, 6443, 10250];

/// The severity of a kind where the table gives one; the others are refined by the functions
/// below once the port, service or days left are known.
pub(super) fn of_kind(kind: ChangeKind) -> Severity {
    match kind {
        ChangeKind::PortClosed | ChangeKind::CertRotated => Severity::Info,
        ChangeKind::HostGone | ChangeKind::ServiceChanged => Severity::Low,
        ChangeKind::HostNew | ChangeKind::PortOpened | ChangeKind::CertExpiring => Severity::Medium,
        ChangeKind::CertInvalid => Severity::Medium,
        ChangeKind::CertExpired => Severity::High,
    }
}

/// `PORT_OPENED`: by what the port exposes.
pub(super) fn port_opened(port: u16, service: Option<&ServiceHint>) -> Severity {
    let protocol = service.map(|hint| hint.protocol);
    if CLEARTEXT_CONTROL_PORTS.contains(&port) || protocol == Some(Protocol::Telnet) {
        return Severity::Critical;
    }
    let sensitive = DATABASE_PORTS.contains(&port) || REMOTE_ADMIN_PORTS.contains(&port);
    if sensitive || protocol.is_some_and(is_sensitive_protocol) {
        return Severity::High;
    }
    Severity::Medium
}

/// `SERVICE_CHANGED`: high only when the port now speaks a more dangerous protocol; a new version
/// of the same service is routine.
pub(super) fn service_changed(
    before: Option<&ServiceHint>,
    after: Option<&ServiceHint>,
) -> Severity {
    let (before, after) = (before.map(|hint| hint.protocol), after.map(|hint| hint.protocol));
    match after {
        _ if before == after => Severity::Low,
        Some(Protocol::Telnet) => Severity::Critical,
        Some(protocol) if is_sensitive_protocol(protocol) => Severity::High,
        _ => Severity::Low,
    }
}

fn is_sensitive_protocol(protocol: Protocol) -> bool {
    matches!(
        protocol,
        Protocol::Mysql
            | Protocol::Postgres
            | Protocol::Redis
            | Protocol::Ssh
            | Protocol::Rdp
            | Protocol::Vnc
    )
}

/// `CERT_EXPIRING`: by days left.
pub(super) fn cert_expiring(days_left: i64) -> Severity {
    if days_left <= URGENT_EXPIRY_DAYS { Severity::High } else { Severity::Medium }
}
