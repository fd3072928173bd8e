//! Key rotation for diffscan's sealed secrets: GitHub tokens and webhook secrets, tenant by
//! tenant, and the generated signing seed; every one sealed with a key other than the keyring's
//! current one is opened and sealed again with it (`palisade admin rotate-keys`). It must not
//! change anything but the sealed columns, nor log a secret.

use super::Diffscan;
use super::github::{token_aad, webhook_secret_aad};
use crate::error::DiffscanError;
use crate::store;
use platform::sealing::{Resealed, Sealed};

impl Diffscan {
    /// Seals every diffscan secret with the current key (an operator task: it acts for no
    /// principal and writes no audit row of its own; the caller reports it).
    pub async fn reseal_secrets(&self) -> Result<Resealed, DiffscanError> {
        let keyring = self.keyring().await?;
        let current = keyring.current_id();
        let reseal = |aad: Vec<u8>, sealed: &Sealed| {
            keyring.reseal(&aad, sealed).map_err(|e| {
                DiffscanError::Unexpected(anyhow::anyhow!("sealing a GitHub secret again: {e}"))
            })
        };
        let mut resealed = Resealed::default();
        for tenant in self.db().tenant_ids().await? {
            let mut tx = self.db().tenant_tx(tenant).await?;
            for installation in store::github::sealed_not_under(&mut tx, current).await? {
                let id = installation.id;
                let token = reseal(token_aad(tenant, id), &installation.token)?;
                let secret = reseal(webhook_secret_aad(tenant, id), &installation.webhook_secret)?;
                store::github::set_sealed(&mut tx, id, &token, &secret).await?;
                let moved = [&installation.token, &installation.webhook_secret];
                resealed.secrets += moved.iter().filter(|s| s.key_id != current).count();
            }
            resealed.left_behind += store::github::sealed_not_under(&mut tx, current).await?.len();
            tx.commit().await?;
        }
        let seed = crate::signing::reseal_generated(self.db().pool(), keyring).await?;
        Ok(resealed + seed)
    }
}
