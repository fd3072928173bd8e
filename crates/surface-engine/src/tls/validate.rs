//! Validation of a presented chain into flags a user acts on: `expired`, `not_yet_valid`,
//! `self_signed`, `hostname_mismatch` (only when the asset has a domain) and `untrusted` (the
//! chain does not verify to the trust anchors, the compiled-in webpki roots by default).
//!
//! The clock is an argument, so a result is reproducible; each flag is judged on its own: the
//! trust check is made at a moment inside the leaf's validity, so an expired certificate from a
//! public CA is `expired` but not also `untrusted`. It must not fetch anything (no AIA, no OCSP).

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rustls::pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use serde::{Deserialize, Serialize};
use webpki::{EndEntityCert, KeyUsage};
use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;

use super::TlsObservation;
use crate::values::DomainName;

/// A finding about a presented certificate chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateFlag {
    Expired,
    NotYetValid,
    SelfSigned,
    HostnameMismatch,
    Untrusted,
}

/// The roots a chain must verify to.
#[derive(Clone, Debug)]
pub struct TrustAnchors {
    anchors: Vec<TrustAnchor<'static>>,
}

/// Why a certificate cannot serve as a trust anchor.
#[derive(Debug, thiserror::Error)]
#[error("a trust anchor certificate could not be read: {0}")]
pub struct TrustAnchorError(webpki::Error);

impl TrustAnchors {
    /// The Mozilla root program's roots, as compiled into `webpki-roots`.
    pub fn webpki_roots() -> TrustAnchors {
        TrustAnchors { anchors: webpki_roots::TLS_SERVER_ROOTS.to_vec() }
    }

    /// Roots given as DER certificates (a private CA, a test CA).
    pub fn from_der_certificates(roots: &[Vec<u8>]) -> Result<TrustAnchors, TrustAnchorError> {
        let mut anchors = Vec::with_capacity(roots.len());
        for root in roots {
            let der = CertificateDer::from(root.as_slice());
            let anchor = webpki::anchor_from_trusted_cert(&der).map_err(TrustAnchorError)?;
            anchors.push(anchor.to_owned());
        }
        Ok(TrustAnchors { anchors })
    }
}

/// The flags of the chain `observation` recorded, judged at `now`. `expected_name` is the asset's
/// domain; without one no hostname is checked.
pub fn validate(
    observation: &TlsObservation,
    expected_name: Option<&DomainName>,
    now: DateTime<Utc>,
    anchors: &TrustAnchors,
) -> BTreeSet<CertificateFlag> {
    let mut flags = BTreeSet::new();
    let Some(leaf) = observation.chain.first() else {
        flags.insert(CertificateFlag::Untrusted);
        return flags;
    };
    if now > leaf.summary.not_after {
        flags.insert(CertificateFlag::Expired);
    }
    if now < leaf.summary.not_before {
        flags.insert(CertificateFlag::NotYetValid);
    }
    if is_self_signed(&leaf.der) {
        flags.insert(CertificateFlag::SelfSigned);
    }
    let leaf_der = CertificateDer::from(leaf.der.as_slice());
    let Ok(end_entity) = EndEntityCert::try_from(&leaf_der) else {
        flags.extend([CertificateFlag::Untrusted, CertificateFlag::HostnameMismatch]);
        return flags;
    };
    if let Some(name) = expected_name {
        let matches = ServerName::try_from(name.as_str()).is_ok_and(|server_name| {
            end_entity.verify_is_valid_for_subject_name(&server_name).is_ok()
        });
        if !matches {
            flags.insert(CertificateFlag::HostnameMismatch);
        }
    }
    let moment = now.clamp(leaf.summary.not_before, leaf.summary.not_after);
    if !chains_to_anchor(&end_entity, observation, moment, anchors) {
        flags.insert(CertificateFlag::Untrusted);
    }
    flags
}

/// Issued by itself: the issuer is the subject and the certificate's own key verifies its
/// signature (a name match alone would also fit a CA that reuses its subject).
fn is_self_signed(der: &[u8]) -> bool {
    let Ok((_, cert)) = X509Certificate::from_der(der) else { return false };
    cert.issuer().as_raw() == cert.subject().as_raw() && cert.verify_signature(None).is_ok()
}

fn chains_to_anchor(
    end_entity: &EndEntityCert<'_>,
    observation: &TlsObservation,
    moment: DateTime<Utc>,
    anchors: &TrustAnchors,
) -> bool {
    let intermediates: Vec<CertificateDer<'_>> = observation.chain[1..]
        .iter()
        .map(|cert| CertificateDer::from(cert.der.as_slice()))
        .collect();
    let seconds = u64::try_from(moment.timestamp()).unwrap_or(0);
    let time = UnixTime::since_unix_epoch(Duration::from_secs(seconds));
    end_entity
        .verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &anchors.anchors,
            &intermediates,
            time,
            KeyUsage::server_auth(),
            None,
            None,
        )
        .is_ok()
}
