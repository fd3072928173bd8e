//! Secrets at rest in tenant rows (channel secrets, alert-source signing secrets, GitHub tokens
//! and webhook secrets, the generated diffscan signing seed): AES-256-GCM with a random 96-bit
//! nonce per encryption and associated data that each capability binds to its tenant and row, so
//! a ciphertext copied to another row or tenant does not decrypt. Each ciphertext is stored with
//! the id of its key, so that a new key can be configured while rows sealed with the old one
//! still open, until `palisade admin rotate-keys` has sealed them again.
//!
//! The keyring holds the configured data key (`encryption.key` under `encryption.key_id`), the
//! previous one during a rotation (`encryption.previous_key`), and the key generated into
//! `server_secrets` (under [`GENERATED_KEY_ID`]) when one exists; new secrets are sealed with the
//! configured key, or the generated one when none is configured. [`SharedKeyring`] loads it once
//! for every service of the process. It must never log or return a key or a plaintext other than
//! to its caller.

mod shared;

pub use shared::{DataKey, SharedKeyring};

use crate::Secret;
use crate::server_secrets::SecretStore;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;
use std::collections::HashMap;
use std::fmt;

/// The id of the key generated into the database when the operator configured none.
pub const GENERATED_KEY_ID: &str = "db-generated";
/// Its name in `server_secrets` (from when only channels sealed with it; installations keep their
/// key under it).
const GENERATED_KEY_NAME: &str = "channel_encryption_key";
const NONCE_LEN: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("an encryption key must be 32 bytes")]
    KeyLength,
    #[error("the key `{0}` this secret was encrypted with is not configured")]
    UnknownKey(String),
    #[error("the secret does not decrypt (wrong key, or it belongs to another row)")]
    Decrypt,
    #[error("encrypting the secret failed")]
    Encrypt,
}

/// A secret as stored: ciphertext (with its tag), nonce and key id.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    pub ciphertext: Vec<u8>,
    pub nonce: Vec<u8>,
    pub key_id: String,
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealed").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

/// What sealing a capability's secrets again with the current key did (`palisade admin
/// rotate-keys`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resealed {
    pub secrets: usize,
    /// Secrets still sealed with another key afterwards (must be 0).
    pub left_behind: usize,
}

impl std::ops::Add for Resealed {
    type Output = Resealed;

    fn add(self, other: Resealed) -> Resealed {
        Resealed {
            secrets: self.secrets + other.secrets,
            left_behind: self.left_behind + other.left_behind,
        }
    }
}

/// Why a configured data key and its predecessor cannot be used together, if they cannot: a
/// previous key without a current one, two keys under one id, or a key under the generated
/// key's reserved id. Checked when the configuration is read and when the keyring is loaded.
pub fn check_data_keys(
    current: Option<&DataKey>,
    previous: Option<&DataKey>,
) -> Result<(), String> {
    let Some(current) = current else {
        return match previous {
            Some(_) => Err("encryption.previous_key is set without encryption.key".into()),
            None => Ok(()),
        };
    };
    for key in [Some(current), previous].into_iter().flatten() {
        if key.id == GENERATED_KEY_ID {
            return Err(format!(
                "the encryption key id `{GENERATED_KEY_ID}` is reserved; choose another"
            ));
        }
    }
    match previous {
        Some(previous) if previous.id == current.id => Err(format!(
            "encryption.previous_key_id must differ from encryption.key_id (`{}`)",
            current.id
        )),
        _ => Ok(()),
    }
}

/// The keys secrets are sealed and opened with.
#[derive(Clone)]
pub struct Keyring {
    current: String,
    keys: HashMap<String, Aes256Gcm>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids: Vec<&String> = self.keys.keys().collect();
        ids.sort();
        f.debug_struct("Keyring").field("current", &self.current).field("ids", &ids).finish()
    }
}

