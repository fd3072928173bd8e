//! Signed results: the report as the predicate of an in-toto Statement v1 whose subject is the
//! diff's SHA-256, wrapped in a DSSE envelope and signed with ed25519, HMAC-SHA256 or the fixed
//! development key; and [`verify_artifact`], which checks such an envelope offline.
//!
//! It owns the wire formats and the order of checks; it must not read keys from anywhere (the
//! caller hands over key bytes) and must not trust any part of an envelope before its signature
//! over the pre-authentication encoding has been verified.

mod dsse;
mod keys;
mod statement;

pub use dsse::{Envelope, EnvelopeSignature, pae};
pub use keys::{KeyError, Signer, VerificationKey};
pub use statement::{PAYLOAD_TYPE, PREDICATE_TYPE, ResourceDescriptor, STATEMENT_TYPE, Statement};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::report::Report;

/// Envelopes larger than this are refused before parsing.
const MAX_ARTIFACT_BYTES: usize = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub enum AttestError {
    #[error("the statement could not be serialized: {0}")]
    Serialize(#[from] serde_json::Error),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the artifact is {0} bytes, over the {MAX_ARTIFACT_BYTES}-byte limit")]
    TooLarge(usize),
    #[error("not a DSSE envelope: {0}")]
    NotAnEnvelope(String),
    #[error("the envelope's payload is not base64")]
    PayloadEncoding,
    #[error("no signature verifies with the given keys")]
    NoValidSignature,
    #[error("payload type {0:?} is not {PAYLOAD_TYPE}")]
    PayloadType(String),
    #[error("the payload is not an in-toto statement with a diffscan report: {0}")]
    NotAStatement(String),
    #[error("statement type {0:?} is not {STATEMENT_TYPE}")]
    StatementType(String),
    #[error("predicate type {0:?} is not {PREDICATE_TYPE}")]
    PredicateType(String),
    #[error("the statement's subject digest does not match the report's diff digest")]
    SubjectMismatch,
}

/// A statement whose signature verified, and which key verified it.
#[derive(Debug, Clone)]
pub struct VerifiedStatement {
    pub statement: Statement,
    pub key_id: String,
    /// Signed with the public development key: anyone could have made it.
    pub development_key: bool,
}

impl VerifiedStatement {
    pub fn report(&self) -> &Report {
        &self.statement.predicate
    }
}

/// Signs `report` as an in-toto statement about the diff named `subject_name` (for example
/// `BASE..HEAD` or a file name); returns the DSSE envelope as JSON bytes.
pub fn sign_report(
    report: &Report,
    subject_name: &str,
    signer: &Signer,
) -> Result<Vec<u8>, AttestError> {
    let statement = Statement::for_report(report, subject_name);
    let payload = serde_json::to_vec(&statement)?;
    let signature = signer.sign(&pae(PAYLOAD_TYPE, &payload));
    let envelope = Envelope {
        payload: STANDARD.encode(&payload),
        payload_type: PAYLOAD_TYPE.to_string(),
        signatures: vec![EnvelopeSignature {
            keyid: signer.key_id().to_string(),
            sig: STANDARD.encode(signature),
        }],
    };
    let mut bytes = serde_json::to_vec_pretty(&envelope)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Verifies a DSSE envelope offline, in the order the DSSE protocol prescribes: the signature
/// over PAE(payloadType, payload) first (so the payload type is authenticated), then the payload
/// type, then the statement's type, predicate type and subject.
pub fn verify_artifact(
    bytes: &[u8],
    keys: &[VerificationKey],
) -> Result<VerifiedStatement, VerifyError> {
    if bytes.len() > MAX_ARTIFACT_BYTES {
        return Err(VerifyError::TooLarge(bytes.len()));
    }
    let envelope: Envelope =
        serde_json::from_slice(bytes).map_err(|e| VerifyError::NotAnEnvelope(e.to_string()))?;
    let payload = envelope.decoded_payload().ok_or(VerifyError::PayloadEncoding)?;
    let message = pae(&envelope.payload_type, &payload);
    let key = envelope
        .signatures
        .iter()
        .find_map(|signature| signature.verified_by(keys, &message))
        .ok_or(VerifyError::NoValidSignature)?;
    if envelope.payload_type != PAYLOAD_TYPE {
        return Err(VerifyError::PayloadType(envelope.payload_type.chars().take(100).collect()));
    }
    let statement = Statement::parse(&payload)?;
    Ok(VerifiedStatement {
        statement,
        key_id: key.key_id().to_string(),
        development_key: key.is_development(),
    })
}
