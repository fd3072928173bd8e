//! `CERT_EXPIRING`, announced once per certificate per window. Which certificates were already
//! announced is plain data the caller keeps between scans: it passes the last
//! [`ExpiryAnnouncements`] in and stores the one that comes out.
//!
//! With windows of 30 and 7 days a certificate is announced when it first has 30 days or fewer
//! left, and again at 7 days or fewer; first seen with 5 days left, it is announced once, for the
//! 7-day window, and the 30-day window counts as announced too. Entries of certificates no longer
//! presented anywhere are dropped, so the state stays as small as the surface.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::severity;
use super::{ChangeEvent, ChangeKind, Observed};
use crate::snapshot::Snapshot;
use crate::tls::CertificateSummary;

/// The certificates already announced as expiring, and in which window.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ExpiryAnnouncements {
    announced: BTreeSet<Announcement>,
}

/// One certificate announced for one window.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Announcement {
    pub sha256_fingerprint: String,
    pub window_days: u32,
}

impl ExpiryAnnouncements {
    pub fn new() -> ExpiryAnnouncements {
        ExpiryAnnouncements::default()
    }

    pub fn contains(&self, sha256_fingerprint: &str, window_days: u32) -> bool {
        self.announced.iter().any(|announcement| {
            announcement.sha256_fingerprint == sha256_fingerprint
                && announcement.window_days == window_days
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Announcement> {
        self.announced.iter()
    }

    pub fn len(&self) -> usize {
        self.announced.len()
    }

    pub fn is_empty(&self) -> bool {
        self.announced.is_empty()
    }
}

/// Emits `CERT_EXPIRING` for certificates in `current` newly inside a window, and returns the
/// announcements to keep.
pub(super) fn announce(
    current: &Snapshot,
    now: DateTime<Utc>,
    windows_days: &[u32],
    previous: &ExpiryAnnouncements,
    events: &mut Vec<ChangeEvent>,
) -> ExpiryAnnouncements {
    let presented = presented_certificates(current);
    let mut next: BTreeSet<Announcement> = previous
        .announced
        .iter()
        .filter(|announcement| presented.contains_key(&announcement.sha256_fingerprint))
        .cloned()
        .collect();
    for (fingerprint, (certificate, event)) in &presented {
        let left = certificate.not_after - now;
        if left <= TimeDelta::zero() {
            continue;
        }
        let inside: Vec<u32> = windows_days
            .iter()
            .copied()
            .filter(|days| left <= TimeDelta::days(i64::from(*days)))
            .collect();
        let Some(narrowest) = inside.iter().copied().min() else { continue };
        let announce =
            |window_days| Announcement { sha256_fingerprint: fingerprint.clone(), window_days };
        if !next.contains(&announce(narrowest)) {
            let days_left = left.num_days();
            let mut event = event.clone();
            event.severity = severity::cert_expiring(days_left);
            event.after = Some(Observed::Expiry {
                sha256_fingerprint: fingerprint.clone(),
                subject: certificate.subject.clone(),
                not_after: certificate.not_after,
                days_left,
                window_days: narrowest,
            });
            events.push(event);
        }
        next.extend(inside.into_iter().map(announce));
    }
    ExpiryAnnouncements { announced: next }
}

/// Every certificate presented in `current`, once, with an event template for where it was first
/// seen (hosts and ports in snapshot order).
fn presented_certificates(
    current: &Snapshot,
) -> BTreeMap<String, (&CertificateSummary, ChangeEvent)> {
    let mut presented = BTreeMap::new();
    for host in current.hosts() {
        for port in &host.ports {
            let Some(tls) = &port.tls else { continue };
            let certificate = &tls.certificate;
            presented.entry(certificate.sha256_fingerprint.clone()).or_insert_with(|| {
                (certificate, ChangeEvent::at(ChangeKind::CertExpiring, host, Some(port.port)))
            });
        }
    }
    presented
}
