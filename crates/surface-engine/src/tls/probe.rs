//! The TLS probe: a rustls client that completes a handshake with any server (TLS 1.2 or 1.3),
//! whatever certificate it presents, and records the chain as presented, the protocol version and
//! the cipher suite. SNI carries the asset's domain when there is one.
//!
//! It accepts every certificate and every handshake signature on purpose: the probe observes, and
//! judging is [`super::validate`]'s, which must see weak and broken chains too. So it must never
//! carry data anyone relies on; the session is used for at most one harmless probe and closed.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::TlsObservation;
use super::certificate::{CertificateInfo, CertificateParseError};
use crate::values::DomainName;

/// Why the TLS client could not be built (the crypto provider lacks TLS 1.2 or 1.3).
#[derive(Debug, thiserror::Error)]
#[error("the TLS probe cannot be configured: {0}")]
pub struct TlsSetupError(#[from] rustls::Error);

/// Why a TLS probe found no certificate chain.
#[derive(Debug, thiserror::Error)]
pub enum TlsProbeError {
    #[error("the TLS handshake did not finish within {0:?}")]
    Timeout(Duration),
    #[error("the TLS handshake failed: {0}")]
    Handshake(#[source] std::io::Error),
    #[error("the server presented no certificate")]
    NoCertificate,
    #[error(transparent)]
    Certificate(#[from] CertificateParseError),
}

/// A reusable probe client.
#[derive(Clone)]
pub struct TlsProber {
    connector: TlsConnector,
}

impl std::fmt::Debug for TlsProber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsProber").finish_non_exhaustive()
    }
}

impl TlsProber {
    pub fn new() -> Result<TlsProber, TlsSetupError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate))
            .with_no_client_auth();
        // A resumed session shows no certificate; every probe must see the full handshake.
        config.resumption = rustls::client::Resumption::disabled();
        Ok(TlsProber { connector: TlsConnector::from(Arc::new(config)) })
    }

    /// Runs a handshake over `stream` and records what the server presented. `server_name` is
    /// sent as SNI; without one (an IP asset) no SNI is sent. The session is returned for the
    /// service hint and closed when dropped.
    pub async fn handshake(
        &self,
        stream: TcpStream,
        address: IpAddr,
        server_name: Option<&DomainName>,
        timeout: Duration,
    ) -> Result<(TlsStream<TcpStream>, TlsObservation), TlsProbeError> {
        let name = match server_name.and_then(|name| ServerName::try_from(name.to_string()).ok()) {
            Some(name) => name,
            None => ServerName::IpAddress(address.into()),
        };
        let session =
            match tokio::time::timeout(timeout, self.connector.connect(name, stream)).await {
                Err(_elapsed) => return Err(TlsProbeError::Timeout(timeout)),
                Ok(Err(error)) => return Err(TlsProbeError::Handshake(error)),
                Ok(Ok(session)) => session,
            };
        let observation = observe(session.get_ref().1)?;
        Ok((session, observation))
    }
}

fn observe(connection: &rustls::ClientConnection) -> Result<TlsObservation, TlsProbeError> {
    let chain = connection.peer_certificates().unwrap_or_default();
    if chain.is_empty() {
        return Err(TlsProbeError::NoCertificate);
    }
    let chain = chain.iter().map(|der| CertificateInfo::from_der(der)).collect::<Result<_, _>>()?;
    let protocol_version = match connection.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_owned(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_owned(),
        Some(other) => format!("{other:?}"),
        None => "unknown".to_owned(),
    };
    let cipher_suite = connection.negotiated_cipher_suite().map_or("unknown".to_owned(), |suite| {
        let id = suite.suite();
        id.as_str().map_or_else(|| format!("{id:?}"), str::to_owned)
    });
    Ok(TlsObservation { protocol_version, cipher_suite, chain })
}

/// Accepts every chain and every handshake signature; see the module documentation for why.
#[derive(Debug)]
struct AcceptAnyCertificate;

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    /// Every scheme, weak ones included, so that a server whose only key is old still answers.
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        vec![
            SignatureScheme::ECDSA_NISTP256_SHA256,
            SignatureScheme::ECDSA_NISTP384_SHA384,
            SignatureScheme::ECDSA_NISTP521_SHA512,
            SignatureScheme::ED25519,
            SignatureScheme::ED448,
            SignatureScheme::RSA_PSS_SHA256,
            SignatureScheme::RSA_PSS_SHA384,
            SignatureScheme::RSA_PSS_SHA512,
            SignatureScheme::RSA_PKCS1_SHA256,
            SignatureScheme::RSA_PKCS1_SHA384,
            SignatureScheme::RSA_PKCS1_SHA512,
            SignatureScheme::RSA_PKCS1_SHA1,
            SignatureScheme::ECDSA_SHA1_Legacy,
        ]
    }
}
