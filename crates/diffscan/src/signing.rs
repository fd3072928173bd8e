//! The key results are signed with, from the configuration: an ed25519 seed (inline, from a
//! file, or generated once into the encrypted secret store), an HMAC-SHA256 key (inline or from
//! a file, where a Vault agent or a secrets manager renders it), or the public development key,
//! which production mode refuses: anyone can forge a result signed with it.
//!
//! Keys never appear in logs, errors or `Debug` output.

use crate::settings::{KeyMaterial, SigningSettings};
use base64::Engine as _;
use diffscan_engine::Signer;
use platform::config::Mode;
use platform::sealing::{Keyring, Resealed, Sealed};
use rand::RngCore;
use sqlx::PgPool;

/// The associated data that binds the sealed generated seed to its purpose.
const SEED_AAD: &[u8] = b"palisade diffscan ed25519 signing seed";
const GENERATED: &str = "ed25519";

/// Refuses a signing setup the installation's mode does not allow.
pub fn check_mode(settings: &SigningSettings, mode: Mode) -> anyhow::Result<()> {
    if matches!(settings, SigningSettings::Deterministic) && mode == Mode::Production {
        anyhow::bail!(
            "diffscan.signing.mode = \"deterministic\" signs with a public development key and is \
             refused in production mode; configure ed25519 or hmac, or set mode = \"development\""
        );
    }
    Ok(())
}

/// The signer the settings describe; a generated ed25519 key is created on first use.
pub async fn load(
    settings: &SigningSettings,
    mode: Mode,
    pool: &PgPool,
    keyring: &Keyring,
) -> anyhow::Result<Signer> {
    check_mode(settings, mode)?;
    let signer = match settings {
        SigningSettings::Deterministic => Signer::deterministic(),
        SigningSettings::Hmac { key } => Signer::hmac(&read(key, "diffscan.signing.hmac_key")?)
            .map_err(|e| anyhow::anyhow!("diffscan.signing.hmac_key: {e}"))?,
        SigningSettings::Ed25519 { seed: Some(seed) } => {
            Signer::ed25519(&read(seed, "diffscan.signing.ed25519_key")?)
                .map_err(|e| anyhow::anyhow!("diffscan.signing.ed25519_key: {e}"))?
        }
        SigningSettings::Ed25519 { seed: None } => generated(pool, keyring).await?,
    };
    if signer.is_development() && mode == Mode::Production {
        anyhow::bail!("the development signing key is refused in production mode");
    }
    Ok(signer)
}

/// Key bytes: inline, or a file holding them as hex or base64 text (surrounding whitespace
/// ignored).
fn read(material: &KeyMaterial, setting: &str) -> anyhow::Result<Vec<u8>> {
    match material {
        KeyMaterial::Inline(bytes) => Ok(bytes.expose().clone()),
        KeyMaterial::File(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("{setting}_file {}: {e}", path.display()))?;
            let text = text.trim();
            // Hex first: hex digits are base64 digits too, and a key in hex would otherwise
            // decode as base64 into other bytes.
            hex::decode(text)
                .or_else(|_| base64::engine::general_purpose::STANDARD.decode(text))
                .map_err(|_| {
                    anyhow::anyhow!("{setting}_file {} is not base64 or hex", path.display())
                })
        }
    }
}

#[derive(sqlx::FromRow)]
struct SealedSeed {
    seed_ciphertext: Vec<u8>,
    seed_nonce: Vec<u8>,
    seed_key_id: String,
}

impl From<SealedSeed> for Sealed {
    fn from(stored: SealedSeed) -> Sealed {
        Sealed {
            ciphertext: stored.seed_ciphertext,
            nonce: stored.seed_nonce,
            key_id: stored.seed_key_id,
        }
    }
}

