//! Signing and verification keys: ed25519 (32-byte seed / 32-byte public key), HMAC-SHA256 (a
//! shared key of at least 32 bytes), and the deterministic development key, a fixed ed25519 key
//! whose secret is in this source file so that tests and local runs can sign without setup.
//!
//! Keys never appear in Debug output or errors. The development key is marked: a service must
//! call [`Signer::is_development`] and refuse it in production, since anyone can forge with it.

use std::fmt;

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The development key's seed is the SHA-256 of this text: public on purpose.
const DEVELOPMENT_SEED_TEXT: &[u8] =
    b"palisade diffscan development signing key: public, never accept in production";
const MIN_HMAC_KEY_BYTES: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("an ed25519 key is 32 bytes, not {0}")]
    Ed25519Length(usize),
    #[error("the bytes are not a valid ed25519 public key")]
    Ed25519Point,
    #[error("an HMAC key needs at least {MIN_HMAC_KEY_BYTES} bytes, not {0}")]
    HmacTooShort(usize),
}

/// A key that signs statements.
#[derive(Clone)]
pub struct Signer {
    key_id: String,
    kind: SignerKind,
}

#[derive(Clone)]
enum SignerKind {
    // Boxed: a signing key with its expanded secret is ten times the size of the other arm.
    Ed25519 { key: Box<SigningKey>, development: bool },
    Hmac(Vec<u8>),
}

impl Signer {
    /// An ed25519 signer from its 32-byte secret seed.
    pub fn ed25519(seed: &[u8]) -> Result<Signer, KeyError> {
        let seed: [u8; 32] = seed.try_into().map_err(|_| KeyError::Ed25519Length(seed.len()))?;
        let key = SigningKey::from_bytes(&seed);
        let key_id = ed25519_key_id(&key.verifying_key(), false);
        Ok(Signer { key_id, kind: SignerKind::Ed25519 { key: Box::new(key), development: false } })
    }

    /// An HMAC-SHA256 signer; the verifier needs the same key.
    pub fn hmac(key: &[u8]) -> Result<Signer, KeyError> {
        if key.len() < MIN_HMAC_KEY_BYTES {
            return Err(KeyError::HmacTooShort(key.len()));
        }
        Ok(Signer { key_id: hmac_key_id(key), kind: SignerKind::Hmac(key.to_vec()) })
    }

    /// The fixed development key: deterministic signatures, verifiable by
    /// [`VerificationKey::development`], worthless as proof.
    pub fn deterministic() -> Signer {
        let key = development_key();
        let key_id = ed25519_key_id(&key.verifying_key(), true);
        Signer { key_id, kind: SignerKind::Ed25519 { key: Box::new(key), development: true } }
    }

    pub fn is_development(&self) -> bool {
        matches!(self.kind, SignerKind::Ed25519 { development: true, .. })
    }

    /// A hint for verifiers (`ed25519:…`, `hmac-sha256:…`, `development:…`); never secret.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The key that verifies this signer's signatures.
    pub fn verification_key(&self) -> VerificationKey {
        let kind = match &self.kind {
            SignerKind::Ed25519 { key, development } => {
                VerifierKind::Ed25519 { key: key.verifying_key(), development: *development }
            }
            SignerKind::Hmac(secret) => VerifierKind::Hmac(secret.clone()),
        };
        VerificationKey { key_id: self.key_id.clone(), kind }
    }