impl Keyring {
    /// A keyring sealing with `key` (32 bytes) under `id`.
    pub fn new(id: &str, key: &[u8]) -> Result<Keyring, CryptoError> {
        let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| CryptoError::KeyLength)?;
        Ok(Keyring { current: id.to_string(), keys: HashMap::from([(id.to_string(), cipher)]) })
    }

    /// Adds a key that only opens (an older one), unless its id is already present.
    pub fn with_old_key(mut self, id: &str, key: &[u8]) -> Result<Keyring, CryptoError> {
        let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| CryptoError::KeyLength)?;
        self.keys.entry(id.to_string()).or_insert(cipher);
        Ok(self)
    }

    /// The keyring of an installation: the configured key if any (and the previous one, during
    /// a rotation), and the generated one (created on first use when no key is configured; only
    /// read when one is).
    pub async fn load(
        secrets: &SecretStore,
        configured: Option<&DataKey>,
        previous: Option<&DataKey>,
    ) -> anyhow::Result<Keyring> {
        check_data_keys(configured, previous).map_err(anyhow::Error::msg)?;
        let Some(current) = configured else {
            let key = secrets.load_or_create(GENERATED_KEY_NAME).await?;
            return Ok(Keyring::new(GENERATED_KEY_ID, key.expose())?);
        };
        let mut keyring = Keyring::new(&current.id, current.key.expose())?;
        if let Some(previous) = previous {
            keyring = keyring.with_old_key(&previous.id, previous.key.expose())?;
        }
        match secrets.load(GENERATED_KEY_NAME).await? {
            Some(old) => Ok(keyring.with_old_key(GENERATED_KEY_ID, old.expose())?),
            None => Ok(keyring),
        }
    }

    /// The id new secrets are sealed under.
    pub fn current_id(&self) -> &str {
        &self.current
    }

    /// Encrypts `plaintext` with the current key, bound to `aad`.
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Result<Sealed, CryptoError> {
        let cipher = self.keys.get(&self.current).ok_or(CryptoError::Encrypt)?;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let ciphertext = cipher
            .encrypt(&Nonce::from(nonce), Payload { msg: plaintext, aad })
            .map_err(|_| CryptoError::Encrypt)?;
        Ok(Sealed { ciphertext, nonce: nonce.to_vec(), key_id: self.current.clone() })
    }

    /// `sealed` opened and sealed again with the current key (a rotation).
    pub fn reseal(&self, aad: &[u8], sealed: &Sealed) -> Result<Sealed, CryptoError> {
        self.seal(aad, self.open(aad, sealed)?.expose())
    }

    /// Decrypts a sealed secret bound to `aad`.
    pub fn open(&self, aad: &[u8], sealed: &Sealed) -> Result<Secret<Vec<u8>>, CryptoError> {
        let cipher = self
            .keys
            .get(&sealed.key_id)
            .ok_or_else(|| CryptoError::UnknownKey(sealed.key_id.clone()))?;
        let nonce: [u8; NONCE_LEN] =
            sealed.nonce.as_slice().try_into().map_err(|_| CryptoError::Decrypt)?;
        cipher
            .decrypt(&Nonce::from(nonce), Payload { msg: &sealed.ciphertext, aad })
            .map(Secret::new)
            .map_err(|_| CryptoError::Decrypt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aad_of(tenant: u8, row: u8) -> [u8; 2] {
        [tenant, row]
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_own_tenant_and_row() {
        let keyring = Keyring::new("k1", &[7u8; 32]).unwrap();
        let sealed = keyring.seal(&aad_of(1, 2), b"whsec_abc").unwrap();
        assert_eq!(sealed.key_id, "k1");
        assert_eq!(sealed.nonce.len(), 12);
        assert_ne!(sealed.ciphertext, b"whsec_abc");
        assert_eq!(keyring.open(&aad_of(1, 2), &sealed).unwrap().expose(), b"whsec_abc");
        assert!(matches!(keyring.open(&aad_of(1, 3), &sealed), Err(CryptoError::Decrypt)));
        assert!(matches!(keyring.open(&aad_of(9, 2), &sealed), Err(CryptoError::Decrypt)));
    }

    #[test]
    fn every_encryption_uses_a_fresh_nonce() {
        let keyring = Keyring::new("k1", &[7u8; 32]).unwrap();
        let (a, b) =
            (keyring.seal(b"aad", b"same").unwrap(), keyring.seal(b"aad", b"same").unwrap());
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.ciphertext, b.ciphertext);
    }

    #[test]
    fn an_old_key_still_opens_what_it_sealed_and_an_unknown_one_is_named() {
        let old = Keyring::new("k1", &[1u8; 32]).unwrap();
        let sealed = old.seal(b"aad", b"secret").unwrap();
        let rotated =
            Keyring::new("k2", &[2u8; 32]).unwrap().with_old_key("k1", &[1u8; 32]).unwrap();
        assert_eq!(rotated.open(b"aad", &sealed).unwrap().expose(), b"secret");
        assert_eq!(rotated.seal(b"aad", b"x").unwrap().key_id, "k2");
        let other = Keyring::new("k3", &[3u8; 32]).unwrap();
        let error = other.open(b"aad", &sealed).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the key `k1` this secret was encrypted with is not configured"
        );
        assert!(Keyring::new("short", &[0u8; 16]).is_err());
        assert!(!format!("{rotated:?}").contains("1, 1"));
    }
}
