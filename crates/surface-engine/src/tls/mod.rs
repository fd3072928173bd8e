//! TLS: the probe that records the chain a server presents ([`TlsProber`]), the fields kept of
//! each certificate ([`CertificateInfo`]), and the separate validation into flags ([`validate`]).
//!
//! It must not decide what a flag means for the tenant: severities and change events belong to
//! [`crate::diff`].

mod certificate;
mod probe;
mod validate;

use serde::{Deserialize, Serialize};

pub use certificate::{
    CertificateInfo, CertificateParseError, CertificateSummary, KeySummary, SubjectAltName,
};
pub use probe::{TlsProbeError, TlsProber, TlsSetupError};
pub use validate::{CertificateFlag, TrustAnchorError, TrustAnchors, validate};

/// What one TLS handshake showed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsObservation {
    /// `TLSv1.3` or `TLSv1.2`.
    pub protocol_version: String,
    /// The IANA name of the negotiated suite, e.g. `TLS13_AES_256_GCM_SHA384`.
    pub cipher_suite: String,
    /// The certificates in the order the server sent them, leaf first; never empty.
    pub chain: Vec<CertificateInfo>,
}

impl TlsObservation {
    /// The server's own certificate.
    pub fn leaf(&self) -> Option<&CertificateInfo> {
        self.chain.first()
    }
}
