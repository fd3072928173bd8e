//! DSSE (Dead Simple Signing Envelope) v1: the pre-authentication encoding that signatures
//! cover, and the JSON envelope `{payload, payloadType, signatures: [{keyid, sig}]}`.
//!
//! PAE is exactly the spec's: `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths in
//! ASCII decimal bytes. Nothing here decides whether a payload is acceptable.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use serde::{Deserialize, Serialize};

use super::keys::VerificationKey;

/// The bytes a DSSE signature is computed over.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload_type.len() + payload.len() + 32);
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(payload_type.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

/// A DSSE envelope as JSON carries it (payload and signatures base64-encoded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub payload: String,
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    pub signatures: Vec<EnvelopeSignature>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeSignature {
    /// Optional and unauthenticated: only a hint of which key to try.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub keyid: String,
    pub sig: String,
}

impl Envelope {
    /// The payload bytes; the spec lets encoders use either base64 alphabet.
    pub fn decoded_payload(&self) -> Option<Vec<u8>> {
        decode(&self.payload)
    }
}

impl EnvelopeSignature {
    /// The key that verifies this signature over `message`, trying the hinted key first.
    pub(super) fn verified_by<'k>(
        &self,
        keys: &'k [VerificationKey],
        message: &[u8],
    ) -> Option<&'k VerificationKey> {
        let signature = decode(&self.sig)?;
        let hinted = keys.iter().filter(|key| key.key_id() == self.keyid);
        let others = keys.iter().filter(|key| key.key_id() != self.keyid);
        hinted.chain(others).find(|key| key.verify(message, &signature))
    }
}

fn decode(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).or_else(|_| URL_SAFE.decode(text)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_example_in_the_dsse_specification() {
        let encoded = pae("http://example.com/HelloWorld", b"hello world");
        assert_eq!(encoded, b"DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    #[test]
    fn pae_counts_bytes_not_characters_and_handles_an_empty_body() {
        assert_eq!(pae("t/\u{e9}", b""), "DSSEv1 4 t/\u{e9} 0 ".as_bytes());
    }
}
