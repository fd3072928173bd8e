//! Key rotation for channel secrets: every secret sealed with a key other than the keyring's
//! current one is opened and sealed again with it, tenant by tenant (`palisade admin
//! rotate-keys`). It must not change anything but the sealed columns, nor log a secret.

use super::Notify;
use crate::crypto::channel_aad;
use crate::error::NotifyError;
use crate::store;
use platform::sealing::Resealed;

impl Notify {
    /// Seals every channel secret of every tenant with the current key (an operator task: it
    /// acts for no principal and writes no audit row of its own; the caller reports it).
    pub async fn reseal_channel_secrets(&self) -> Result<Resealed, NotifyError> {
        let keyring = self.keyring().await?.clone();
        let current = keyring.current_id().to_string();
        let mut resealed = Resealed::default();
        for tenant in self.db().tenant_ids().await? {
            let mut tx = self.db().tenant_tx(tenant).await?;
            for channel in store::channels::sealed_not_under(&mut tx, &current).await? {
                let Some(sealed) = &channel.sealed else { continue };
                let aad = channel_aad(tenant, channel.id);
                let again = keyring.reseal(&aad, sealed).map_err(anyhow::Error::from)?;
                store::channels::set_sealed(&mut tx, channel.id, &again).await?;
                resealed.secrets += 1;
            }
            resealed.left_behind +=
                store::channels::sealed_not_under(&mut tx, &current).await?.len();
            tx.commit().await?;
        }
        Ok(resealed)
    }
}
