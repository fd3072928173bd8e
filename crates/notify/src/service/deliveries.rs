//! Reading the tenant's events and deliveries, and retrying a delivery by hand. Reads write no
//! audit rows; a retry writes one (`delivery.retry`).

use super::Notify;
use crate::error::NotifyError;
use crate::model::{DeliveryFilter, DeliveryRow, EventFilter, EventRow};
use crate::store::{self, deliveries::DeliveryKey};
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{DeliveryId, EventId, Page, PageRequest, Timestamp};
use serde_json::json;

impl Notify {
    /// A page of the tenant's events matching `filter`, newest first.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_events(
        &self,
        principal: &Principal,
        filter: &EventFilter,
        page: &PageRequest,
    ) -> Result<Page<EventRow>, NotifyError> {
        principal.require(Permission::EVENTS_VIEW)?;
        let before: Option<EventId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::events::list(&mut tx, filter, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |event| event.id))
    }

    /// A page of the tenant's deliveries matching `filter`, newest first.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_deliveries(
        &self,
        principal: &Principal,
        filter: &DeliveryFilter,
        page: &PageRequest,
    ) -> Result<Page<DeliveryRow>, NotifyError> {
        principal.require(Permission::EVENTS_VIEW)?;
        let after: Option<DeliveryKey> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::deliveries::list(&mut tx, filter, after, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |delivery| {
            (Timestamp::saturating(delivery.created_at), delivery.id)
        }))
    }

    /// Sends a `dead` or `failed` delivery again: back to `pending` with a fresh set of attempts,
    /// relay queued now. Any other state is a conflict.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn retry_delivery(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: DeliveryId,
    ) -> Result<DeliveryRow, NotifyError> {
        principal.require(Permission::CHANNELS_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let Some(row) = store::deliveries::reset(&mut tx, id).await? else {
            return match store::deliveries::get(&mut tx, id).await? {
                Some(row) => Err(NotifyError::Conflict(format!(
                    "only a dead or failed delivery can be retried; this one is {}",
                    row.status
                ))),
                None => Err(NotifyError::NotFound("delivery")),
            };
        };
        platform::outbox::relay(&mut tx, id, row.channel_id).await?;
        let summary = json!({ "event_id": row.event_id, "channel_id": row.channel_id });
        let entry =
            principal.audit(context, "delivery.retry", "delivery", Some(id.to_string()), summary);
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(row)
    }
}
