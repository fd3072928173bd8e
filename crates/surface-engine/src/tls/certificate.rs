//! The fields of one X.509 certificate that an inventory shows and compares: subject, subject
//! alternative names, issuer, serial, validity, SHA-256 fingerprint, public key type and size, and
//! signature algorithm (by its common name where it has one); plus the DER itself (base64 in
//! JSON), which validation needs.
//!
//! It must not judge the certificate: expiry, trust and names are [`super::validate`]'s.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;

use x509_parser::der_parser::oid::Oid;

/// What an inventory keeps of a certificate.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CertificateSummary {
    /// The subject name, RFC 4514 style (`CN=example.com, O=Example`).
    pub subject: String,
    pub subject_alt_names: Vec<SubjectAltName>,
    pub issuer: String,
    /// Lowercase hex, without leading zero bytes.
    pub serial: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// SHA-256 of the DER, lowercase hex.
    pub sha256_fingerprint: String,
    pub key: KeySummary,
    /// The signature algorithm's name (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`), or its
    /// dotted OID when it has no common name.
    pub signature_algorithm: String,
}

/// A presented certificate: its summary and its DER.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateInfo {
    #[serde(flatten)]
    pub summary: CertificateSummary,
    #[serde(with = "der_base64")]
    pub der: Vec<u8>,
}

/// One subject alternative name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectAltName {
    Dns(String),
    Ip(IpAddr),
    Email(String),
    Uri(String),
    /// Any other kind, described.
    Other(String),
}

