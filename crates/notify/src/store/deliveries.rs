//! The `deliveries` table (tenant-owned): the relay's lock and status changes, the list, and the
//! manual retry. Rows are inserted by `platform::outbox` alone; the application never deletes
//! them (a deleted channel takes its own).

use crate::model::{DeliveryFilter, DeliveryRow, DeliveryStatus};
use chrono::{DateTime, Utc};
use platform::{DeliveryId, TenantTx, Timestamp};

const COLUMNS: &str = "id, event_id, channel_id, status, attempts, next_attempt_at, last_error, \
                       delivered_at, created_at, updated_at";

/// A position in the list (newest first): the last row's creation time and id.
pub(crate) type DeliveryKey = (Timestamp, DeliveryId);

/// A delivery, with whether its next attempt is still in the future.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct Locked {
    #[sqlx(flatten)]
    pub row: DeliveryRow,
    pub not_due: bool,
}

/// The delivery `id`, locked for this transaction; `None` when it does not exist or another
/// transaction (a racing relay) holds it.
#[tracing::instrument(skip(tx))]
pub(crate) async fn lock(tx: &mut TenantTx, id: DeliveryId) -> sqlx::Result<Option<Locked>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}, next_attempt_at > now() as not_due from deliveries
          where tenant_id = $1 and id = $2 for update skip locked"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Marks an attempt as started: `delivering`, one more attempt.
#[tracing::instrument(skip(tx))]
pub(crate) async fn start_attempt(tx: &mut TenantTx, id: DeliveryId) -> sqlx::Result<i32> {
    sqlx::query_scalar(
        "update deliveries set status = 'delivering', attempts = attempts + 1, updated_at = now()
          where tenant_id = $1 and id = $2 returning attempts",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_one(&mut **tx)
    .await
}

/// Records an attempt's outcome: `delivered` (no error), or `failed`/`dead` with the error and,
/// for `failed`, when the next attempt is due.
#[tracing::instrument(skip(tx, last_error))]
pub(crate) async fn finish_attempt(
    tx: &mut TenantTx,
    id: DeliveryId,
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
    .bind(tx.tenant())
    .bind(id)
    .bind(status.as_str())
    .bind(last_error)
    .bind(next_attempt_at)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Puts a `dead` or `failed` delivery back to `pending` with no attempts; `None` when it does not
/// exist or is in another state.
#[tracing::instrument(skip(tx))]
pub(crate) async fn reset(tx: &mut TenantTx, id: DeliveryId) -> sqlx::Result<Option<DeliveryRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update deliveries
            set status = 'pending', attempts = 0, next_attempt_at = now(), last_error = null,
                updated_at = now()
          where tenant_id = $1 and id = $2 and status in ('dead', 'failed')
         returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(tx: &mut TenantTx, id: DeliveryId) -> sqlx::Result<Option<DeliveryRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from deliveries where tenant_id = $1 and id = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// One page of the tenant's deliveries matching `filter`, newest first, after `after`.
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    filter: &DeliveryFilter,
    after: Option<DeliveryKey>,
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
    .bind(tx.tenant())
    .bind(filter.status.map(DeliveryStatus::as_str))
    .bind(filter.channel_id)
    .bind(filter.event_id)
    .bind(after.map(|(at, _)| at.as_datetime()))
    .bind(after.map(|(_, id)| id))
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
