//! The master key: the key-encryption key that lives outside the database and wraps every data
//! key Palisade keeps inside it (the JWT signing key, the API-key pepper, the mail-token key, the
//! channel-secret key, the audit-chain key), so that a copy of the database opens nothing.
//!
//! It comes from `encryption.master_key` (base64 of 32 bytes, e.g. from a secret manager through
//! the environment) or, by default, from the file `encryption.master_key_file`
//! (`<data_dir>/master.key`, created with mode 0600 on first start). Keys listed in
//! `encryption.previous_keys`, and an interrupted rotation's `<file>.next`, still unwrap; new
//! wrapping always uses the current key. Each key is known by an id derived from it (never the
//! key itself), stored beside what it wrapped. It must never log or return a key.

use crate::Secret;
use crate::config::{Origin, Source};
use crate::sealing::{DataKey, check_data_keys};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 12;

/// `[encryption]`: the master key, and the data key secrets in tenant rows are sealed with
/// (`crate::sealing`).
#[derive(Clone, Debug)]
pub struct EncryptionSettings {
    pub master_key: Option<Secret<Vec<u8>>>,
    pub master_key_file: PathBuf,
    pub previous_keys: Vec<Secret<Vec<u8>>>,
    /// `encryption.key` under `encryption.key_id`; `None` uses the key generated into the
    /// database on first use.
    pub data_key: Option<DataKey>,
    /// `encryption.previous_key` under `encryption.previous_key_id`: still opens, during a
    /// rotation of the data key.
    pub previous_data_key: Option<DataKey>,
}

impl EncryptionSettings {
    pub fn read(src: &mut Source<'_>, data_dir: &Path) -> EncryptionSettings {
        let master_key = src
            .base64_key("encryption.master_key", &["PALISADE_ENCRYPTION_MASTER_KEY"])
            .and_then(|text| STANDARD.decode(text.trim()).ok())
            .map(Secret::new);
        let default_file = data_dir.join("master.key");
        let master_key_file = src.path(
            "encryption.master_key_file",
            &["PALISADE_ENCRYPTION_MASTER_KEY_FILE"],
            &default_file.to_string_lossy(),
        );
        let previous_keys = src.parsed(
            "encryption.previous_keys",
            &["PALISADE_ENCRYPTION_PREVIOUS_KEYS"],
            Vec::new(),
            |text| {
                text.split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(|t| match STANDARD.decode(t) {
                        Ok(key) if key.len() == KEY_LEN => Ok(Secret::new(key)),
                        _ => Err("is not a list of base64 keys of 32 bytes".to_string()),
                    })
                    .collect()
            },
        );
        let data_key = read_data_key(src, CURRENT_DATA_KEY, "k1");
        let previous_data_key = read_data_key(src, PREVIOUS_DATA_KEY, "k0");
        if let Err(message) = check_data_keys(data_key.as_ref(), previous_data_key.as_ref()) {
            src.error("encryption.previous_key", Origin::Both, &message);
        }
        EncryptionSettings {
            master_key,
            master_key_file,
            previous_keys,
            data_key,
            previous_data_key,
        }
    }
}

/// Where a data key is configured: the key, its variable, its id, its id's variable.
type DataKeySetting = [&'static str; 4];
const CURRENT_DATA_KEY: DataKeySetting = [
    "encryption.key",
    "PALISADE_ENCRYPTION_KEY",
    "encryption.key_id",
    "PALISADE_ENCRYPTION_KEY_ID",
];
const PREVIOUS_DATA_KEY: DataKeySetting = [
    "encryption.previous_key",
    "PALISADE_ENCRYPTION_PREVIOUS_KEY",
    "encryption.previous_key_id",
    "PALISADE_ENCRYPTION_PREVIOUS_KEY_ID",
];

/// A data key (base64 of 32 bytes) with its id.
fn read_data_key(
    src: &mut Source<'_>,
    setting: DataKeySetting,
    default_id: &str,
) -> Option<DataKey> {
    let [key, key_env, id, id_env] = setting;
    // The id is read (and so known to the reader) whether or not a key is set beside it.
    let id = src.string(id, &[id_env], default_id);
    let bytes = src.base64_key(key, &[key_env]).and_then(|text| STANDARD.decode(text).ok())?;
    Some(DataKey { id, key: Secret::new(bytes) })
}

/// One key-encryption key.
#[derive(Clone)]
pub struct MasterKey {
    id: String,
    cipher: Aes256Gcm,
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey").field("id", &self.id).finish_non_exhaustive()
    }
}

