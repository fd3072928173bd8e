//! The feed's one query: the summaries of announced events, read inside the tenant's own
//! transaction (the notification names the tenant, but only the row the tenant owns is read, so a
//! forged notification finds nothing). It must not read payloads nor any other table.

use chrono::{DateTime, Utc};
use platform::{Db, DbError, EventId, TenantId, TenantTx};
use serde::Serialize;

/// What a socket learns of an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FeedEvent {
    pub id: EventId,
    #[serde(rename = "type")]
    #[sqlx(rename = "type")]
    pub kind: String,
    pub severity: String,
    /// The event's title.
    pub summary: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

/// The events of `tenant` among `ids`, oldest first; ids of other tenants (or of events that do
/// not exist) are skipped.
pub async fn read(db: &Db, tenant: TenantId, ids: &[EventId]) -> Result<Vec<FeedEvent>, ReadError> {
    let mut tx = db.tenant_tx(tenant).await?;
    let events = summaries(&mut tx, ids).await?;
    tx.commit().await?;
    Ok(events)
}

#[tracing::instrument(skip(tx, ids), fields(count = ids.len()))]
async fn summaries(tx: &mut TenantTx, ids: &[EventId]) -> sqlx::Result<Vec<FeedEvent>> {
    sqlx::query_as(
        "select id, type, severity, title as summary, created_at from events
          where tenant_id = $1 and id = any($2)
          order by id",
    )
    .bind(tx.tenant())
    .bind(ids)
    .fetch_all(&mut **tx)
    .await
}
