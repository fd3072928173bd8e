//! The `deliveries` table (tenant-owned): the relay's claims and outcomes, the list, and the
//! manual retry. Rows are inserted by `platform::outbox` alone; the application never deletes
//! them (a deleted channel takes its own).

use crate::model::{DeliveryFilter, DeliveryRow, DeliveryStatus};
use chrono::{DateTime, Utc};
use platform::{ChannelId, DeliveryId, EventId, TenantTx, Timestamp};
use uuid::Uuid;

const COLUMNS: &str = "id, event_id, channel_id, status, attempts, next_attempt_at, last_error, \
                       delivered_at, created_at, updated_at";

/// A position in the list (newest first): the last row's creation time and id.
pub(crate) type DeliveryKey = (Timestamp, DeliveryId);

/// A delivery under a fresh claim: its attempt is `attempts` (counting this one), identified by
/// `attempt_id`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct Claimed {
    pub id: DeliveryId,
    pub event_id: EventId,
    pub channel_id: ChannelId,
    pub attempts: i32,
    pub attempt_id: Uuid,
}

/// Starts one more attempt at each of `ids` that is still to be sent (pending, failed, or
/// `delivering` under a lease that expired): `delivering`, a new attempt id, `lease_until`.
/// Delivered, dead and deleted deliveries are not returned.
#[tracing::instrument(skip(tx, ids), fields(count = ids.len()))]
pub(crate) async fn start_attempts(
    tx: &mut TenantTx,
    ids: &[DeliveryId],
    lease: std::time::Duration,
) -> sqlx::Result<Vec<Claimed>> {
    // "Not finished" is written as `not in`, which no index can serve: with `status in (...)`
    // the planner may walk the status index across the whole backlog (it does when the table's
    // statistics lag a burst) and filter by id, instead of looking up the few ids.
    sqlx::query_as(
        "update deliveries
            set status = 'delivering', attempts = attempts + 1, attempt_id = gen_random_uuid(),
                lease_until = now() + make_interval(secs => $3), updated_at = now()
          where tenant_id = $1 and id = any ($2) and status not in ('delivered', 'dead')
         returning id, event_id, channel_id, attempts, attempt_id",
    )
    .bind(tx.tenant())
    .bind(ids)
    .bind(lease.as_secs_f64())
    .fetch_all(&mut **tx)
    .await
}

/// How one attempt ended, to be recorded.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    pub id: DeliveryId,
    /// The claim it belongs to.
    pub attempt_id: Uuid,
    pub status: DeliveryStatus,
    pub error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// Records outcomes, each only if its delivery is still under that attempt's claim (a lease that
/// expired and was claimed again makes the late outcome a no-op). Returns the ids recorded.
#[tracing::instrument(skip(tx, outcomes), fields(count = outcomes.len()))]
pub(crate) async fn record_outcomes(
    tx: &mut TenantTx,
    outcomes: &[Outcome],
) -> sqlx::Result<Vec<DeliveryId>> {
    let ids: Vec<DeliveryId> = outcomes.iter().map(|o| o.id).collect();
    let attempts: Vec<Uuid> = outcomes.iter().map(|o| o.attempt_id).collect();
    let statuses: Vec<&str> = outcomes.iter().map(|o| o.status.as_str()).collect();
    let errors: Vec<Option<&str>> = outcomes.iter().map(|o| o.error.as_deref()).collect();
    let next: Vec<Option<DateTime<Utc>>> = outcomes.iter().map(|o| o.next_attempt_at).collect();
    sqlx::query_scalar(
        "update deliveries d
            set status = r.status, last_error = r.error,
                next_attempt_at = coalesce(r.next_attempt_at, d.next_attempt_at),
                delivered_at = case when r.status = 'delivered' then now() else d.delivered_at end,
                attempt_id = null, lease_until = null, updated_at = now()
           from unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[])
                as r (id, attempt_id, status, error, next_attempt_at)
          where d.tenant_id = $1 and d.id = r.id
            and d.attempt_id = r.attempt_id
         returning d.id",
    )
    .bind(tx.tenant())
    .bind(&ids)
    .bind(&attempts)
    .bind(&statuses)
    .bind(&errors)
    .bind(&next)
    .fetch_all(&mut **tx)
    .await
}

/// Marks deliveries still to be sent as `dead` with `error`, without an attempt (their channel is
/// disabled or gone). Returns the ids changed, with their attempts so far.
#[tracing::instrument(skip(tx, ids), fields(count = ids.len()))]
pub(crate) async fn give_up(
    tx: &mut TenantTx,
    ids: &[DeliveryId],
    error: &str,
) -> sqlx::Result<Vec<(DeliveryId, i32)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // `not in` for the reason `start_attempts` gives.
    sqlx::query_as(
        "update deliveries
            set status = 'dead', last_error = $3, attempt_id = null, lease_until = null,
                updated_at = now()
          where tenant_id = $1 and id = any ($2) and status not in ('delivered', 'dead')
         returning id, attempts",
    )
    .bind(tx.tenant())
    .bind(ids)
    .bind(error)
    .fetch_all(&mut **tx)
    .await
}

/// When the deliveries of `kind` events to `channel` of the last minute were created.
#[tracing::instrument(skip(tx))]
pub(crate) async fn recent_tests(
    tx: &mut TenantTx,
    channel: ChannelId,
    kind: &str,
) -> sqlx::Result<Vec<DateTime<Utc>>> {
    sqlx::query_scalar(
        "select d.created_at from deliveries d
           join events e on e.tenant_id = d.tenant_id and e.id = d.event_id
          where d.tenant_id = $1 and d.channel_id = $2 and e.type = $3
            and d.created_at > now() - interval '1 minute'",
    )
    .bind(tx.tenant())
    .bind(channel)
    .bind(kind)
    .fetch_all(&mut **tx)
    .await
}

/// Puts a `dead` or `failed` delivery back to `pending` with no attempts; `None` when it does not
/// exist or is in another state.
#[tracing::instrument(skip(tx))]
pub(crate) async fn reset(tx: &mut TenantTx, id: DeliveryId) -> sqlx::Result<Option<DeliveryRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update deliveries
            set status = 'pending', attempts = 0, next_attempt_at = now(), last_error = null,
                attempt_id = null, lease_until = null, updated_at = now()
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