impl MasterKey {
    pub fn new(key: &[u8]) -> anyhow::Result<MasterKey> {
        if key.len() != KEY_LEN {
            bail!("a master key must be 32 bytes");
        }
        let digest = Sha256::new().chain_update(b"palisade master key id\0").chain_update(key);
        let id = hex::encode(&digest.finalize()[..8]);
        let cipher = Aes256Gcm::new_from_slice(key).context("the master key is unusable")?;
        Ok(MasterKey { id, cipher })
    }

    /// A fresh random key, as base64 text (what the key file holds).
    pub fn generate_text() -> Secret<String> {
        let mut key = [0u8; KEY_LEN];
        rand::rng().fill_bytes(&mut key);
        Secret::new(STANDARD.encode(key))
    }

    /// The key's id: derived from the key, safe to store and print.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// What a data key looks like once wrapped.
#[derive(Clone, PartialEq, Eq)]
pub struct Wrapped {
    pub key_id: String,
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

impl fmt::Debug for Wrapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wrapped").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

/// The current master key and those that may still unwrap.
#[derive(Clone, Debug)]
pub struct MasterKeys {
    current: MasterKey,
    previous: Vec<MasterKey>,
}

impl MasterKeys {
    pub fn new(current: MasterKey, previous: Vec<MasterKey>) -> MasterKeys {
        MasterKeys { current, previous }
    }

    /// The installation's keys per `settings`, creating the key file on first start.
    pub fn load(settings: &EncryptionSettings) -> anyhow::Result<MasterKeys> {
        let mut previous = settings
            .previous_keys
            .iter()
            .map(|key| MasterKey::new(key.expose()))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let current = match &settings.master_key {
            Some(key) => MasterKey::new(key.expose())?,
            None => {
                let file = &settings.master_key_file;
                let next = next_file(file);
                if next.exists() {
                    // A rotation stopped half-way: what it wrapped opens with the next key.
                    previous.push(read_key_file(&next)?);
                }
                read_or_create_key_file(file)?
            }
        };
        Ok(MasterKeys { current, previous })
    }

    pub fn current(&self) -> &MasterKey {
        &self.current
    }

    /// Wraps `plaintext` with the current key, bound to `context` (the data key's name).
    pub fn wrap(&self, context: &str, plaintext: &[u8]) -> anyhow::Result<Wrapped> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let ciphertext = self
            .current
            .cipher
            .encrypt(&Nonce::from(nonce), Payload { msg: plaintext, aad: context.as_bytes() })
            .map_err(|_| anyhow::anyhow!("wrapping `{context}` failed"))?;
        Ok(Wrapped { key_id: self.current.id.clone(), nonce: nonce.to_vec(), ciphertext })
    }

    /// Unwraps with whichever known key wrapped it.
    pub fn unwrap(&self, context: &str, wrapped: &Wrapped) -> anyhow::Result<Secret<Vec<u8>>> {
        let key = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|key| key.id == wrapped.key_id)
            .with_context(|| {
                format!(
                    "`{context}` was wrapped with master key {}, which is not configured (see \
                     encryption.master_key, encryption.previous_keys)",
                    wrapped.key_id
                )
            })?;
        let nonce: [u8; NONCE_LEN] =
            wrapped.nonce.as_slice().try_into().context("a wrapped key has a bad nonce")?;
        key.cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload { msg: &wrapped.ciphertext, aad: context.as_bytes() },
            )
            .map(Secret::new)
            .map_err(|_| anyhow::anyhow!("`{context}` does not unwrap with master key {}", key.id))
    }
}

