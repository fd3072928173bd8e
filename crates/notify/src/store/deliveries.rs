//! The `deliveries` table (tenant-owned): the relay's claims and outcomes, the list, and the
//! manual retry. Rows are inserted by `platform::outbox` alone; the application never deletes
//! them (a deleted channel takes its own).

use crate::model::{DeliveryFilter, DeliveryRow, DeliveryStatus, EventRow};
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
/// Returns each with its event, read in the same statement. Delivered, dead and deleted
/// deliveries are not returned.
#[tracing::instrument(skip(tx, ids), fields(count = ids.len()))]
pub(crate) async fn start_attempts(
    tx: &mut TenantTx,
    ids: &[DeliveryId],
    lease: std::time::Duration,
) -> sqlx::Result<Vec<(Claimed, EventRow)>> {
    // "Not finished" is written as `not in`, which no index can serve: with `status in (...)`
    // the planner may walk an index across the whole backlog (it did when the table's
    // statistics lagged a burst) and filter by id, instead of looking up the few ids.
    let rows: Vec<StartedRow> = sqlx::query_as(
        "with started as (
             update deliveries
                set status = 'delivering', attempts = attempts + 1,
                    attempt_id = gen_random_uuid(),
                    lease_until = now() + make_interval(secs => $3), updated_at = now()
              where tenant_id = $1 and id = any ($2) and status not in ('delivered', 'dead')
             returning id, event_id, channel_id, attempts, attempt_id)
         select s.id, s.event_id, s.channel_id, s.attempts, s.attempt_id,
                e.type as event_type, e.severity as event_severity, e.title as event_title,
                e.payload as event_payload, e.created_at as event_created_at
           from started s
           join events e on e.tenant_id = $1 and e.id = s.event_id",
    )
    .bind(tx.tenant())
    .bind(ids)
    .bind(lease.as_secs_f64())
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(StartedRow::split).collect())
}

/// A started delivery and its event, as `start_attempts` reads them.
#[derive(sqlx::FromRow)]
struct StartedRow {
    #[sqlx(flatten)]
    claimed: Claimed,
    event_type: String,
    event_severity: String,
    event_title: String,
    event_payload: serde_json::Value,
    event_created_at: DateTime<Utc>,
}

impl StartedRow {
    fn split(self) -> (Claimed, EventRow) {
        let event = EventRow {
            id: self.claimed.event_id,
            kind: self.event_type,
            severity: self.event_severity,
            title: self.event_title,
            payload: self.event_payload,
            created_at: self.event_created_at,
        };
        (self.claimed, event)
    }
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
/// expired and was claimed again makes the late outcome a no-op), and updates the relay's queue
/// in the same statement: a delivery to retry falls due at its next attempt, unleased; one
/// delivered or dead leaves the queue. Returns the ids recorded.
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
    // The queue's statements see the rows as they were before `recorded`; they only need ids
    // and `retried`, which `recorded` returns.
    sqlx::query_scalar(
        "with recorded as (
             update deliveries d
                set status = r.status, last_error = r.error,
                    next_attempt_at = coalesce(r.next_attempt_at, d.next_attempt_at),
                    delivered_at = case when r.status = 'delivered' then now()
                                        else d.delivered_at end,
                    attempt_id = null, lease_until = null, updated_at = now()
               from unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[])
                    as r (id, attempt_id, status, error, next_attempt_at)
              where d.tenant_id = $1 and d.id = r.id
                and d.attempt_id = r.attempt_id
             returning d.id, r.status = 'failed' and r.next_attempt_at is not null as retried,
                       r.next_attempt_at),
         finished as (
             delete from relay.due q using recorded
              where q.tenant_id = $1 and q.delivery_id = recorded.id and not recorded.retried),
         rescheduled as (
             update relay.due q set due_at = recorded.next_attempt_at, lease_until = null
               from recorded
              where q.tenant_id = $1 and q.delivery_id = recorded.id and recorded.retried)
         select id from recorded",
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
            and {status}
            and ($3::uuid is null or channel_id = $3)
            and ($4::uuid is null or event_id = $4)
            and ($5::timestamptz is null or (created_at, id) < ($5, $6))
          order by created_at desc, id desc limit $7",
        status = status_condition(filter.status),
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

/// The list's condition on status (`$2`), written so that an index serves it: no index holds
/// `status` itself (the relay's updates of it stay heap-only, see the migration
/// `delivery_hot_updates`). Failed and dead deliveries have `problem` and its partial index;
/// pending and delivering ones are those still in the relay's queue, which is small; delivered
/// ones are most of the table, walked newest first.
fn status_condition(status: Option<DeliveryStatus>) -> &'static str {
    match status {
        None => "$2::text is null",
        Some(DeliveryStatus::Failed | DeliveryStatus::Dead) => "problem = $2",
        Some(DeliveryStatus::Pending | DeliveryStatus::Delivering) => {
            "status = $2
             and exists (select from relay.due q
                          where q.delivery_id = deliveries.id and q.tenant_id = $1)"
        }
        Some(DeliveryStatus::Delivered) => "status = $2",
    }
}
