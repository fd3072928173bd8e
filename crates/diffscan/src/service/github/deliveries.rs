//! Reading the webhook deliveries a tenant's installations received. It must not change them
//! (replays go through the webhook's own path).

use super::DeliveryFilter;
use crate::error::DiffscanError;
use crate::model::{DeliveryRecord, WebhookDeliveryId};
use crate::service::Diffscan;
use crate::store;
use platform::access::{Permission, Principal};
use platform::{Page, PageRequest};

impl Diffscan {
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_deliveries(
        &self,
        principal: &Principal,
        filter: &DeliveryFilter,
        page: &PageRequest,
    ) -> Result<Page<DeliveryRecord>, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let before: Option<WebhookDeliveryId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::deliveries::list(
            &mut tx,
            filter.installation_id,
            filter.status,
            before,
            page.fetch(),
        )
        .await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |delivery| delivery.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn delivery(
        &self,
        principal: &Principal,
        id: WebhookDeliveryId,
    ) -> Result<DeliveryRecord, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let delivery = store::deliveries::get(&mut tx, id, false).await?;
        tx.commit().await?;
        delivery.ok_or(DiffscanError::NotFound("webhook delivery"))
    }
}