/// Where a rotation writes the next key before it is put in place.
pub fn next_file(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".next");
    PathBuf::from(name)
}

/// The key in a key file (which must not be readable by others).
pub fn read_key_file(path: &Path) -> anyhow::Result<MasterKey> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the master key file {}", path.display()))?;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        bail!(
            "the master key file {} is readable by others (mode {:o}); chmod 600 it",
            path.display(),
            mode & 0o777
        );
    }
    let key = STANDARD
        .decode(text.trim())
        .with_context(|| format!("{} is not base64", path.display()))?;
    MasterKey::new(&key).with_context(|| format!("the key in {}", path.display()))
}

fn read_or_create_key_file(path: &Path) -> anyhow::Result<MasterKey> {
    if !path.exists() {
        write_key_file(path, &MasterKey::generate_text())?;
        tracing::warn!(
            file = %path.display(),
            "generated the master key; back it up: without it the stored keys cannot be opened"
        );
    }
    read_key_file(path)
}

/// Writes a key file with mode 0600; refuses to overwrite one (two processes starting at once
/// keep the first key). The file appears whole or not at all: it is written under a private
/// name and linked into place, so a concurrent reader never sees it half-written.
pub fn write_key_file(path: &Path, text: &Secret<String>) -> anyhow::Result<()> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let staged = parent.join(format!(".master-key-{}", uuid::Uuid::new_v4().simple()));
    let written = (|| -> std::io::Result<()> {
        let mut file =
            std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&staged)?;
        file.write_all(text.expose().as_bytes())?;
        file.sync_all()
    })();
    let linked = written.and_then(|()| match std::fs::hard_link(&staged, path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    });
    let _ = std::fs::remove_file(&staged);
    linked.with_context(|| format!("creating {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> MasterKey {
        MasterKey::new(&[byte; 32]).unwrap()
    }

    #[test]
    fn a_wrapped_key_opens_with_its_master_key_and_context_only() {
        let keys = MasterKeys::new(key(1), vec![]);
        let wrapped = keys.wrap("jwt_signing_key", b"data key").unwrap();
        assert_eq!(keys.unwrap("jwt_signing_key", &wrapped).unwrap().expose(), b"data key");
        assert!(keys.unwrap("api_key_pepper", &wrapped).is_err(), "bound to its name");
        let other = MasterKeys::new(key(2), vec![]);
        assert!(other.unwrap("jwt_signing_key", &wrapped).is_err());
        let rotated = MasterKeys::new(key(2), vec![key(1)]);
        assert_eq!(rotated.unwrap("jwt_signing_key", &wrapped).unwrap().expose(), b"data key");
        assert_eq!(rotated.wrap("x", b"y").unwrap().key_id, key(2).id());
    }

    #[test]
    fn the_key_file_is_created_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("palisade-keys-{}", uuid::Uuid::new_v4()));
        let file = dir.join("master.key");
        let settings = EncryptionSettings {
            master_key: None,
            master_key_file: file.clone(),
            previous_keys: vec![],
            data_key: None,
            previous_data_key: None,
        };
        let first = MasterKeys::load(&settings).unwrap();
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(MasterKeys::load(&settings).unwrap().current().id(), first.current().id());
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(MasterKeys::load(&settings).is_err(), "a readable key file is refused");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn debug_never_shows_a_key() {
        let shown = format!("{:?}", MasterKeys::new(key(7), vec![key(8)]));
        assert!(shown.contains(key(7).id()) && !shown.contains("7, 7"), "{shown}");
    }
}
