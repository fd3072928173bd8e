//! The feed's one query: the summaries of announced events, read in the tenant's own scope by one
//! call of `feed_events` (one round trip; the notification names the tenant, but only the rows
//! the tenant owns are read, so a forged notification finds nothing). It must not read payloads
//! nor any other table.

use chrono::{DateTime, Utc};
use platform::{Db, DbError, EventId, TenantId, TenantRead};
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
    let mut read = db.tenant_read(tenant).await?;
    Ok(summaries(&mut read, ids).await?)
}

#[tracing::instrument(skip(read, ids), fields(count = ids.len()))]
async fn summaries(read: &mut TenantRead, ids: &[EventId]) -> sqlx::Result<Vec<FeedEvent>> {
    read.call("select * from feed_events($1, $2)").bind(ids).fetch_all(&mut **read).await
}
