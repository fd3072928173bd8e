//! Reading the tenant's events and deliveries, and retrying a delivery by hand. Reads write no
//! audit rows; a retry writes one (`delivery.retry`).

use super::Notify;
use super::channels::next_page;
use crate::error::NotifyError;
use crate::model::{DeliveryRow, EventRow};
use crate::store::deliveries::{DeliveryCursor, DeliveryFilter};
use crate::store::events::EventFilter;
use crate::store::{self, Cursor};
use identity::Principal;
use platform::audit::{self, RequestContext};
use serde_json::json;
use uuid::Uuid;

impl Notify {
    /// A page of the tenant's events matching `filter`, newest first, and the next cursor.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_events(
        &self,
        principal: &Principal,
        filter: &EventFilter,
        before: Cursor,
        limit: u32,
    ) -> Result<(Vec<EventRow>, Option<Uuid>), NotifyError> {
        let limit = i64::from(limit);
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let mut rows =
            store::events::list(&mut tx, principal.tenant, filter, before, limit + 1).await?;
        tx.commit().await?;
        let next = next_page(&mut rows, limit).map(|e| e.id);
        Ok((rows, next))
    }

    /// A page of the tenant's deliveries matching `filter`, newest first, and the next cursor.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_deliveries(
        &self,
        principal: &Principal,
        filter: &DeliveryFilter,
        after: DeliveryCursor,
        limit: u32,
    ) -> Result<(Vec<DeliveryRow>, DeliveryCursor), NotifyError> {
        let limit = i64::from(limit);
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let mut rows =
            store::deliveries::list(&mut tx, principal.tenant, filter, after, limit + 1).await?;
        tx.commit().await?;
        let next = next_page(&mut rows, limit).map(|d| (d.created_at, d.id));
        Ok((rows, next))
    }

    /// Sends a `dead` or `failed` delivery again: back to `pending` with a fresh set of attempts,
    /// relay queued now. Any other state is a conflict.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn retry_delivery(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: Uuid,
    ) -> Result<DeliveryRow, NotifyError> {
        let tenant = principal.tenant;
        let mut tx = self.db().tenant_tx(tenant).await?;
        let Some(row) = store::deliveries::reset(&mut tx, tenant, id).await? else {
            return match store::deliveries::get(&mut tx, tenant, id).await? {
                Some(row) => Err(NotifyError::Conflict(format!(
                    "only a dead or failed delivery can be retried; this one is {}",
                    row.status
                ))),
                None => Err(NotifyError::NotFound("delivery")),
            };
        };
        platform::outbox::relay(&mut tx, tenant, id).await?;
        let summary = json!({ "event_id": row.event_id, "channel_id": row.channel_id });
        let entry =
            principal.audit(context, "delivery.retry", "delivery", Some(id.to_string()), summary);
        audit::record(&mut tx, tenant, &entry).await?;
        tx.commit().await?;
        Ok(row)
    }
}
