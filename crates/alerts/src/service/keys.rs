//! Key rotation for source signing secrets: every secret sealed with a key other than the
//! keyring's current one is opened and sealed again with it, tenant by tenant (`palisade admin
//! rotate-keys`). It must not change anything but the sealed columns, nor log a secret.

use super::Alerts;
use super::sources::source_aad;
use crate::error::AlertsError;
use crate::store;
use platform::sealing::Resealed;

impl Alerts {
    /// Seals every source signing secret of every tenant with the current key (an operator
    /// task: it acts for no principal and writes no audit row of its own; the caller reports
    /// it).
    pub async fn reseal_source_secrets(&self) -> Result<Resealed, AlertsError> {
        let keyring = self.keyring().await?;
        let current = keyring.current_id();
        let mut resealed = Resealed::default();
        for tenant in self.db().tenant_ids().await? {
            let mut tx = self.db().tenant_tx(tenant).await?;
            for (id, sealed) in store::sources::sealed_not_under(&mut tx, current).await? {
                let again = keyring
                    .reseal(&source_aad(tenant, id), &sealed)
                    .map_err(|e| anyhow::anyhow!("sealing the secret of source {id} again: {e}"))?;
                store::sources::set_sealed(&mut tx, id, &again).await?;
                resealed.secrets += 1;
            }
            resealed.left_behind += store::sources::sealed_not_under(&mut tx, current).await?.len();
            tx.commit().await?;
        }
        Ok(resealed)
    }
}