/// The installation's generated ed25519 key: created by the first process that needs it (the
/// first insert wins when several start at once), sealed with the keyring.
async fn generated(pool: &PgPool, keyring: &Keyring) -> anyhow::Result<Signer> {
    let mut seed = [0u8; 32];
    rand::rng().fill_bytes(&mut seed);
    let fresh = Signer::ed25519(&seed).map_err(|e| anyhow::anyhow!("{e}"))?;
    let public = fresh.verification_key().ed25519_public_key().unwrap_or_default();
    let sealed = keyring.seal(SEED_AAD, &seed)?;
    sqlx::query(
        "insert into diffscan_signing_keys (name, key_id, public_key, seed_ciphertext, seed_nonce,
                                            seed_key_id)
         values ($1, $2, $3, $4, $5, $6) on conflict (name) do nothing",
    )
    .bind(GENERATED)
    .bind(fresh.key_id())
    .bind(public.as_slice())
    .bind(&sealed.ciphertext)
    .bind(&sealed.nonce)
    .bind(&sealed.key_id)
    .execute(pool)
    .await?;
    let stored: SealedSeed = sqlx::query_as(
        "select seed_ciphertext, seed_nonce, seed_key_id from diffscan_signing_keys where name = $1",
    )
    .bind(GENERATED)
    .fetch_one(pool)
    .await?;
    let sealed = Sealed::from(stored);
    let seed = keyring
        .open(SEED_AAD, &sealed)
        .map_err(|e| anyhow::anyhow!("opening the generated diffscan signing key: {e}"))?;
    Signer::ed25519(seed.expose()).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Seals the generated seed again with the keyring's current key, if it is sealed with another
/// one (`palisade admin rotate-keys`).
pub(crate) async fn reseal_generated(pool: &PgPool, keyring: &Keyring) -> anyhow::Result<Resealed> {
    let current = keyring.current_id();
    let stored: Option<SealedSeed> = sqlx::query_as(
        "select seed_ciphertext, seed_nonce, seed_key_id from diffscan_signing_keys
          where name = $1 and seed_key_id <> $2",
    )
    .bind(GENERATED)
    .bind(current)
    .fetch_optional(pool)
    .await?;
    let Some(sealed) = stored.map(Sealed::from) else { return Ok(Resealed::default()) };
    let again = keyring
        .reseal(SEED_AAD, &sealed)
        .map_err(|e| anyhow::anyhow!("sealing the generated diffscan signing key again: {e}"))?;
    let updated = sqlx::query(
        "update diffscan_signing_keys set seed_ciphertext = $2, seed_nonce = $3, seed_key_id = $4
          where name = $1 and seed_key_id = $5",
    )
    .bind(GENERATED)
    .bind(&again.ciphertext)
    .bind(&again.nonce)
    .bind(&again.key_id)
    .bind(&sealed.key_id)
    .execute(pool)
    .await?;
    // A seal that changed meanwhile (another rotation) is left for the check to report.
    let moved = updated.rows_affected() == 1;
    Ok(Resealed { secrets: usize::from(moved), left_behind: usize::from(!moved) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::Secret;

    #[test]
    fn the_development_key_is_refused_in_production_and_allowed_in_development() {
        let error = check_mode(&SigningSettings::Deterministic, Mode::Production).unwrap_err();
        assert!(error.to_string().contains("refused in production mode"), "{error}");
        assert!(check_mode(&SigningSettings::Deterministic, Mode::Development).is_ok());
        assert!(check_mode(&SigningSettings::Ed25519 { seed: None }, Mode::Production).is_ok());
    }

    #[test]
    fn key_files_hold_base64_or_hex_and_errors_never_show_the_key() {
        let dir = std::env::temp_dir().join(format!("diffscan-keys-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let as_hex = dir.join("hmac.hex");
        std::fs::write(&as_hex, format!("{}\n", hex::encode([9u8; 32]))).unwrap();
        assert_eq!(read(&KeyMaterial::File(as_hex), "k").unwrap(), vec![9u8; 32]);
        let as_base64 = dir.join("seed.b64");
        std::fs::write(&as_base64, base64::engine::general_purpose::STANDARD.encode([3u8; 32]))
            .unwrap();
        assert_eq!(read(&KeyMaterial::File(as_base64), "k").unwrap(), vec![3u8; 32]);
        let garbage = dir.join("bad");
        std::fs::write(&garbage, "not-a-key-at-all!!").unwrap();
        let error = read(&KeyMaterial::File(garbage), "k").unwrap_err().to_string();
        assert!(!error.contains("not-a-key-at-all"), "{error}");
        let inline = KeyMaterial::Inline(Secret::new(vec![1, 2, 3]));
        assert_eq!(read(&inline, "k").unwrap(), vec![1, 2, 3]);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