    pub(super) fn sign(&self, message: &[u8]) -> Vec<u8> {
        match &self.kind {
            SignerKind::Ed25519 { key, .. } => key.sign(message).to_bytes().to_vec(),
            SignerKind::Hmac(secret) => hmac_tag(secret, message),
        }
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

/// A key that verifies signatures.
#[derive(Clone)]
pub struct VerificationKey {
    key_id: String,
    kind: VerifierKind,
}

#[derive(Clone)]
enum VerifierKind {
    Ed25519 { key: VerifyingKey, development: bool },
    Hmac(Vec<u8>),
}

impl VerificationKey {
    /// An ed25519 public key (32 bytes).
    pub fn ed25519(public: &[u8]) -> Result<VerificationKey, KeyError> {
        let bytes: [u8; 32] =
            public.try_into().map_err(|_| KeyError::Ed25519Length(public.len()))?;
        let key = VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::Ed25519Point)?;
        let key_id = ed25519_key_id(&key, false);
        Ok(VerificationKey { key_id, kind: VerifierKind::Ed25519 { key, development: false } })
    }

    pub fn hmac(key: &[u8]) -> Result<VerificationKey, KeyError> {
        Signer::hmac(key).map(|signer| signer.verification_key())
    }

    pub fn development() -> VerificationKey {
        Signer::deterministic().verification_key()
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn is_development(&self) -> bool {
        matches!(self.kind, VerifierKind::Ed25519 { development: true, .. })
    }

    /// The ed25519 public key, to publish for offline verification; `None` for HMAC keys, whose
    /// verifying key is the secret itself.
    pub fn ed25519_public_key(&self) -> Option<[u8; 32]> {
        match &self.kind {
            VerifierKind::Ed25519 { key, .. } => Some(key.to_bytes()),
            VerifierKind::Hmac(_) => None,
        }
    }

    /// Whether `signature` is this key's over `message` (strict ed25519; constant-time HMAC).
    pub(super) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match &self.kind {
            VerifierKind::Ed25519 { key, .. } => Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify_strict(message, &signature).is_ok()),
            VerifierKind::Hmac(secret) => HmacSha256::new_from_slice(secret)
                .map(|mac| mac.chain_update(message).verify_slice(signature).is_ok())
                .unwrap_or(false),
        }
    }
}

impl fmt::Debug for VerificationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerificationKey").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

fn development_key() -> SigningKey {
    SigningKey::from_bytes(&Sha256::digest(DEVELOPMENT_SEED_TEXT).into())
}

fn ed25519_key_id(key: &VerifyingKey, development: bool) -> String {
    let prefix = if development { "development" } else { "ed25519" };
    format!("{prefix}:{}", &hex::encode(Sha256::digest(key.as_bytes()))[..16])
}

/// Derived from the key through a labelled hash, so the id reveals nothing usable about it.
fn hmac_key_id(key: &[u8]) -> String {
    let digest =
        Sha256::new_with_prefix(b"palisade diffscan hmac key id\0").chain_update(key).finalize();
    format!("hmac-sha256:{}", &hex::encode(digest)[..16])
}

fn hmac_tag(secret: &[u8], message: &[u8]) -> Vec<u8> {
    match HmacSha256::new_from_slice(secret) {
        Ok(mac) => mac.chain_update(message).finalize().into_bytes().to_vec(),
        // HMAC takes keys of any length; this arm cannot be reached.
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(text: &str) -> Vec<u8> {
        hex::decode(text).unwrap_or_else(|e| panic!("bad hex in test vector: {e}"))
    }

    #[test]
    fn ed25519_signs_rfc_8032_test_vector_1_byte_for_byte() {
        let seed = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        let public = unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        let expected = unhex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        );
        let signer = Signer::ed25519(&seed).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(signer.sign(b""), expected);
        let verifier = VerificationKey::ed25519(&public).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            signer.verification_key().ed25519_public_key().map(|k| k.to_vec()),
            Some(public)
        );
        assert!(verifier.verify(b"", &expected));
        assert!(!verifier.verify(b"x", &expected));
        assert_eq!(verifier.key_id(), signer.key_id());
    }

    #[test]
    fn hmac_keys_must_be_long_and_only_the_same_key_verifies() {
        assert_eq!(Signer::hmac(b"short").err(), Some(KeyError::HmacTooShort(5)));
        let signer = Signer::hmac(&[7u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        let tag = signer.sign(b"message");
        assert!(signer.verification_key().verify(b"message", &tag));
        let other = VerificationKey::hmac(&[8u8; 32]).unwrap_or_else(|e| panic!("{e}"));
        assert!(!other.verify(b"message", &tag));
    }

    #[test]
    fn the_development_key_says_so_and_keys_never_show_in_debug_output() {
        let signer = Signer::deterministic();
        assert!(signer.is_development() && VerificationKey::development().is_development());
        assert_eq!(signer.sign(b"m"), Signer::deterministic().sign(b"m"));
        let hmac = Signer::hmac(&[0x41u8; 40]).unwrap_or_else(|e| panic!("{e}"));
        assert!(!hmac.is_development());
        assert!(!format!("{hmac:?}").contains("AAAA"));
    }
}
