//! The `deliveries` table (tenant-owned): the relay's lock and status changes, the list, and the
//! manual retry. Rows are inserted by `platform::outbox::emit` (and `insert` here, for a
//! channel's test event); the application never deletes them (a deleted channel takes its own).

use crate::model::{DeliveryRow, DeliveryStatus};
use chrono::{DateTime, Utc};
use platform::TenantId;
use sqlx::PgConnection;
use uuid::Uuid;

const COLUMNS: &str = "id, event_id, channel_id, status, attempts, next_attempt_at, last_error, \
                       delivered_at, created_at, updated_at";

/// Filters of the list; `None` does not filter.
#[derive(Clone, Debug, Default)]
pub struct DeliveryFilter {
    pub status: Option<DeliveryStatus>,
    pub channel_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
}

/// A position in the list (newest first): the last row's creation time and id.
pub type DeliveryCursor = Option<(DateTime<Utc>, Uuid)>;

#[tracing::instrument(skip(conn))]
pub async fn insert(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Uuid,
    event_id: Uuid,
    channel_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into deliveries (tenant_id, id, event_id, channel_id) values ($1, $2, $3, $4)",
    )
    .bind(tenant)
    .bind(id)
    .bind(event_id)
    .bind(channel_id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// A delivery, with whether its next attempt is still in the future.
#[derive(Debug, sqlx::FromRow)]
pub struct Locked {
    #[sqlx(flatten)]
    pub row: DeliveryRow,
    pub not_due: bool,
}

/// The delivery `id`, locked for this transaction; `None` when it does not exist or another
/// transaction (a racing relay) holds it.
#[tracing::instrument(skip(conn))]
pub async fn lock(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Uuid,
) -> sqlx::Result<Option<Locked>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}, next_attempt_at > now() as not_due from deliveries
          where tenant_id = $1 and id = $2 for update skip locked"
    )))
    .bind(tenant)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Marks an attempt as started: `delivering`, one more attempt.
#[tracing::instrument(skip(conn))]
pub async fn start_attempt(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Uuid,
) -> sqlx::Result<i32> {
    sqlx::query_scalar(
        "update deliveries set status = 'delivering', attempts = attempts + 1, updated_at = now()
          where tenant_id = $1 and id = $2 returning attempts",
    )
    .bind(tenant)
    .bind(id)
    .fetch_one(conn)
    .await
}

/// Records an attempt's outcome: `delivered` (no error), or `failed`/`dead` with the error and,
/// for `failed`, when the next attempt is due.
#[tracing::instrument(skip(conn, last_error))]
pub async fn finish_attempt(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Uuid,
    status: DeliveryStatus,
    last_error: Option<&str>,
    next_attempt_at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update deliveries
            set status = $3, last_error = $4,
                next_attempt_at = coalesce($5, next_attempt_at),
                delivered_at = case when $3 = 'delivered' then now() else delivered_at end,
                updated_at = now()
          where tenant_id = $1 and id = $2",
    )
    .bind(tenant)
    .bind(id)
    .bind(status.as_str())
    .bind(last_error)
    .bind(next_attempt_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Puts a `dead` or `failed` delivery back to `pending` with no attempts; `None` when it does not
/// exist or is in another state.
#[tracing::instrument(skip(conn))]
pub async fn reset(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Uuid,
) -> sqlx::Result<Option<DeliveryRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update deliveries
            set status = 'pending', attempts = 0, next_attempt_at = now(), last_error = null,
                updated_at = now()
          where tenant_id = $1 and id = $2 and status in ('dead', 'failed')
         returning {COLUMNS}"
    )))
    .bind(tenant)
    .bind(id)
    .fetch_optional(conn)
    .await
}

#[tracing::instrument(skip(conn))]
pub async fn get(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: Uuid,
) -> sqlx::Result<Option<DeliveryRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from deliveries where tenant_id = $1 and id = $2"
    )))
    .bind(tenant)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// One page of the tenant's deliveries matching `filter`, newest first, after `after`.
#[tracing::instrument(skip(conn))]
pub async fn list(
    conn: &mut PgConnection,
    tenant: TenantId,
    filter: &DeliveryFilter,
    after: DeliveryCursor,
    limit: i64,
) -> sqlx::Result<Vec<DeliveryRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from deliveries
          where tenant_id = $1
            and ($2::text is null or status = $2)
            and ($3::uuid is null or channel_id = $3)
            and ($4::uuid is null or event_id = $4)
            and ($5::timestamptz is null or (created_at, id) < ($5, $6))
          order by created_at desc, id desc limit $7"
    )))
    .bind(tenant)
    .bind(filter.status.map(DeliveryStatus::as_str))
    .bind(filter.channel_id)
    .bind(filter.event_id)
    .bind(after.map(|(at, _)| at))
    .bind(after.map(|(_, id)| id))
    .bind(limit)
    .fetch_all(conn)
    .await
}
