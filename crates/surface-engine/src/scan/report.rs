//! What a scan found on one host: its confirmed open ports with their service hints and TLS
//! observations, how many ports were closed, filtered or could not be tried, and whether the host
//! answered on so many ports that they say nothing (`all_ports_open`).
//!
//! These are the records streamed to the caller as hosts finish (one JSON line each in
//! `palisade scan --json`). It must not hold validation results: flags are computed from the
//! observations afterwards, with a clock, by [`crate::snapshot`].

use serde::{Deserialize, Serialize};

use crate::service::ServiceHint;
use crate::tls::TlsObservation;
use crate::values::ScanTarget;

/// The result for one host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostReport {
    #[serde(flatten)]
    pub target: ScanTarget,
    /// Confirmed open ports in ascending order; empty when `all_ports_open`.
    pub open: Vec<OpenPort>,
    /// The host answered on more ports than the all-open rule allows (a WAF or SYN proxy).
    pub all_ports_open: bool,
    pub counts: PortCounts,
    /// The first failure on our side, when some ports could not be tried (`counts.failed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// How the scanned ports of a host came out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortCounts {
    /// Ports in the scan for this host.
    pub scanned: u32,
    /// Open and confirmed by a second connection (for an all-open host: those that answered).
    pub open: u32,
    /// Refused (RST), including ports that answered once but not when confirmed.
    pub closed: u32,
    /// No answer after every retry, or ICMP unreachable.
    pub filtered: u32,
    /// Not tried to the end because of a failure on our side (no file descriptor or port free);
    /// never counted as closed.
    pub failed: u32,
    /// Not tried because the host had already been judged all-ports-open.
    pub skipped: u32,
}

/// One confirmed open port.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenPort {
    pub port: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceHint>,
    /// A printable excerpt of the first line the server sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsObservation>,
    /// Why the TLS probe failed on a port that answered like TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_error: Option<String>,
}

impl HostReport {
    /// Whether anything on the host answered (an open port or a RST): the host exists.
    pub fn answered(&self) -> bool {
        self.all_ports_open || self.counts.open > 0 || self.counts.closed > 0
    }

    /// Whether every port failed on our side, so that the host was not really scanned.
    pub fn not_scanned(&self) -> bool {
        self.counts.failed > 0 && self.counts.failed + self.counts.skipped == self.counts.scanned
    }
}