/// The subject public key: algorithm, size in bits, and the named curve for EC keys.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct KeySummary {
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA`, or the algorithm's dotted OID.
    pub algorithm: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bits: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curve: Option<String>,
}

/// Why a presented certificate could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the certificate with SHA-256 {sha256_fingerprint} is not valid X.509 DER")]
pub struct CertificateParseError {
    pub sha256_fingerprint: String,
}

impl CertificateInfo {
    /// Reads the fields of a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<CertificateInfo, CertificateParseError> {
        let sha256_fingerprint = hex::encode(Sha256::digest(der));
        let Ok((_, cert)) = X509Certificate::from_der(der) else {
            return Err(CertificateParseError { sha256_fingerprint });
        };
        let summary = CertificateSummary {
            subject: cert.subject().to_string(),
            subject_alt_names: subject_alt_names(&cert),
            issuer: cert.issuer().to_string(),
            serial: serial_hex(cert.raw_serial()),
            not_before: timestamp(cert.validity().not_before.timestamp()),
            not_after: timestamp(cert.validity().not_after.timestamp()),
            sha256_fingerprint,
            key: key_summary(&cert),
            signature_algorithm: signature_algorithm_name(&cert.signature_algorithm.algorithm),
        };
        Ok(CertificateInfo { summary, der: der.to_vec() })
    }
}

fn subject_alt_names(cert: &X509Certificate<'_>) -> Vec<SubjectAltName> {
    let Ok(Some(extension)) = cert.subject_alternative_name() else { return Vec::new() };
    extension.value.general_names.iter().map(alt_name).collect()
}

fn alt_name(name: &GeneralName<'_>) -> SubjectAltName {
    match name {
        GeneralName::DNSName(dns) => SubjectAltName::Dns((*dns).to_owned()),
        GeneralName::RFC822Name(email) => SubjectAltName::Email((*email).to_owned()),
        GeneralName::URI(uri) => SubjectAltName::Uri((*uri).to_owned()),
        GeneralName::IPAddress(bytes) => match ip_from_bytes(bytes) {
            Some(ip) => SubjectAltName::Ip(ip),
            None => SubjectAltName::Other(format!("IP address of {} bytes", bytes.len())),
        },
        GeneralName::DirectoryName(name) => SubjectAltName::Other(format!("DirName:{name}")),
        other => SubjectAltName::Other(format!("{other:?}").chars().take(100).collect()),
    }
}

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return Some(IpAddr::V4(Ipv4Addr::from(v4)));
    }
    <[u8; 16]>::try_from(bytes).ok().map(|v6| IpAddr::V6(Ipv6Addr::from(v6)))
}

fn key_summary(cert: &X509Certificate<'_>) -> KeySummary {
    let spki = cert.public_key();
    let oid = &spki.algorithm.algorithm;
    let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok());
    let (algorithm, bits, curve) = match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => ("RSA".to_owned(), Some(bit_length(rsa.modulus)), None),
        Ok(PublicKey::EC(_)) => {
            let curve = curve.map(|oid| curve_name(&oid));
            let bits = curve.as_ref().and_then(|(_, bits)| *bits);
            ("EC".to_owned(), bits, curve.map(|(name, _)| name))
        }
        Ok(PublicKey::DSA(y)) => ("DSA".to_owned(), Some(bit_length(y)), None),
        _ => other_key_name(oid),
    };
    KeySummary { algorithm, bits, curve }
}

/// The bit length of a big-endian unsigned integer (leading zero bytes and bits not counted).
fn bit_length(bytes: &[u8]) -> u32 {
    let significant: &[u8] = match bytes.iter().position(|b| *b != 0) {
        Some(first) => &bytes[first..],
        None => &[],
    };
    let Some(top) = significant.first() else { return 0 };
    let whole_bytes = u32::try_from(significant.len() - 1).unwrap_or(u32::MAX / 8);
    whole_bytes * 8 + (8 - top.leading_zeros())
}

fn serial_hex(raw: &[u8]) -> String {
    let first = raw.iter().position(|b| *b != 0).unwrap_or(raw.len().saturating_sub(1));
    hex::encode(&raw[first.min(raw.len())..])
}

fn timestamp(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

// Common names of the object identifiers a summary shows: signature algorithms (RFC 8017,
// RFC 5758, RFC 8410, RFC 3279), named curves (RFC 5480, SEC 2) and key algorithms. An identifier
// without a common name is shown in its dotted form, never dropped.

/// Signature algorithm identifiers and their names.
const SIGNATURE_ALGORITHMS: &[(&str, &str)] = &[
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption"),
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
    ("1.2.840.113549.1.1.10", "rsassaPss"),
    ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
    ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
    ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
    ("1.2.840.113549.1.1.14", "sha224WithRSAEncryption"),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
    ("1.2.840.10045.4.3.1", "ecdsa-with-SHA224"),
    ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
    ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
    ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512"),
    ("1.3.101.112", "Ed25519"),
    ("1.3.101.113", "Ed448"),
    ("1.2.840.10040.4.3", "dsa-with-SHA1"),
    ("2.16.840.1.101.3.4.3.2", "dsa-with-SHA256"),
];

/// Named curves: identifier, name, size in bits.
const CURVES: &[(&str, &str, u32)] = &[
    ("1.2.840.10045.3.1.7", "P-256", 256),
    ("1.3.132.0.34", "P-384", 384),
    ("1.3.132.0.35", "P-521", 521),
    ("1.3.132.0.10", "secp256k1", 256),
    ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1", 256),
    ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1", 384),
    ("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1", 512),
];

/// Key algorithms without parameters to parse: identifier, name, size in bits.
const OTHER_KEYS: &[(&str, &str, u32)] =
    &[("1.3.101.112", "Ed25519", 256), ("1.3.101.113", "Ed448", 448)];

fn signature_algorithm_name(oid: &Oid<'_>) -> String {
    let dotted = oid.to_id_string();
    SIGNATURE_ALGORITHMS
        .iter()
        .find(|(id, _)| *id == dotted)
        .map_or(dotted.clone(), |(_, name)| (*name).to_owned())
}

/// The curve's name and size, or its dotted identifier and no size.
fn curve_name(oid: &Oid<'_>) -> (String, Option<u32>) {
    let dotted = oid.to_id_string();
    match CURVES.iter().find(|(id, _, _)| *id == dotted) {
        Some((_, name, bits)) => ((*name).to_owned(), Some(*bits)),
        None => (dotted, None),
    }
}

/// Name, size and curve of a key that is neither RSA, EC nor DSA.
fn other_key_name(oid: &Oid<'_>) -> (String, Option<u32>, Option<String>) {
    let dotted = oid.to_id_string();
    match OTHER_KEYS.iter().find(|(id, _, _)| *id == dotted) {
        Some((_, name, bits)) => ((*name).to_owned(), Some(*bits), None),
        None => (dotted, None, None),
    }
}

/// DER as standard base64 in JSON, the way PEM carries it.
mod der_base64 {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(der: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(der))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}
